"""Attendance: class sessions, marks per learner, corrections and attendance rates.

Writes go through :func:`cohort_session_get_or_create` and :func:`attendance_record`; reads
through :func:`attendance_rate`, :func:`cohort_attendance_summary`,
:func:`cohort_attendance_rates` and :func:`attendance_history`. Callers check that the user may
see the cohort (:mod:`lms.permissions`) before calling any of them.

The rate
--------
A learner's rate in a cohort is ``(present + late) / (present + late + absent)``, where

- every mark the learner has in the cohort's sessions counts, whatever its date;
- a session *taken* (it has at least one mark) on or after the day the learner joined the cohort,
  for which the learner has no mark, counts as absent: the trainer took attendance and the
  learner was not on it;
- excused marks, sessions before the learner joined that have no mark for them, and sessions
  nobody has marked yet count for nothing;
- ``None`` when nothing counts (no session applies, or only excused ones).

Explicit marks before the joining day count because ``joined_at`` is when a manager put the
learner on the list, which may be after the class began (a late roster import, attendance
copied in from paper).
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import (
    AttendanceChange,
    AttendanceMark,
    Cohort,
    CohortMembership,
    CohortSession,
    User,
)

Status = AttendanceMark.Status

DATE_BEFORE_START = _("This cohort starts on %(start)s; attendance can't be taken before that.")
DATE_AFTER_END = _("This cohort ended on %(end)s; attendance can't be taken after that.")
DATE_IN_FUTURE = _("Attendance can't be taken for a day that hasn't come yet.")
LEARNERS_NOT_IN_COHORT = _(
    "Some marks (%(count)d) are for learners who are not in this cohort. Nothing was saved."
)
STATUS_INVALID = _("“%(status)s” is not an attendance status. Nothing was saved.")


class AttendanceError(Exception):
    """A session or a set of marks was refused; ``message`` says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Sessions -----------------------------------------------------------------------------------


@transaction.atomic
def cohort_session_get_or_create(*, cohort: Cohort, date, topic: str = "", user) -> CohortSession:
    """The cohort's session on ``date`` in its shift, created if needed.

    Refuses a date outside the cohort's start and end dates or after today. A non-empty
    ``topic`` replaces the topic of an existing session. ``user`` is who asked (for the record;
    the caller has checked they may see the cohort).
    """
    if date < cohort.start_date:
        raise AttendanceError(DATE_BEFORE_START % {"start": date_format(cohort.start_date)})
    if cohort.end_date and date > cohort.end_date:
        raise AttendanceError(DATE_AFTER_END % {"end": date_format(cohort.end_date)})
    if date > timezone.localdate():
        raise AttendanceError(DATE_IN_FUTURE)
    topic = (topic or "").strip()
    session, created = CohortSession.objects.get_or_create(
        cohort=cohort, date=date, shift=cohort.shift, defaults={"topic": topic}
    )
    if not created and topic and session.topic != topic:
        session.topic = topic
        session.save(update_fields=["topic"])
    return session


# --- Marks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRecordResult:
    created: int
    changed: int
    unchanged: int


@transaction.atomic
def attendance_record(
    *, session: CohortSession, marks: dict[int, str], user
) -> AttendanceRecordResult:
    """Save a whole session's marks at once: ``marks`` maps learner ids to statuses.

    Everything is checked before anything is written: every learner must be a member of the
    session's cohort and every status one of :class:`AttendanceMark.Status`, otherwise
    :class:`AttendanceError` and nothing is saved. Learners left out of ``marks`` keep what they
    had. Each new mark and each real change gets an :class:`AttendanceChange` row (who, when);
    re-saving a status that did not change writes nothing. A constant number of queries,
    whatever the size of the class.
    """
    wanted: dict[int, str] = {}
    strangers = 0
    for learner_id, status in marks.items():
        if status not in Status.values:
            raise AttendanceError(STATUS_INVALID % {"status": str(status)[:20]})
        try:
            wanted[int(learner_id)] = status
        except (TypeError, ValueError):
            strangers += 1

    # Saves of one session queue up behind each other (PostgreSQL; SQLite locks the database).
    CohortSession.objects.select_for_update().only("pk").get(pk=session.pk)

    members = set(
        CohortMembership.objects.filter(
            cohort_id=session.cohort_id, learner_id__in=wanted
        ).values_list("learner_id", flat=True)
    )
    strangers += len(wanted.keys() - members)
    if strangers:
        raise AttendanceError(LEARNERS_NOT_IN_COHORT % {"count": strangers})
    if not wanted:
        return AttendanceRecordResult(created=0, changed=0, unchanged=0)

    now = timezone.now()
    existing = {
        mark.learner_id: mark
        for mark in AttendanceMark.objects.filter(session=session, learner_id__in=wanted)
    }
    new_marks, changed_marks, changes = [], [], []
    for learner_id, status in wanted.items():
        mark = existing.get(learner_id)
        if mark is None:
            new_marks.append(
                AttendanceMark(
                    session=session,
                    learner_id=learner_id,
                    status=status,
                    marked_by=user,
                    marked_at=now,
                )
            )
        elif mark.status != status:
            changes.append(
                AttendanceChange(
                    mark=mark,
                    status_before=mark.status,
                    status_after=status,
                    changed_by=user,
                    changed_at=now,
                )
            )
            mark.status, mark.marked_by, mark.marked_at = status, user, now
            changed_marks.append(mark)

    if new_marks:
        AttendanceMark.objects.bulk_create(new_marks)
        if any(mark.pk is None for mark in new_marks):  # a database that cannot RETURNING
            ids = dict(
                AttendanceMark.objects.filter(
                    session=session, learner_id__in=[m.learner_id for m in new_marks]
                ).values_list("learner_id", "pk")
            )
            for mark in new_marks:
                mark.pk = ids[mark.learner_id]
        changes.extend(
            AttendanceChange(
                mark=mark,
                status_before="",
                status_after=mark.status,
                changed_by=user,
                changed_at=now,
            )
            for mark in new_marks
        )
    if changed_marks:
        AttendanceMark.objects.bulk_update(changed_marks, ["status", "marked_by", "marked_at"])
    if changes:
        AttendanceChange.objects.bulk_create(changes)
    return AttendanceRecordResult(
        created=len(new_marks),
        changed=len(changed_marks),
        unchanged=len(wanted) - len(new_marks) - len(changed_marks),
    )


def attendance_history(*, mark: AttendanceMark) -> QuerySet[AttendanceChange]:
    """Every status the mark has had, oldest first, with who set it and when."""
    return mark.changes.select_related("changed_by").order_by("changed_at", "pk")


# --- Rates --------------------------------------------------------------------------------------


def attendance_percent(rate: float | None) -> int | None:
    """A rate as a whole percentage for people to read, halves rounded up (2.5 % → 3 %)."""
    return None if rate is None else math.floor(rate * 100 + 0.5)


def _rate(attended: int, missed: int) -> float | None:
    counted = attended + missed
    return attended / counted if counted else None


@dataclass(frozen=True)
class AttendanceSummaryRow:
    """One learner's counts in a cohort; ``absent`` includes sessions they were left off."""

    learner: User
    present: int
    late: int
    absent: int
    excused: int
    rate: float | None

    @property
    def rate_percent(self) -> int | None:
        return attendance_percent(self.rate)


def _with_counts(memberships: QuerySet[CohortMembership]) -> QuerySet[CohortMembership]:
    """Memberships annotated with their learner's mark counts in that cohort (see module doc)."""
    marks = "learner__attendance_marks"
    in_cohort = Q(learner__attendance_marks__session__cohort=F("cohort"))

    def status_count(status):
        return Count(marks, filter=in_cohort & Q(learner__attendance_marks__status=status))

    # Sessions of the cohort, taken on or after the joining day, with no mark for this learner.
    left_off = (
        CohortSession.objects.filter(cohort=OuterRef("cohort"), date__gte=OuterRef("joined_on"))
        .filter(Exists(AttendanceMark.objects.filter(session=OuterRef("pk"))))
        .exclude(
            Exists(
                AttendanceMark.objects.filter(
                    session=OuterRef("pk"), learner=OuterRef(OuterRef("learner"))
                )
            )
        )
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return memberships.annotate(joined_on=TruncDate("joined_at")).annotate(
        present=status_count(Status.PRESENT),
        late=status_count(Status.LATE),
        absent_marked=status_count(Status.ABSENT),
        excused=status_count(Status.EXCUSED),
        left_off=Coalesce(Subquery(left_off), 0),
    )


def _row(membership) -> AttendanceSummaryRow:
    absent = membership.absent_marked + membership.left_off
    attended = membership.present + membership.late
    return AttendanceSummaryRow(
        learner=membership.learner,
        present=membership.present,
        late=membership.late,
        absent=absent,
        excused=membership.excused,
        rate=_rate(attended, absent),
    )


def attendance_rate(*, learner, cohort) -> float | None:
    """The learner's attendance rate in the cohort, 0.0 to 1.0 (definition in the module doc);
    None when no session applies."""
    membership = _with_counts(CohortMembership.objects.filter(cohort=cohort, learner=learner))
    membership = membership.first()
    if membership is not None:
        return _row(membership).rate
    # No longer (or never) on the list: only the marks they have count.
    counts = AttendanceMark.objects.filter(learner=learner, session__cohort=cohort).aggregate(
        attended=Count("pk", filter=Q(status__in=[Status.PRESENT, Status.LATE])),
        missed=Count("pk", filter=Q(status=Status.ABSENT)),
    )
    return _rate(counts["attended"], counts["missed"])


def cohort_attendance_summary(*, cohort: Cohort) -> list[AttendanceSummaryRow]:
    """One row per learner on the cohort's list, by name, in one query."""
    memberships = (
        _with_counts(CohortMembership.objects.filter(cohort=cohort))
        .select_related("learner__learner_profile")
        .order_by("learner__learner_profile__full_name", "learner__username")
    )
    return [_row(membership) for membership in memberships]


def cohort_attendance_rates(*, cohorts) -> dict[int, float | None]:
    """{cohort id: the cohort's rate} — all its learners' attended over all their counted
    sessions — for many cohorts in one query. Cohorts with nothing counted map to None."""
    totals = defaultdict(lambda: [0, 0])
    memberships = _with_counts(CohortMembership.objects.filter(cohort__in=cohorts)).values(
        "cohort_id", "present", "late", "absent_marked", "left_off"
    )
    for row in memberships:
        total = totals[row["cohort_id"]]
        total[0] += row["present"] + row["late"]
        total[1] += row["absent_marked"] + row["left_off"]
    return {cohort_id: _rate(*total) for cohort_id, total in totals.items()}


def cohort_sessions_with_counts(*, cohort: Cohort) -> QuerySet[CohortSession]:
    """The cohort's sessions, newest first, each with how many marks of each status it has."""
    return cohort.sessions.order_by("-date", "-pk").annotate(
        marked=Count("marks"),
        **{status: Count("marks", filter=Q(marks__status=status)) for status in Status.values},
    )
