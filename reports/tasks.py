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
    """Record the week's reports (last week by default) and queue one task per report not sent
    yet, so a failure retries one report, not all of them; the number queued. Beat runs it
    hourly from Monday morning: a report lost to an outage goes out at the next run."""
    from .weekly import week_parse, weekly_reports_owed

    week = week_parse(week_label)
    owed = weekly_reports_owed(week=week)
    for center_id in owed:
        weekly_report_send_task.delay(week.label, center_id)
    return len(owed)


@shared_task(
    name="reports.weekly_report_send_task",
    soft_time_limit=240,
    time_limit=300,
    ignore_result=True,
    **_RETRY,
)
def weekly_report_send_task(week_label: str, center_id: int | None) -> int:
    """Send one week's report of one center (None: the programme's), unless already sent."""
    from .weekly import week_parse, weekly_report_deliver

    center = Center.objects.get(pk=center_id) if center_id is not None else None
    return weekly_report_deliver(week=week_parse(week_label), center=center)


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


@shared_task(name="reports.trend_snapshots_refresh_task", **_RETRY)
def trend_snapshots_refresh_task() -> int:
    """Celery beat, hourly: the dashboards' stored weekly trends (reports.trend_snapshots;
    nothing to do on SQLite)."""
    from .trend_snapshots import trend_snapshots_refresh

    return trend_snapshots_refresh()
