"""The weekly report: one per center and one for the programme, as a PDF (WeasyPrint, charts
included) and the CSV of its table, e-mailed to the center's managers and the programme admins.

Celery beat records the reports owed for the week just ended (``WeeklyReportDelivery``) from
early Monday and sends the unsent ones, hourly, each once (:func:`weekly_report_deliver`);
``manage.py programme_report --week YYYY-Www [--center CODE]`` builds the same files on demand.
The figures are the dashboards' (:mod:`reports.selectors`) with the period set to the week.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.rendering import FONTS_DIR, pdf_resources
from lms.models import Center, CenterStaff, Cohort
from lms.roles import PROGRAMME_ADMIN

from . import tables
from .charts import figure_charts
from .exports import csv_lines
from .filters import ReportFilters
from .followups import outcome_rows
from .models import WeeklyReportDelivery
from .selectors import center_table, cohort_table

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
WEEK_INVALID = gettext_lazy("Give the week as YYYY-Www, for example 2026-W48.")
TEMPLATE = "reports/pdf/weekly.html"
STYLESHEET = "reports/pdf/weekly.css"


class WeekError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def filters(self) -> ReportFilters:
        return ReportFilters(
            date_from=self.monday,
            date_to=self.sunday,
            labels={str(_("Week")): f"{self.label} ({self.monday} – {self.sunday})"},
        )


def week_of(day: datetime.date) -> Week:
    year, number, _weekday = day.isocalendar()
    return Week(year, number)


def last_week() -> Week:
    return week_of(timezone.localdate() - datetime.timedelta(days=7))


def week_parse(text: str) -> Week:
    """ "2026-W48" → Week; empty → the week before this one; anything else → WeekError."""
    if not text:
        return last_week()
    match = WEEK_PATTERN.match(text.strip())
    if not match:
        raise WeekError(WEEK_INVALID)
    try:
        week = Week(int(match[1]), int(match[2]))
        week.monday  # noqa: B018 -- validates the week number for that year
    except ValueError as error:
        raise WeekError(WEEK_INVALID) from error
    return week


# --- Content ------------------------------------------------------------------------------------


def _table_rows(week: Week, center: Center | None):
    filters = week.filters()
    if center is None:
        rows, total = center_table(centers=Center.objects.filter(is_active=True), filters=filters)
        return tables.CENTER_COLUMNS, rows, total, filters
    rows, total = cohort_table(center=center, cohorts=Cohort.objects.all(), filters=filters)
    return tables.COHORT_COLUMNS, rows, total, filters


def weekly_report_csv(*, week: Week, center: Center | None) -> bytes:
    # Its file name (programme-2026-W48.csv, GLT-2026-W48.csv) says what it is.
    columns, rows, _total, _filters = _table_rows(week, center)
    return "".join(csv_lines(columns, rows)).encode("utf-8")


def _weekly_title(week: Week, center: Center | None) -> str:
    name = center.name if center else _("Programme")
    return _("%(name)s: weekly report %(week)s") % {"name": name, "week": week.label}


def weekly_report_html(*, week: Week, center: Center | None) -> str:
    columns, rows, total, filters = _table_rows(week, center)
    lead = len(columns) - len(tables.FIGURE_COLUMNS)
    outcome_centers = [center] if center else Center.objects.all()
    context = {
        "title": _weekly_title(week, center),
        "week": week,
        "center": center,
        "columns": columns,
        "rows": tables.table_rows(columns, rows),
        "total": [c.text(total) for c in columns[lead:]],
        "lead": lead,
        "charts": figure_charts(rows, per="cohort" if center else "center"),
        "outcome_columns": tables.OUTCOME_COLUMNS,
        "outcomes": tables.table_rows(
            tables.OUTCOME_COLUMNS, outcome_rows(centers=outcome_centers, filters=filters)
        ),
        "generated": timezone.localtime(),
    }
    return render_to_string(TEMPLATE, context)


def weekly_report_pdf(*, week: Week, center: Center | None) -> bytes:
    from weasyprint import HTML

    font_config, stylesheet, fetcher = pdf_resources(STYLESHEET)
    html = weekly_report_html(week=week, center=center)
    document = HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)


# --- Sending ------------------------------------------------------------------------------------


def report_files(*, week: Week, center: Center | None) -> dict[str, tuple[bytes, str]]:
    """{file name: (content, MIME type)} of one report."""
    stem = center.code if center else "programme"
    return {
        f"{stem}-{week.label}.pdf": (
            weekly_report_pdf(week=week, center=center),
            "application/pdf",
        ),
        f"{stem}-{week.label}.csv": (
            weekly_report_csv(week=week, center=center),
            "text/csv",
        ),
    }


def _send(*, week: Week, center: Center | None, recipients: list[str]) -> int:
    if not recipients:
        return 0
    title = _weekly_title(week, center)
    body = render_to_string(
        "reports/email/weekly_body.txt",
        {"title": title, "week": week, "center": center, "url": settings.WAGTAILADMIN_BASE_URL},
    )
    message = EmailMessage(subject=title, body=body, to=recipients)
    for name, (content, mime) in report_files(week=week, center=center).items():
        message.attach(name, content, mime)
    message.send()
    return 1


def weekly_report_recipients(center: Center | None) -> list[str]:
    User = get_user_model()
    if center is None:
        people = User.objects.filter(Q(is_superuser=True) | Q(groups__name=PROGRAMME_ADMIN))
    else:
        people = User.objects.filter(
            center_roles__center=center, center_roles__role=CenterStaff.Role.MANAGER
        )
    people = people.filter(is_active=True).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def weekly_report_send(*, week: Week, center: Center | None) -> int:
    """E-mail one report (a center's to its managers, the programme's to the programme admins);
    1 when sent, 0 when nobody with an e-mail address is there to receive it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _send(week=week, center=center, recipients=weekly_report_recipients(center))


def weekly_reports_send(*, week: Week | None = None) -> int:
    """Every active center's report and the programme's; the number of e-mails sent."""
    week = week or last_week()
    sent = sum(
        weekly_report_send(week=week, center=center)
        for center in Center.objects.filter(is_active=True).order_by("code")
    )
    return sent + weekly_report_send(week=week, center=None)


def weekly_reports_owed(*, week: Week) -> list[int | None]:
    """Record the week's reports (every active center's and the programme's) and return the
    center ids (None: the programme) of those not sent yet."""
    wanted = [
        *Center.objects.filter(is_active=True).order_by("code").values_list("pk", flat=True),
        None,
    ]
    known = set(WeeklyReportDelivery.objects.filter(week=week.label).values_list("center_id"))
    for center_id in wanted:
        if (center_id,) in known:
            continue
        try:
            with transaction.atomic():
                WeeklyReportDelivery.objects.create(week=week.label, center_id=center_id)
        except IntegrityError:
            pass  # another sweep recorded it meanwhile
    sent = set(
        WeeklyReportDelivery.objects.filter(week=week.label, sent_at__isnull=False).values_list(
            "center_id", flat=True
        )
    )
    return [center_id for center_id in wanted if center_id not in sent]


@transaction.atomic
def weekly_report_deliver(*, week: Week, center: Center | None) -> int:
    """Send one recorded report unless it was sent already; 1 when an e-mail went out.

    The delivery row is locked while the report is built and sent and marked sent in the same
    transaction, so two workers (a redelivered task, the hourly sweep) never send it twice; a
    worker that dies after the mail server accepted it and before the commit sends it again.
    """
    delivery, _created = WeeklyReportDelivery.objects.select_for_update().get_or_create(
        week=week.label, center=center
    )
    if delivery.sent_at is not None:
        return 0
    sent = weekly_report_send(week=week, center=center)
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["sent_at"])
    return sent
