"""Demo data for the dashboards (``seed_demo``): a few weeks of attendance for the demo cohorts,
freelancing completions with follow-ups, and some answers. Idempotent; runs after the other
apps' seeders, through their services."""

import datetime

from django.db import transaction
from django.utils import timezone

from assessments.models import AssessmentPage, Attempt
from courses import services as course_services
from courses.models import CoursePage, Enrollment, LessonPage, TrackPage
from lms.attendance import AttendanceError, attendance_record, cohort_session_get_or_create
from lms.models import AttendanceMark, Cohort, CohortMembership, LearnerProfile
from reports.followups import followups_schedule_missing
from reports.models import FollowUp

from .assessments import PASSED, _demo_attempt

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
    today = timezone.localdate()
    for cohort in Cohort.objects.filter(sessions__isnull=True).select_related("center"):
        members = list(
            CohortMembership.objects.filter(cohort=cohort).values_list("learner_id", flat=True)
        )
        trainer = cohort.trainers.first()
        if not members:
            continue
        for week in range(6, 0, -1):
            day = today - datetime.timedelta(weeks=week)
            day -= datetime.timedelta(days=day.weekday())  # the Monday of that week
            try:
                session = cohort_session_get_or_create(cohort=cohort, date=day, user=trainer)
            except AttendanceError:
                continue  # before the cohort started
            marks = {learner: STATUSES[(learner + week) % len(STATUSES)] for learner in members}
            attendance_record(session=session, marks=marks, user=trainer)


def _demo_freelancing() -> None:
    track = TrackPage.objects.filter(
        audience=TrackPage.Audience.YOUTH, locale__language_code="en"
    ).first()
    course = CoursePage.objects.child_of(track).live().order_by("path").first() if track else None
    if course is None:
        return
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    youth = LearnerProfile.objects.filter(
        learner_type=LearnerProfile.LearnerType.YOUTH, user__username__endswith="2"
    ).select_related("user", "home_center")
    for profile in youth:
        cohort = Cohort.objects.filter(center=profile.home_center, shift="second_shift").first()
        course_services.enrollment_create(
            learner=profile.user, course=course, cohort=cohort, check_prerequisites=False
        )
        for lesson in lessons:
            course_services.lesson_complete(learner=profile.user, lesson=lesson)
        _demo_pass_assessments(profile.user, course)
    # Completion schedules the follow-ups once the transaction commits; the demo needs them now
    # (scheduling is idempotent), and shows the 30-day ones sent and answered.
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


def _demo_pass_assessments(learner, course) -> None:
    """Pass the course's required assessments the way the assessments demo does (through its
    services), so that the freelancing course completes and its follow-ups start."""
    pages = AssessmentPage.objects.child_of(course).live().filter(required_for_completion=True)
    for page in pages:
        if not Attempt.objects.filter(assessment=page, learner=learner, passed=True).exists():
            _demo_attempt(learner, page, PASSED)


@transaction.atomic
def demo_reports_seed() -> None:
    _demo_attendance()
    _demo_freelancing()
