"""The beat task that submits overdue attempts, run by a real Celery worker on PostgreSQL."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from assessments import services
from assessments.models import Attempt
from tests.assessments.conftest import right_answers
from tests.services import TEST_REDIS_URL

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_a_worker_submits_an_overdue_attempt_with_its_saved_answers(make_quiz, cohort_learner):
    learner, _enrollment = cohort_learner
    quiz = make_quiz(time_limit_minutes=15)
    start = timezone.now() - timedelta(hours=1)
    overdue = services.attempt_start(learner=learner, assessment=quiz, now=start)
    services.attempt_save(
        attempt=overdue,
        answers=right_answers(overdue),
        sequence=0,
        now=start + timedelta(minutes=3),
    )
    on_time = services.attempt_start(
        learner=learner, assessment=make_quiz(slug="later", title="Later", time_limit_minutes=15)
    )

    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": TEST_REDIS_URL,
        "CELERY_RESULT_BACKEND": TEST_REDIS_URL,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    client = Celery(
        "test-client", broker=TEST_REDIS_URL, backend=TEST_REDIS_URL, set_as_current=False
    )
    try:
        result = client.send_task("assessments.submit_overdue_attempts", queue=queue)
        try:
            submitted = result.get(timeout=90)
        except Exception:
            worker.terminate()
            pytest.fail(f"no answer from the worker; its output:\n{worker.communicate()[0]}")
    finally:
        client.close()
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()

    assert submitted == 1
    overdue.refresh_from_db()
    on_time.refresh_from_db()
    assert overdue.status == Attempt.Status.GRADED and overdue.submitted_late
    assert overdue.percent == Decimal(100)  # the answers saved before the time ran out
    assert on_time.status == Attempt.Status.IN_PROGRESS
