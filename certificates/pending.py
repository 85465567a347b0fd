"""Work owed after a commit, recorded in PostgreSQL, and the beat sweep that does it.

Completing a course owes a certificate (issued after the completion commits, by a signal's
receiver); issuing one owes its PDF and the learner's e-mail. What is owed is plain state in
PostgreSQL, written by the transaction that made it owed: a completed enrollment with no
certificate at all; a certificate with no ``pdf_sha256`` or no ``notified_at`` yet. The tasks
queued on commit normally pay it within seconds; when they were never queued (the broker was
down), were lost, or their process died, this sweep finds it a little later and does the work
itself. Every step is idempotent under a row lock (``certificate_issue`` returns the existing
certificate; ``certificate_pdf_store`` keeps a stored PDF whose hash matches;
``certificate_notify_learner`` sends only while ``notified_at`` is empty), so the sweep and a
late task never issue, render or e-mail twice. See docs/decisions/0019-no-task-lost.md."""

import datetime
import logging
import time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from courses.models import Enrollment

from .models import Certificate
from .notifications import certificate_notify_learner
from .services import certificate_issue_on_completion
from .services_pdf import certificate_pdf_store

logger = logging.getLogger(__name__)

# One sweep works for at most this long, so the next one (a minute later) never overlaps it.
SWEEP_BUDGET_SECONDS = 40
# Completions older than this are left to a manager: the sweep repairs a lost receiver, it does
# not issue, on the day it is deployed, certificates a rule or a missing key once held back.
COMPLETION_LOOKBACK = datetime.timedelta(days=2)


def enrollments_owed_certificate(*, completed_before: datetime.datetime) -> list[int]:
    """Ids of enrollments completed (within ``COMPLETION_LOOKBACK``) before ``completed_before``
    that have no certificate at all: the process that completed them died before issuing one.
    An enrollment whose certificate was revoked has one, and is never issued another here."""
    return list(
        Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED,
            completed_at__lt=completed_before,
            completed_at__gte=completed_before - COMPLETION_LOOKBACK,
            certificates__isnull=True,
        )
        .order_by("completed_at", "pk")
        .values_list("pk", flat=True)
    )


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
    cutoff = timezone.now() - grace
    for enrollment_id in enrollments_owed_certificate(completed_before=cutoff):
        certificate_issue_on_completion(enrollment=Enrollment(pk=enrollment_id))
    owed = certificates_follow_up_owed(issued_before=cutoff)
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
