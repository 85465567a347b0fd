"""The demo's one clock: every demo date is a distance from today, so a demo seeded any day
looks like a programme that is running now (the term started weeks ago, attendance was taken
last week, a quiz is due next week)."""

import datetime

from django.utils import timezone

TERM_WEEKS = 12  # the demo term started this many weeks ago
CLASS_DAYS = (0, 3)  # Monday and Thursday: the days demo cohorts meet
ATTENDANCE_WEEKS = 6  # how far back demo attendance goes


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def term_start() -> datetime.date:
    """The Monday the demo cohorts started, :data:`TERM_WEEKS` weeks ago."""
    start = days_ago(7 * TERM_WEEKS)
    return start - datetime.timedelta(days=start.weekday())


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """``day`` at ``hour`` o'clock, in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def class_days() -> list[datetime.date]:
    """The demo class days of the last :data:`ATTENDANCE_WEEKS` weeks, oldest first, today
    included when it is one (so there is always a session within the last seven days)."""
    first = days_ago(7 * ATTENDANCE_WEEKS - 1)
    days = (first + datetime.timedelta(days=n) for n in range(7 * ATTENDANCE_WEEKS))
    return [day for day in days if day.weekday() in CLASS_DAYS]
