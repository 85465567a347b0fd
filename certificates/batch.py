"""Issuing a whole cohort's certificates in the background, in chunks, with visible progress.

A batch is a Celery chord: one task per chunk of enrollments (issue, then render), then one task
that zips the PDFs into the private storage under a random name (``certificates.storage``); the
ZIP is deleted ``CERTIFICATE_BATCH_ZIP_HOURS`` after it was built (a beat task), and issuing the
cohort again builds a new one.
Progress lives in the shared cache (Redis in production), one key per chunk written only by that
chunk's task, so parallel chunks never overwrite each other and a redelivered chunk simply
rewrites its own key. Everything a chunk does is idempotent (issuing returns the existing
certificate; rendering skips a stored PDF), so a worker killed mid-chunk loses nothing.
"""

import contextlib
import datetime
import logging
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field

from celery import chord, current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment

from .models import Certificate
from .services import CertificateError, certificate_issue
from .services_pdf import certificate_pdf_store
from .signing import SigningKeyMissing
from .storage import BATCH_FOLDER, batch_zip_new_name, private_storage

logger = logging.getLogger(__name__)

CHUNK_SIZE = 25
PROGRESS_TTL = 60 * 60 * 24 * 14  # two weeks: long enough to come back for the ZIP
CHUNK_TASK = "certificates.cohort_batch_chunk_task"
FINISH_TASK = "certificates.cohort_batch_finish_task"
_TRANSIENT = (OSError, OperationalError, InterfaceError)


class BatchNotReady(Exception):
    """The ZIP was asked for before every chunk reported (a duplicate delivery); retried."""


def _key(batch_id: str, part: str) -> str:
    return f"certificates:batch:{batch_id}:{part}"


def _cohort_key(cohort_id: int) -> str:
    return f"certificates:cohort:{cohort_id}:batch"


@dataclass
class BatchProgress:
    batch_id: str
    cohort_id: int
    total: int
    chunks: int
    created_at: str
    done: int = 0
    failed: list[dict] = field(default_factory=list)
    chunks_finished: int = 0
    zip_name: str = ""

    @property
    def processed(self) -> int:
        return self.done + len(self.failed)

    @property
    def finished(self) -> bool:
        return bool(self.zip_name)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)


def batch_canvas(batch_id: str, chunks: list[list[int]], *, app=None, queue: str | None = None):
    """The chord for a batch; ``app``/``queue`` let a test route it to a real worker."""
    if app is None:
        from . import tasks  # noqa: F401  (registers the tasks named below)

        app = current_app
    options = {"queue": queue} if queue else {}
    header = [
        app.signature(CHUNK_TASK, args=(batch_id, index, ids), **options)
        for index, ids in enumerate(chunks)
    ]
    return chord(header, app.signature(FINISH_TASK, kwargs={"batch_id": batch_id}, **options))


def cohort_batch_enrollments(cohort) -> list[int]:
    """The enrollments a batch covers: everyone in the cohort who has not withdrawn."""
    return list(
        Enrollment.objects.filter(cohort=cohort)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def cohort_batch_plan(*, cohort, by) -> tuple[str, list[list[int]]]:
    """Record a new batch's size in the cache and return its id and chunks (nothing queued)."""
    ids = cohort_batch_enrollments(cohort)
    batch_id = uuid.uuid4().hex[:12]
    chunks = [ids[i : i + CHUNK_SIZE] for i in range(0, len(ids), CHUNK_SIZE)]
    meta = {
        "cohort_id": cohort.pk,
        "total": len(ids),
        "chunks": len(chunks),
        "by": getattr(by, "pk", None),
        "created_at": timezone.now().isoformat(timespec="seconds"),
    }
    cache.set_many({_key(batch_id, "meta"): meta, _cohort_key(cohort.pk): batch_id}, PROGRESS_TTL)
    return batch_id, chunks


def cohort_certificates_issue(*, cohort, by) -> str:
    """Start issuing certificates for every learner of the cohort; returns the batch id.

    The chord is queued when the surrounding transaction commits (at once outside one; with
    eager tasks it has then already run).
    """
    batch_id, chunks = cohort_batch_plan(cohort=cohort, by=by)
    if not chunks:
        batch_zip_build(batch_id=batch_id)
        return batch_id
    canvas = batch_canvas(batch_id, chunks)
    transaction.on_commit(canvas.apply_async)
    return batch_id


def _learner_label(enrollment: Enrollment) -> str:
    profile = getattr(enrollment.learner, "learner_profile", None)
    return profile.full_name if profile else enrollment.learner.get_username()


def _issue_one(enrollment_id: int) -> list[str] | None:
    """Issue and render one certificate; the reasons it could not be, or None when done."""
    enrollment = Enrollment.objects.select_related("learner").get(pk=enrollment_id)
    try:
        certificate = certificate_issue(enrollment=enrollment, follow_up=False)
    except CertificateError as error:
        return [str(reason) for reason in error.reasons] or [str(error)]
    except SigningKeyMissing as error:
        return [str(error)]
    certificate_pdf_store(certificate_id=certificate.pk)
    return None


def batch_chunk_process(*, batch_id: str, index: int, enrollment_ids: list[int]) -> int:
    """Issue and render one chunk, writing its progress after every learner.

    A transient error (database, storage) propagates so the task retries the whole chunk;
    any other error fails that learner only, with the reason shown to the manager.
    """
    done, failed = [], []
    for enrollment_id in enrollment_ids:
        try:
            reasons = _issue_one(enrollment_id)
        except (SoftTimeLimitExceeded, *_TRANSIENT):
            raise
        except Enrollment.DoesNotExist:
            reasons = [_("The enrollment no longer exists.")]
        except Exception as error:  # one learner's bug must not sink the other 24
            logger.exception("Batch %s: enrollment %s failed", batch_id, enrollment_id)
            reasons = [_("Unexpected error (%(error)s); see the worker log.") % {"error": error}]
        if reasons is None:
            done.append(enrollment_id)
        else:
            failed.append({"enrollment_id": enrollment_id, "reasons": reasons})
        state = {"done": done, "failed": failed, "finished": False}
        cache.set(_key(batch_id, f"chunk:{index}"), state, PROGRESS_TTL)
    state = {"done": done, "failed": failed, "finished": True}
    cache.set(_key(batch_id, f"chunk:{index}"), state, PROGRESS_TTL)
    return len(done)


def cohort_batch_progress(batch_id: str) -> BatchProgress | None:
    """What a batch has done so far, for any process to read; None for an unknown batch."""
    meta = cache.get(_key(batch_id, "meta"))
    if meta is None:
        return None
    keys = [_key(batch_id, f"chunk:{index}") for index in range(meta["chunks"])]
    found = cache.get_many([*keys, _key(batch_id, "zip")])
    progress = BatchProgress(
        batch_id=batch_id,
        cohort_id=meta["cohort_id"],
        total=meta["total"],
        chunks=meta["chunks"],
        created_at=meta["created_at"],
        zip_name=found.get(_key(batch_id, "zip"), ""),
    )
    failed_ids = []
    for key in keys:
        state = found.get(key)
        if state is None:
            continue
        progress.done += len(state["done"])
        progress.failed.extend(state["failed"])
        failed_ids.extend(item["enrollment_id"] for item in state["failed"])
        progress.chunks_finished += bool(state["finished"])
    names = {
        e.pk: _learner_label(e)
        for e in Enrollment.objects.filter(pk__in=failed_ids).select_related(
            "learner__learner_profile"
        )
    }
    for item in progress.failed:
        item["learner"] = names.get(item["enrollment_id"], "?")
    return progress


def cohort_latest_batch(cohort_id: int) -> str | None:
    return cache.get(_cohort_key(cohort_id))


def _done_ids(batch_id: str, chunks: int) -> list[int]:
    states = cache.get_many([_key(batch_id, f"chunk:{index}") for index in range(chunks)])
    if len(states) < chunks or not all(state["finished"] for state in states.values()):
        raise BatchNotReady(batch_id)
    return [pk for state in states.values() for pk in state["done"]]


def batch_certificate_ids(batch_id: str) -> list[int]:
    """The valid certificates of a batch's learners."""
    meta = cache.get(_key(batch_id, "meta"))
    if meta is None:
        return []
    return list(
        Certificate.objects.filter(
            enrollment__in=_done_ids(batch_id, meta["chunks"]), status=Certificate.Status.ISSUED
        ).values_list("pk", flat=True)
    )


def batch_zip_build(*, batch_id: str) -> str:
    """Zip the PDFs of the batch's issued certificates into the private storage; its name.

    Each build is a new file under a new random name; a ZIP this batch built before (a
    redelivered task) is deleted once the new one is recorded.
    """
    meta = cache.get(_key(batch_id, "meta"))
    if meta is None:
        raise BatchNotReady(f"{batch_id}: no such batch (expired from the cache?)")
    certificates = (
        Certificate.objects.filter(
            enrollment__in=_done_ids(batch_id, meta["chunks"]), status=Certificate.Status.ISSUED
        )
        .exclude(pdf="")
        .order_by("serial")
    )
    storage = private_storage()
    name = batch_zip_new_name()
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for certificate in certificates:
                with certificate.pdf.open("rb") as handle:
                    issued = timezone.localtime(certificate.issued_at).timetuple()[:6]
                    info = zipfile.ZipInfo(f"{certificate.serial}.pdf", issued)
                    archive.writestr(info, handle.read())
        spool.seek(0)
        saved = storage.save(name, File(spool, name=name))
    previous = cache.get(_key(batch_id, "zip"))
    cache.set(_key(batch_id, "zip"), saved, PROGRESS_TTL)
    if previous and previous != saved:
        storage.delete(previous)
    return saved


# --- Expiry -----------------------------------------------------------------------------------


def _zip_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.CERTIFICATE_BATCH_ZIP_HOURS)


def batch_zip_available(name: str, *, now: datetime.datetime | None = None) -> bool:
    """Whether a batch's ZIP may still be downloaded: it exists and is younger than
    ``CERTIFICATE_BATCH_ZIP_HOURS`` (the download view does not wait for the sweep)."""
    storage = private_storage()
    if not name or not storage.exists(name):
        return False
    built = storage.get_modified_time(name)
    return (now or timezone.now()) - built < _zip_lifetime()


def batch_zips_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete every batch ZIP older than ``CERTIFICATE_BATCH_ZIP_HOURS``; how many were deleted.

    Looks at the stored files, not the cache, so a ZIP whose progress record is gone (a flushed
    cache, a crashed build) is deleted all the same.
    """
    storage = private_storage()
    try:
        _folders, files = storage.listdir(BATCH_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = (now or timezone.now()) - _zip_lifetime()
    deleted = 0
    for filename in files:
        name = f"{BATCH_FOLDER}/{filename}"
        with contextlib.suppress(FileNotFoundError):  # deleted meanwhile by another sweep
            if storage.get_modified_time(name) <= cutoff:
                storage.delete(name)
                deleted += 1
    return deleted
