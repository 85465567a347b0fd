"""Issue 16: "Submit answers" saves and asks for confirmation, naming what is unanswered; no new
attempt starts while the last one waits for its grade, on the page or by a direct POST."""

import pytest

from assessments import services
from assessments.models import Attempt
from tests.assessments.conftest import confirm_submit, right_answers
from tests.assessments.test_attempts import attempt_url, form_fields
from tests.factories import LearnerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(client, make_quiz, cohort_learner):
    learner, _enrollment = cohort_learner
    quiz = make_quiz(questions_per_page=2)
    client.force_login(learner)
    return quiz, services.attempt_start(learner=learner, assessment=quiz)


def test_submit_asks_first_and_names_the_unanswered_questions(client, started):
    _quiz, attempt = started
    answers = right_answers(attempt)
    given = {0: answers[0], 1: answers[1]}
    response = client.post(attempt_url(attempt), form_fields(attempt, given, action="submit"))
    assert response["Location"] == attempt_url(attempt, "confirm")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS  # saved, not submitted
    assert {r.position for r in attempt.responses.all()} == {0, 1}

    page = client.get(attempt_url(attempt, "confirm")).text
    assert "3 of 5 questions are not answered" in page
    for number in (3, 4, 5):
        assert f"Question {number}</a>" in page
    assert "Question 1</a>" not in page and "Question 2</a>" not in page
    # Question 3 is on page 2 (two per page), and "Go back" returns to the attempt.
    assert f"{attempt_url(attempt)}?page=2#q-2-prompt" in page
    assert "How many bytes in a kilobyte" in page  # the question's title, not only its number
    assert "Submit now" in page and "Go back" in page

    response = confirm_submit(client, attempt)
    assert response["Location"] == attempt_url(attempt, "result")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED


def test_all_answered_says_so(client, started):
    _quiz, attempt = started
    client.post(attempt_url(attempt), form_fields(attempt, right_answers(attempt)))
    page = client.get(attempt_url(attempt, "confirm")).text
    assert "All 5 questions are answered." in page


def test_answers_saved_after_the_page_was_shown_are_not_submitted_blind(client, started):
    _quiz, attempt = started
    shown_at = attempt.sequence
    client.post(attempt_url(attempt), form_fields(attempt, {0: right_answers(attempt)[0]}))
    response = client.post(attempt_url(attempt, "confirm"), {"sequence": shown_at})
    assert response.status_code == 409 and "check the list again" in response.text
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


def test_someone_elses_confirmation_page_is_a_404(client, started):
    _quiz, attempt = started
    client.force_login(LearnerProfileFactory(user__username="someone-else").user)
    assert client.get(attempt_url(attempt, "confirm")).status_code == 404
    assert client.post(attempt_url(attempt, "confirm"), {"sequence": 0}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
