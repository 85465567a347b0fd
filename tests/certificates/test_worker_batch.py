"""A real celery worker killed mid-batch: the batch finishes on the next worker, and every
certificate exists once with its PDF.

The test commits (the worker must see its rows), so it runs as a transactional test. Another
transactional test may have flushed the database before it, page tree included, so it rebuilds
the home page it needs rather than rely on the migrations' data (``serialized_rollback`` would
clash with the groups the flush's post_migrate recreates).
"""

import hashlib
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis
from wagtail.models import Locale, Page

from certificates import batch
from certificates.models import Certificate
from certificates.storage import certificate_pdf_name
from content.models import HomePage
from tests.certificates.test_batch import _zip_names, make_cohort  # noqa: F401  (a fixture)
from tests.services import (
    TEST_REDIS_URL,
    celery_test_client,
    celery_worker_start,
    shared_database_url,
)

# --- A real worker killed mid-batch ------------------------------------------------------------

VISIBILITY_TIMEOUT = 20


def _wait_for(condition, timeout, worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            pytest.fail(f"the worker exited; its output:\n{worker.communicate()[0]}")
        time.sleep(0.1)
    os.killpg(worker.pid, signal.SIGKILL)
    pytest.fail(f"timed out; the worker's output:\n{worker.communicate()[0]}")


@pytest.fixture
def page_tree(transactional_db):
    """The English home page, recreated when an earlier test's flush removed it."""
    if HomePage.objects.filter(depth=2, locale__language_code="en").exists():
        return
    locale, _created = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    root.add_child(instance=HomePage(title="Hunar", slug="home", locale=locale))


@pytest.fixture
def shared_services(settings, tmp_path):
    """Cache on the test Redis and media on disk, as the worker process will have them."""
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        },
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    yield prefix
    redis_client = redis.Redis.from_url(TEST_REDIS_URL)
    for key in redis_client.scan_iter(f"{prefix}:*"):
        redis_client.delete(key)


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    page_tree,
    make_cohort,  # noqa: F811  (the fixture imported above)
    shared_services,
    settings,
):
    cohort = make_cohort(completed=30, active=0)
    batch_id, chunks = batch.cohort_batch_plan(cohort=cohort, by=None)
    assert [len(chunk) for chunk in chunks] == [25, 5]

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.certificates.worker_settings",
        "DATABASE_URL": shared_database_url(),
        "HUNAR_TEST_REDIS_URL": TEST_REDIS_URL,
        "HUNAR_TEST_CACHE_PREFIX": shared_services,
        "HUNAR_TEST_MEDIA_ROOT": settings.MEDIA_ROOT,
        "HUNAR_TEST_PRIVATE_MEDIA_ROOT": settings.PRIVATE_MEDIA_ROOT,
        "HUNAR_TEST_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CERTIFICATE_KEY_DIR": str(settings.CERTIFICATE_KEY_DIR),
    }
    client = celery_test_client()
    first = celery_worker_start(queue, env)
    second = None
    try:
        batch.batch_canvas(batch_id, chunks, app=client, queue=queue).apply_async()
        _wait_for(lambda: batch.cohort_batch_progress(batch_id).done >= 3, 120, first)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=15)
        killed_at = batch.cohort_batch_progress(batch_id)
        assert killed_at.done < 30 and not killed_at.finished

        second = celery_worker_start(queue, env)
        _wait_for(lambda: batch.cohort_batch_progress(batch_id).finished, 180, second)
    finally:
        client.close()
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
        redis.Redis.from_url(TEST_REDIS_URL).delete(queue)

    progress = batch.cohort_batch_progress(batch_id)
    assert (progress.done, progress.failed) == (30, [])
    certificates = Certificate.objects.filter(enrollment__cohort=cohort)
    assert certificates.count() == 30
    assert certificates.values("enrollment").distinct().count() == 30
    assert Certificate.objects.count() == 30
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    for certificate in certificates:
        path = private / certificate.pdf.name
        assert path.name == Path(certificate_pdf_name(certificate)).name
        data = path.read_bytes()
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    # No stray copies ("<name>_abc123.pdf") from a render that was cut short, none in public.
    assert len(list(private.glob("certificates/*.pdf"))) == 30
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert len(_zip_names(progress.zip_name)) == 30
