"""A real round trip: a separate `celery worker` process on Redis runs a task and answers."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery

from tests.services import TEST_REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process():
    """Start a worker on a private queue of the test Redis database; stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "CELERY_BROKER_URL": TEST_REDIS_URL,
        "CELERY_RESULT_BACKEND": TEST_REDIS_URL,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # The test process sends through its own client: the project's app is configured to run
    # tasks eagerly in tests, and its connection pools outlive any reconfiguration.
    client = Celery(
        "test-client", broker=TEST_REDIS_URL, backend=TEST_REDIS_URL, set_as_current=False
    )
    try:
        yield client, queue, worker
    finally:
        client.close()
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.mark.celery_worker
def test_task_round_trip_through_a_real_worker(celery_worker_process):
    client, queue, worker = celery_worker_process
    started = time.monotonic()
    result = client.send_task("lms.ping_task", args=["hello"], queue=queue)
    try:
        answer = result.get(timeout=60)
    except Exception:
        worker.terminate()
        pytest.fail(f"no answer from the worker; its output:\n{worker.communicate()[0]}")
    assert answer["payload"] == "hello"
    # It ran in the worker process, not in ours.
    assert answer["pid"] == worker.pid
    assert answer["pid"] != os.getpid()
    assert time.monotonic() - started < 60


@pytest.mark.celery_worker
def test_a_test_client_app_never_becomes_the_current_app(celery_worker_process):
    """A Celery() made as current would capture every shared_task's .delay() for the rest of
    the session (tasks sent to Redis instead of running eagerly): PDFs never rendered, etc."""
    from certificates.tasks import certificate_render_pdf_task

    assert certificate_render_pdf_task.app.main == "lms"
    assert certificate_render_pdf_task.app.conf.task_always_eager
