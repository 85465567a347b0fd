"""Certificates whose follow-up is still owed, and the beat sweep that does it.

Issuing a certificate owes two things after the commit: its PDF and the learner's e-mail. What is
owed is the certificate's own state in PostgreSQL, written by the transaction that issued it: no
``pdf_sha256`` yet, no ``notified_at`` yet. The tasks queued on commit normally pay it within
seconds; when they were never queued (the broker was down), were lost, or their worker died, this
sweep finds the certificate a little later and does the work itself. Both steps are idempotent
under the certificate's row lock (``certificate_pdf_store`` keeps a stored PDF whose hash
matches; ``certificate_notify_learner`` sends only while ``notified_at`` is empty), so the sweep
and a late task never render or e-mail twice. See docs/decisions/0019-no-task-lost.md.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Certificate
from .notifications import certificate_notify_learner
from .services_pdf import certificate_pdf_store

logger = logging.getLogger(__name__)

# One sweep works for at most this long, so the next one (a minute later) never overlaps it.
SWEEP_BUDGET_SECONDS = 40


def certificates_follow_up_owed(*, issued_before: datetime.datetime) -> list[int]:
    """Ids of valid certificates issued before ``issued_before`` still owed a PDF or an e-mail,
    oldest first."""
    return list(
        Certificate.objects.filter(status=Certificate.Status.ISSUED, issued_at__lt=issued_before)
        .filter(Q(pdf_sha256="") | Q(notified_at__isnull=True))
        .order_by("issued_at", "pk")
        .values_list("pk", flat=True)
    )


def certificates_follow_up_sweep(*, budget_seconds: float = SWEEP_BUDGET_SECONDS) -> int:
    """Render and announce the certificates whose follow-up is overdue; the number finished.

    Overdue means issued more than ``CERTIFICATE_FOLLOW_UP_GRACE_SECONDS`` ago, so the tasks
    queued on issue get their chance first. A certificate that fails (disk full, mail server
    away) is logged and left owed for the next sweep; the others go on.
    """
    grace = datetime.timedelta(seconds=settings.CERTIFICATE_FOLLOW_UP_GRACE_SECONDS)
    owed = certificates_follow_up_owed(issued_before=timezone.now() - grace)
    deadline = time.monotonic() + budget_seconds
    finished = 0
    for certificate_id in owed:
        if time.monotonic() > deadline:
            break
        try:
            certificate_pdf_store(certificate_id=certificate_id)
            certificate_notify_learner(certificate_id=certificate_id)
        except Exception:
            logger.exception(
                "Certificate %s is still owed its PDF or e-mail; the next sweep tries again",
                certificate_id,
            )
            continue
        finished += 1
    if owed:
        logger.warning("Certificate sweep: %s owed, %s finished", len(owed), finished)
    return finished
