from celery import shared_task

from .services import attempts_submit_overdue


@shared_task(name="assessments.submit_overdue_attempts")
def submit_overdue_attempts_task() -> int:
    """Celery beat, every minute: attempts past their time are submitted with saved answers."""
    return attempts_submit_overdue()


@shared_task(name="assessments.project_files_purge_task")
def project_files_purge_task() -> int:
    """Celery beat, daily: project files past ASSESSMENT_FILE_RETENTION_DAYS are deleted."""
    from .privacy import project_files_purge

    return project_files_purge()
