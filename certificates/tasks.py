"""Celery tasks of the certificates app: thin wrappers that take ids and own the retries.

Only transient failures (the database or storage briefly away) are retried, with backoff; a bug
fails at once. Tasks are acknowledged after they finish and requeued when their worker dies, so
every task here is idempotent.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import verification, worker  # noqa: F401  (worker: connects the start-up checks)
from .batch import BatchNotReady, batch_chunk_process, batch_zip_build, batch_zips_delete_expired
from .services_pdf import certificate_pdf_store

TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
_RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}
# Nobody waits for these tasks' results: storing none keeps the web process off the result
# backend, whose client raised "must be restarted" after a Redis outage (decision 0019).
_FIRE_AND_FORGET = {"ignore_result": True}
_RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(
    name="certificates.certificate_render_pdf_task",
    soft_time_limit=60,
    time_limit=90,
    **_RELIABLE,
    **_FIRE_AND_FORGET,
    **_RETRY,
)
def certificate_render_pdf_task(certificate_id: int) -> None:
    """Render and store a certificate's PDF (skipped when a good copy is stored)."""
    certificate_pdf_store(certificate_id=certificate_id)


@shared_task(
    name="certificates.cohort_batch_chunk_task",
    soft_time_limit=600,
    time_limit=660,
    **_RELIABLE,
    **_RETRY,
)
def cohort_batch_chunk_task(batch_id: str, index: int, enrollment_ids: list[int]) -> int:
    """Issue and render the certificates of one chunk of a cohort batch."""
    return batch_chunk_process(batch_id=batch_id, index=index, enrollment_ids=enrollment_ids)


@shared_task(
    name="certificates.cohort_batch_finish_task",
    soft_time_limit=600,
    time_limit=660,
    **_RELIABLE,
    autoretry_for=(*TRANSIENT_ERRORS, BatchNotReady),
    retry_backoff=5,
    retry_backoff_max=60,
    max_retries=60,
)
def cohort_batch_finish_task(_chunk_results, batch_id: str) -> str:
    """Zip the batch's PDFs once every chunk has reported (the chord's callback), then tell
    the learners (one task for the whole batch, queued after the ZIP exists)."""
    name = batch_zip_build(batch_id=batch_id)
    certificates_notify_batch_task.delay(batch_id)
    return name


@shared_task(
    name="certificates.certificates_notify_batch_task", **_RELIABLE, **_FIRE_AND_FORGET, **_RETRY
)
def certificates_notify_batch_task(batch_id: str) -> int:
    """E-mail every learner of a finished batch who has an address; the number sent."""
    from .batch import batch_certificate_ids
    from .notifications import certificate_notify_learner

    return sum(
        certificate_notify_learner(certificate_id=pk) for pk in batch_certificate_ids(batch_id)
    )


@shared_task(
    name="certificates.certificate_notify_learner_task", **_RELIABLE, **_FIRE_AND_FORGET, **_RETRY
)
def certificate_notify_learner_task(certificate_id: int) -> bool:
    """E-mail the learner that their certificate is ready (once; no-op without an address)."""
    from .notifications import certificate_notify_learner

    return certificate_notify_learner(certificate_id=certificate_id)


@shared_task(
    name="certificates.certificates_follow_up_sweep_task",
    soft_time_limit=55,
    time_limit=60,
    acks_late=True,
    **_FIRE_AND_FORGET,
)
def certificates_follow_up_sweep_task() -> int:
    """Render and announce certificates whose on-issue tasks were lost (beat, every minute)."""
    from .pending import certificates_follow_up_sweep

    return certificates_follow_up_sweep()


@shared_task(name="certificates.verification_counts_flush_task", acks_late=True, **_RETRY)
def verification_counts_flush_task() -> int:
    """Add the verifications counted in Redis to the database (beat, every minute)."""
    return verification.verification_counts_flush()


@shared_task(name="certificates.batch_zips_delete_expired_task", acks_late=True, **_RETRY)
def batch_zips_delete_expired_task() -> int:
    """Delete cohort ZIPs older than ``CERTIFICATE_BATCH_ZIP_HOURS`` (beat, hourly)."""
    return batch_zips_delete_expired()
