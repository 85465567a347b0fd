"""While a submitted attempt waits for a trainer, the assessment page says so instead of offering
a new attempt (issue 16); once it is graded, a new attempt is offered again."""

from decimal import Decimal

import pytest

from assessments.models import Response
from assessments.services import attempt_start, attempt_submit, response_grade
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_attempt_waits_for_the_grade(client, make_quiz, cohort_learner):
    quiz = make_quiz(kinds=("single", "essay"), max_attempts=3)
    learner, _enrollment = cohort_learner
    attempt = attempt_start(learner=learner, assessment=quiz)
    attempt_submit(attempt=attempt)
    client.force_login(learner)

    page = client.get(quiz.url).text
    assert "waiting for your trainer to grade it" in page
    assert "Start a new attempt" not in page

    essay = Response.objects.get(attempt=attempt, position=1)
    response_grade(response=essay, grader=UserFactory(username="trainer"), score=Decimal(2))
    page = client.get(quiz.url).text
    assert "waiting for your trainer" not in page
    assert "Start a new attempt" in page
