from celery import shared_task


@shared_task(name="lms.ping_task")
def ping_task(payload: str = "pong") -> dict:
    """Answer from a worker: operators check a deployment with
    ``celery -A lms call lms.ping_task``; the test suite uses it for a real round trip."""
    import os
    import socket

    return {"payload": payload, "host": socket.gethostname(), "pid": os.getpid()}


@shared_task(name="lms.signin_logs_purge_task")
def signin_logs_purge_task() -> int:
    """Celery beat, daily: sign-in logs older than SIGNIN_LOG_RETENTION_DAYS go."""
    from .retention import signin_logs_purge

    return signin_logs_purge()


@shared_task(name="lms.sessions_purge_task")
def sessions_purge_task() -> None:
    """Celery beat, daily: expired sessions go (``clearsessions``)."""
    from .retention import sessions_purge

    sessions_purge()


@shared_task(name="lms.notices_email_task", acks_late=True)
def notices_email_task(notice_ids: list[int]) -> int:
    """E-mail staff notices to their users' addresses."""
    from .notices import notices_email

    return notices_email(notice_ids=notice_ids)
