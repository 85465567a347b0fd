"""Weekly trends over the term: the one home of the weekly series the dashboards chart.

A week is an ISO week (Monday to Sunday) in the programme's time zone. Four figures per week, for
the programme (``by=None``), each center or each cohort, each one grouped query over every week
and group at once (five queries in all, whatever the number of weeks, centers or cohorts):

- active learners: distinct learners who last opened a lesson in that week (a lesson's row keeps
  its latest visit only, so a learner who came back to a lesson counts in the later week);
- lessons completed: lesson completions in the week;
- attendance rate: the rate of ``docs/decisions/0002-attendance-rate.md`` over the sessions
  dated in the week (:func:`reports.attendance.attendance_weekly`);
- certificates issued: valid certificates issued in the week.

The weeks shown (:func:`trend_weeks`): the period's weeks when a period is set; otherwise the
last :data:`TREND_WEEKS` weeks, or for a cohort its weeks from its start date (to its end date
or this week), at most :data:`MAX_WEEKS`. The other filters (track, shift, learner type, …)
apply as on every dashboard. Callers pass the centers or cohorts the user may see.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy

from certificates.models import Certificate
from courses.models import Enrollment, LessonProgress
from lms.models import Cohort

from .attendance import attendance_weekly
from .filters import ReportFilters
from .selectors import percent

TREND_WEEKS = 12
MAX_WEEKS = 26


@dataclass(frozen=True)
class TrendFigure:
    """One charted figure: its key (as in ``?trend=``), names, and how a week gives its value."""

    key: str
    title: str
    unit: str = ""
    rate: bool = False


FIGURES = {
    f.key: f
    for f in (
        TrendFigure("active", gettext_lazy("Active learners")),
        TrendFigure("lessons", gettext_lazy("Lessons completed")),
        TrendFigure("attendance", gettext_lazy("Attendance rate"), unit="%", rate=True),
        TrendFigure("certificates", gettext_lazy("Certificates issued")),
    )
}


@dataclass
class WeekFigures:
    """The figures of one week of one group; the attendance rate keeps its parts."""

    week: datetime.date
    active: int = 0
    lessons: int = 0
    attended: int = 0
    attendance_counted: int = 0
    certificates: int = 0

    @property
    def attendance(self) -> int | None:
        return percent(self.attended, self.attendance_counted)

    def value(self, figure: str):
        return getattr(self, figure)


@dataclass
class Trend:
    """A group's weekly figures, one per week in order, and when they were computed (None:
    now)."""

    weeks: list[WeekFigures] = field(default_factory=list)
    as_of: datetime.datetime | None = None

    def series(self, figure: str) -> list[tuple[datetime.date, int | None]]:
        return [(w.week, w.value(figure)) for w in self.weeks]


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def trend_weeks(*, filters: ReportFilters, cohort: Cohort | None = None) -> list[datetime.date]:
    """The Mondays of the weeks a trend shows, oldest first (see the module docstring)."""
    today = timezone.localdate()
    last = _monday(filters.date_to or today)
    if filters.date_from:
        first = _monday(filters.date_from)
    elif cohort is not None:
        if cohort.end_date and not filters.date_to:
            last = _monday(min(cohort.end_date, today))
        first = _monday(cohort.start_date)
    else:
        first = last - datetime.timedelta(weeks=TREND_WEEKS - 1)
    first = max(first, last - datetime.timedelta(weeks=MAX_WEEKS - 1))
    if first > last:  # a cohort that starts later: this week alone
        first = last
    count = (last - first).days // 7 + 1
    return [first + datetime.timedelta(weeks=n) for n in range(count)]


_GROUPS = {
    "center": ("center_id", "enrollment__center_id", "cohort__center_id"),
    "cohort": ("cohort_id", "enrollment__cohort_id", "cohort_id"),
    None: (None, None, None),
}


def _by_week(queryset, group: str | None, moment: str, **aggregates):
    """Rows (group key, Monday, aggregates) of ``queryset`` by the week of ``moment``."""
    fields = [group] if group else []
    rows = (
        queryset.annotate(week=TruncWeek(moment, output_field=DateField()))
        .values(*fields, "week")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        yield (row[group] if group else None), row["week"], row


def weekly_figures_by(
    *, by: str | None, centers, filters: ReportFilters, weeks: list, cohorts=None
) -> dict:
    """{center id | cohort id | None: Trend} for the enrollments and members at ``centers`` (and,
    when given, in ``cohorts``), over ``weeks`` (Mondays, from :func:`trend_weeks`). A group
    with nothing in any week has no entry; :func:`trend_of` fills in zeros."""
    _enrollment, via_enrollment, membership = _GROUPS[by]
    first, last = weeks[0], weeks[-1] + datetime.timedelta(days=6)
    period = (
        ReportFilters._start_of(first),
        ReportFilters._start_of(last + datetime.timedelta(days=1)),
    )
    scope = Q(center__in=centers)
    if cohorts is not None:
        scope &= Q(cohort__in=cohorts)
    enrollments = Enrollment.objects.filter(scope & filters.enrollment_q())
    progress = LessonProgress.objects.filter(enrollment__in=enrollments)
    found: dict = {}

    def cell(key, week) -> WeekFigures:
        days = found.setdefault(key, {})
        return days.setdefault(week, WeekFigures(week=week))

    seen = progress.filter(last_seen_at__gte=period[0], last_seen_at__lt=period[1])
    for key, week, row in _by_week(
        seen, via_enrollment, "last_seen_at", n=Count("enrollment__learner", distinct=True)
    ):
        cell(key, week).active = row["n"]
    done = progress.filter(completed_at__gte=period[0], completed_at__lt=period[1])
    for key, week, row in _by_week(done, via_enrollment, "completed_at", n=Count("pk")):
        cell(key, week).lessons = row["n"]
    issued = Certificate.objects.filter(
        enrollment__in=enrollments,
        status=Certificate.Status.ISSUED,
        issued_at__gte=period[0],
        issued_at__lt=period[1],
    )
    for key, week, row in _by_week(issued, via_enrollment, "issued_at", n=Count("pk")):
        cell(key, week).certificates = row["n"]
    cohort_scope = Cohort.objects.filter(center__in=centers)
    if cohorts is not None:
        cohort_scope = cohort_scope.filter(pk__in=cohorts)
    for (key, week), (attended, counted) in attendance_weekly(
        cohorts=cohort_scope, filters=filters, group=membership, first=first, last=last
    ).items():
        c = cell(key, week)
        c.attended, c.attendance_counted = attended, counted
    return {key: _filled(days, weeks) for key, days in found.items()}


def _filled(days: dict, weeks) -> Trend:
    return Trend(weeks=[days.get(week) or WeekFigures(week=week) for week in weeks])


def trend_of(trends: dict, key, weeks) -> Trend:
    """The trend of ``key``, zeros when nothing happened in any week."""
    return trends.get(key) or _filled({}, weeks)
