"""How long sign-in logs and sessions are kept (docs/privacy.md, "How long"); run by beat.

Each period is a setting read from the environment (``lms/settings/base.py``).
"""

import datetime

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone


def retention_cutoff(days: int, now: datetime.datetime | None = None) -> datetime.datetime:
    """The instant before which rows kept ``days`` days are due to go."""
    return (now or timezone.now()) - datetime.timedelta(days=days)


def signin_logs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete django-axes sign-in records (attempts, successful sign-ins, failures: username,
    address, browser) older than ``SIGNIN_LOG_RETENTION_DAYS``; how many went."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = retention_cutoff(settings.SIGNIN_LOG_RETENTION_DAYS, now)
    removed = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        count, _per_model = model.objects.filter(attempt_time__lt=cutoff).delete()
        removed += count
    return removed


def sessions_purge() -> None:
    """Expired sessions leave the database (Django's own ``clearsessions``)."""
    call_command("clearsessions")
