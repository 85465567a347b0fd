"""Celery tasks of the reports app: thin wrappers that take ids (or a week label) and retry only
transient failures. Beat entries are in ``lms/settings/base.py`` (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from lms.models import Center

TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
_RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(name="reports.weekly_reports_send_task", **_RETRY)
def weekly_reports_send_task(week_label: str = "") -> int:
    """Queue one report task per active center and one for the programme (last week by
    default), so a failure retries one report, not all of them."""
    from .weekly import week_parse

    week = week_parse(week_label)
    ids = list(Center.objects.filter(is_active=True).order_by("code").values_list("pk", flat=True))
    for center_id in ids:
        weekly_report_send_task.delay(week.label, center_id)
    weekly_report_send_task.delay(week.label, None)
    return len(ids) + 1


@shared_task(name="reports.weekly_report_send_task", soft_time_limit=240, time_limit=300, **_RETRY)
def weekly_report_send_task(week_label: str, center_id: int | None) -> int:
    from .weekly import week_parse, weekly_report_send

    center = Center.objects.get(pk=center_id) if center_id is not None else None
    return weekly_report_send(week=week_parse(week_label), center=center)


@shared_task(name="reports.followups_send_due_task", **_RETRY)
def followups_send_due_task() -> int:
    """Create any missing follow-ups, then send the ones that are due; the number sent."""
    from .followups import followups_schedule_missing, followups_send_due

    followups_schedule_missing()
    return followups_send_due()


@shared_task(name="reports.followup_links_purge_task", **_RETRY)
def followup_links_purge_task() -> int:
    """Celery beat, daily: spent and closed follow-up links are forgotten."""
    from .privacy import followup_links_purge

    return followup_links_purge()


@shared_task(name="reports.figure_snapshots_refresh_task", **_RETRY)
def figure_snapshots_refresh_task() -> int:
    """Celery beat, every REPORTS_FIGURES_REFRESH_SECONDS: the dashboards' stored figures
    (reports.summaries; nothing to do on SQLite)."""
    from .summaries import figure_snapshots_refresh

    return figure_snapshots_refresh()
