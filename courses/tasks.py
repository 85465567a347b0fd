from celery import shared_task
from django.core.management import call_command


@shared_task(name="courses.publish_scheduled_pages_task")
def publish_scheduled_pages_task() -> None:
    """Publish pages whose scheduled go-live time has come (and unpublish expired ones).

    Celery beat runs this every minute; it wraps Wagtail's own ``publish_scheduled`` command.
    """
    call_command("publish_scheduled")


@shared_task(name="courses.roster_rows_purge_task")
def roster_rows_purge_task() -> int:
    """Celery beat, daily: old roster imports lose their rows (ROSTER_IMPORT_RETENTION_DAYS)."""
    from .privacy import roster_rows_purge

    return roster_rows_purge()


@shared_task(name="courses.announcement_email_task", acks_late=True)
def announcement_email_task(announcement_id: int) -> int:
    """E-mail a new announcement to its learners who have an address (once only)."""
    from .staff import announcement_email

    return announcement_email(announcement_id=announcement_id)
