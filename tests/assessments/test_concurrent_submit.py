"""Twenty identical submits at once, as real HTTP requests to a live server on PostgreSQL."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Attempt, GradeChange, Response
from courses.models import Enrollment
from courses.services import lesson_complete
from tests.assessments.conftest import right_answers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONCURRENT = 20


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def dict_of(pairs) -> dict:
    data: dict = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


def test_twenty_concurrent_submits_grade_one_attempt_once(
    live_server, client, make_quiz, cohort_learner, question_bank
):
    learner, enrollment = cohort_learner
    for lesson in question_bank[1]:
        lesson_complete(learner=learner, lesson=lesson)
    quiz = make_quiz()
    attempt = services.attempt_start(learner=learner, assessment=quiz)
    client.force_login(learner)
    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    fields = {"sequence": "0", "page": "1", "action": "submit"}
    answers = right_answers(attempt)
    fields["positions"] = ",".join(str(p) for p in answers)
    body = [(k, v) for k, v in fields.items()] + [("csrfmiddlewaretoken", token)]
    for position, answer in answers.items():
        for value in answer if isinstance(answer, list) else [answer]:
            body.append((f"q-{position}", value))
    # "Submit answers" saves and asks for confirmation; the twenty press "Submit now" at once.
    saved = client.post(reverse("assessments:attempt", args=[attempt.pk]), dict_of(body))
    assert saved["Location"] == reverse("assessments:confirm", args=[attempt.pk])
    body = [("sequence", "1"), ("csrfmiddlewaretoken", token)]
    data = urllib.parse.urlencode(body).encode()
    url = live_server.url + reverse("assessments:confirm", args=[attempt.pk])
    opener = urllib.request.build_opener(NoRedirect)
    barrier = threading.Barrier(CONCURRENT)
    statuses, locations = [], []

    def submit():
        request = urllib.request.Request(url, data=data, headers={"Cookie": cookie})  # noqa: S310
        barrier.wait()
        try:
            opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
            locations.append(error.headers.get("Location"))

    threads = [threading.Thread(target=submit) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    result = reverse("assessments:result", args=[attempt.pk])
    assert statuses == [302] * CONCURRENT, statuses
    assert set(locations) == {result}
    assert Attempt.objects.filter(learner=learner).count() == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.sequence == 1
    assert Response.objects.filter(attempt=attempt).count() == len(attempt.questions)
    assert not GradeChange.objects.exists()
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
