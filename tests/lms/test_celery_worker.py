"""A real round trip: a separate `celery worker` process on Redis runs a task and answers."""

import os
import time
import uuid

import pytest

from tests.services import celery_test_client, celery_worker_start, celery_worker_stop


@pytest.fixture
def celery_worker_process():
    """Start a worker on a private queue of the test Redis database; stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = celery_worker_start(queue, {})
    # The test process sends through its own client: the project's app is configured to run
    # tasks eagerly in tests, and its connection pools outlive any reconfiguration.
    client = celery_test_client()
    try:
        yield client, queue, worker
    finally:
        client.close()
        celery_worker_stop(worker)


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
