"""Attendance: class sessions, marks, corrections and rates (being written)."""

from .models import AttendanceMark, CohortSession


def attendance_rate(*, learner, cohort) -> float | None:
    """Share of the cohort's sessions the learner attended (present or late), excused ones left
    out; None when no session has been marked for them yet."""
    marks = AttendanceMark.objects.filter(learner=learner, session__cohort=cohort).exclude(
        status=AttendanceMark.Status.EXCUSED
    )
    total = marks.count()
    if not total:
        return None
    attended = marks.filter(
        status__in=[AttendanceMark.Status.PRESENT, AttendanceMark.Status.LATE]
    ).count()
    return attended / total


__all__ = ["attendance_rate", "CohortSession"]
