"""The columns of every table the reports show, defined once for the page, the exports and the
PDF: a dashboard and its export cannot disagree about what a column holds or how it is rounded.

A cell's *value* is what an export writes (a number, a date, a string, or None for "no figure");
its *text* is what a page prints.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable
    kind: str = "int"  # int, percent, text, date

    def text(self, row) -> str:
        value = self.value(row)
        if value is None or value == "":
            return "—"
        if self.kind == "percent":
            return f"{value}%"
        if self.kind == "date":
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        if self.kind == "int":
            return formats.number_format(value)
        return str(value)


def _date(attribute):
    def value(row):
        moment = getattr(row, attribute)
        if moment is None:
            return None
        return timezone.localtime(moment).date() if hasattr(moment, "tzinfo") else moment

    return value


def _whole(number) -> int:
    """A percentage as a whole number, halves rounded up, as every rate here."""
    return int(Decimal(number).quantize(Decimal(1), ROUND_HALF_UP))


def _attr(name):
    return lambda row: getattr(row, name)


FIGURE_COLUMNS = (
    Column("learners", _("Learners"), _attr("learners")),
    Column("active_week", _("Active this week"), _attr("active_week")),
    Column("lessons_completed", _("Lessons completed"), _attr("lessons_completed")),
    Column("completion_rate", _("Completion rate"), _attr("completion_rate"), "percent"),
    Column("pass_rate", _("Pass rate"), _attr("pass_rate"), "percent"),
    Column("certificates_issued", _("Certificates issued"), _attr("certificates_issued")),
    Column("certificates_verified", _("Certificates verified"), _attr("certificates_verified")),
    Column("attendance_rate", _("Attendance rate"), _attr("attendance_rate"), "percent"),
)

CENTER_COLUMNS = (
    Column("center", _("Center"), _attr("label"), "text"),
    Column("code", _("Code"), lambda row: row.obj.code if row.obj else "", "text"),
    Column("district", _("District"), lambda row: row.obj.district if row.obj else "", "text"),
    *FIGURE_COLUMNS,
)

COHORT_COLUMNS = (
    Column("cohort", _("Cohort"), _attr("label"), "text"),
    Column("shift", _("Shift"), lambda row: row.obj.get_shift_display() if row.obj else "", "text"),
    *FIGURE_COLUMNS,
)

LEARNER_COLUMNS = (
    Column("name", _("Learner"), _attr("name"), "text"),
    Column("username", _("Username"), _attr("username"), "text"),
    Column("center", _("Center"), _attr("center"), "text"),
    Column("cohort", _("Cohort"), _attr("cohort"), "text"),
    Column("course", _("Course"), _attr("course"), "text"),
    Column("status", _("Status"), _attr("status"), "text"),
    Column("enrolled_on", _("Enrolled"), _date("enrolled_on"), "date"),
    Column("lessons_completed", _("Lessons completed"), _attr("lessons_completed")),
    Column("last_seen", _("Last seen"), _date("last_seen"), "date"),
    Column("completed_on", _("Completed"), _date("completed_on"), "date"),
    Column(
        "best_percent",
        _("Best score"),
        lambda row: None if row.best_percent is None else _whole(row.best_percent),
        "percent",
    ),
    Column(
        "passed",
        _("Passed"),
        lambda row: None if row.passed is None else str(_("yes") if row.passed else _("no")),
        "text",
    ),
    Column("attendance_rate", _("Attendance rate"), _attr("attendance_rate"), "percent"),
    Column("certificate", _("Certificate"), _attr("certificate"), "text"),
)

OUTCOME_COLUMNS = (
    Column("center", _("Center"), _attr("center"), "text"),
    Column("track", _("Track"), _attr("track"), "text"),
    Column("days_after", _("Days after completion"), _attr("days_after")),
    Column("sent", _("Sent"), _attr("sent")),
    Column("answered", _("Answered"), _attr("answered")),
    Column("profile_rate", _("Marketplace profile"), _attr("profile_rate"), "percent"),
    Column("paid_rate", _("First paid job"), _attr("paid_rate"), "percent"),
    Column("looking_rate", _("Still looking"), _attr("looking_rate"), "percent"),
    Column("earning_10k", _("Earning PKR 10,000+ a month"), _attr("earning_10k")),
)


def table_rows(columns, rows) -> list[list[str]]:
    """Each row as the texts a page prints."""
    return [[column.text(row) for column in columns] for row in rows]
