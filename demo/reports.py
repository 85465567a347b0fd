"""Demo data for the dashboards (``seed_demo``): six weeks of attendance for the demo cohorts
and the follow-ups of the demo's completions, some answered. Idempotent; runs after the other
apps' seeders, through their services."""

from django.db import transaction
from django.utils import timezone

from courses.models import Enrollment
from lms.attendance import AttendanceError, attendance_record, cohort_session_get_or_create
from lms.models import AttendanceMark, Cohort, CohortMembership
from reports.followups import followups_schedule_missing
from reports.models import FollowUp

from . import clock

STATUSES = [AttendanceMark.Status.PRESENT] * 6 + [
    AttendanceMark.Status.LATE,
    AttendanceMark.Status.ABSENT,
    AttendanceMark.Status.EXCUSED,
]
DEMO_ANSWERS = [
    {"has_marketplace_profile": True, "has_first_paid_job": True, "income_band": "10k_30k"},
    {"has_marketplace_profile": True, "has_first_paid_job": False, "income_band": "none"},
    {"has_marketplace_profile": False, "has_first_paid_job": False, "income_band": "none"},
]


def _demo_attendance() -> None:
    """Two sessions a week over the last six weeks (``demo.clock``) for every cohort that has
    none yet, marked through the attendance service."""
    for cohort in Cohort.objects.filter(sessions__isnull=True).select_related("center"):
        members = list(
            CohortMembership.objects.filter(cohort=cohort).values_list("learner_id", flat=True)
        )
        trainer = cohort.trainers.first()
        if not members:
            continue
        for index, day in enumerate(clock.class_days()):
            try:
                session = cohort_session_get_or_create(cohort=cohort, date=day, user=trainer)
            except AttendanceError:
                continue  # before the cohort started
            marks = {learner: STATUSES[(learner + index) % len(STATUSES)] for learner in members}
            attendance_record(session=session, marks=marks, user=trainer)


def _demo_followups() -> None:
    """Follow-ups for the demo's completions, the 30-day ones sent and answered."""
    # Completion schedules the follow-ups once the transaction commits; the demo needs them now
    # (scheduling is idempotent).
    followups_schedule_missing()
    pending = FollowUp.objects.filter(
        days_after=30, answered_at__isnull=True, enrollment__status=Enrollment.Status.COMPLETED
    ).order_by("pk")
    now = timezone.now()
    for index, followup in enumerate(pending):
        answers = DEMO_ANSWERS[index % len(DEMO_ANSWERS)]
        FollowUp.objects.filter(pk=followup.pk).update(
            sent_at=now,
            answered_at=now,
            language="en",
            still_looking=not answers["has_first_paid_job"],
            **answers,
        )


@transaction.atomic
def demo_reports_seed() -> None:
    _demo_attendance()
    _demo_followups()
