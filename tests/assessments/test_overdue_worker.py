"""The beat task that submits overdue attempts, run by a real Celery worker on PostgreSQL."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Attempt
from tests.assessments.conftest import right_answers
from tests.services import (
    celery_test_client,
    celery_worker_start,
    celery_worker_stop,
    shared_database_url,
)

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

    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = celery_worker_start(queue, {"DATABASE_URL": shared_database_url()})
    client = celery_test_client()
    try:
        result = client.send_task("assessments.submit_overdue_attempts", queue=queue)
        try:
            submitted = result.get(timeout=90)
        except Exception:
            worker.terminate()
            pytest.fail(f"no answer from the worker; its output:\n{worker.communicate()[0]}")
    finally:
        client.close()
        celery_worker_stop(worker)

    assert submitted == 1
    overdue.refresh_from_db()
    on_time.refresh_from_db()
    assert overdue.status == Attempt.Status.GRADED and overdue.submitted_late
    assert overdue.percent == Decimal(100)  # the answers saved before the time ran out
    assert on_time.status == Attempt.Status.IN_PROGRESS
