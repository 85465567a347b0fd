"""A Celery worker SIGKILLed mid-batch, with production's visibility timeout (720 s): its
chunks stay with the dead worker for twelve minutes, yet every learner has a certificate with
its PDF within minutes, once each, because the restarted worker's beat sweep finds the completed
enrollments without one (certificates.pending). Real broker (the test's own redis-server), real
worker processes; the batch's ZIP itself waits for the redelivered chunks and is not awaited.
"""

import hashlib
import os
import signal
import time
from pathlib import Path

import pytest
from celery import Celery

from certificates import batch
from certificates.models import Certificate
from tests.certificates.test_batch import make_cohort  # noqa: F401  (a fixture)
from tests.certificates.test_broker_outage import (  # noqa: F401  (fixtures)
    BROKER_URL,
    _stop,
    outage_env,
    redis_start,
    worker_start,
)
from tests.certificates.test_worker_batch import page_tree, shared_services  # noqa: F401

LEARNERS = int(os.environ.get("HUNAR_TEST_BATCH_LEARNERS", "50"))
PRODUCTION_VISIBILITY_TIMEOUT = "720"


def _with_pdf(cohort) -> int:
    return (
        Certificate.objects.filter(enrollment__cohort=cohort, status="issued")
        .exclude(pdf_sha256="")
        .count()
    )


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_every_pdf_to_the_sweep_within_minutes(
    page_tree,  # noqa: F811
    make_cohort,  # noqa: F811
    outage_env,  # noqa: F811
    settings,
    tmp_path,
):
    cohort = make_cohort(completed=LEARNERS, active=0)
    batch_id, chunks = batch.cohort_batch_plan(cohort=cohort, by=None)
    env = {**outage_env, "HUNAR_TEST_VISIBILITY_TIMEOUT": PRODUCTION_VISIBILITY_TIMEOUT}
    broker = redis_start(tmp_path)
    client = Celery("test-batch", broker=BROKER_URL, backend=BROKER_URL, set_as_current=False)
    first = worker_start(env, tmp_path)
    second = None
    try:
        batch.batch_canvas(batch_id, chunks, app=client).apply_async()
        deadline = time.monotonic() + 120
        while _with_pdf(cohort) < 3 and time.monotonic() < deadline:
            assert first.poll() is None, first.communicate()[0]
            time.sleep(0.1)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=15)
        killed_at, done_at_kill = time.monotonic(), _with_pdf(cohort)
        assert done_at_kill < LEARNERS

        second = worker_start(env, tmp_path)
        deadline = killed_at + 180
        while _with_pdf(cohort) < LEARNERS and time.monotonic() < deadline:
            assert second.poll() is None, second.communicate()[0]
            time.sleep(0.5)
        print(
            f"BENCH learners={LEARNERS} done_at_kill={done_at_kill} "
            f"all_pdfs_s_after_kill={time.monotonic() - killed_at:.1f} "
            f"visibility_timeout_s={PRODUCTION_VISIBILITY_TIMEOUT}"
        )
    finally:
        client.close()
        _stop(second)
        _stop(broker)
    assert _with_pdf(cohort) == LEARNERS, second.communicate()[0] if second else ""
    certificates = Certificate.objects.filter(enrollment__cohort=cohort)
    assert certificates.count() == LEARNERS
    assert certificates.values("enrollment").distinct().count() == LEARNERS
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    for certificate in certificates:
        data = (private / certificate.pdf.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    assert len(list(private.glob("certificates/*.pdf"))) == LEARNERS
