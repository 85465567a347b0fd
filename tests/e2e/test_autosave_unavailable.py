"""The autosave script during a database outage, in Chromium: the server answers 503 with
Retry-After (lms.outages); the answers stay on the page, the learner is told, and the script
sends them again by itself until one save is acknowledged (decision 0018)."""

import json

import pytest

from assessments.models import Response
from tests.assessments.conftest import question_bank  # noqa: F401  (fixtures)

from .conftest import sign_in
from .test_assessment_journeys import HIDE_PAGE, quiz  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

UNAVAILABLE = json.dumps({"saved": False, "unavailable": True, "message": "briefly unavailable"})


def test_autosave_keeps_the_answers_and_retries_through_503s(web, quiz):  # noqa: F811
    user, page = quiz

    def start(p):
        sign_in(p, "student.glt1")
        p.goto(page.url)
        p.get_by_role("button", name="Start").click()
        p.wait_for_load_state()

    web.do(start)

    def outage_then_back(p):
        calls = []

        def answer(route):
            calls.append(route.request.method)
            if len(calls) <= 2:  # the first two tries meet the outage
                route.fulfill(
                    status=503, headers={"Retry-After": "1"}, body=UNAVAILABLE,
                    content_type="application/json",
                )  # fmt: skip
            else:
                route.continue_()

        p.route("**/autosave/", answer)
        p.get_by_label("Your answer").fill("windows key")
        p.evaluate(HIDE_PAGE)  # autosave tries now
        p.wait_for_selector("#save-status.not-saved")
        during = p.locator("#save-status").inner_text()
        kept = p.get_by_label("Your answer").input_value()
        # No further action from the learner: the script tries again after Retry-After.
        p.wait_for_selector("#save-status.saved", timeout=15_000)
        p.unroute("**/autosave/")
        return during, kept, len(calls)

    during, kept, calls = web.do(outage_then_back)
    assert "Hunar is briefly unavailable" in during
    assert kept == "windows key"
    assert calls == 3
    assert Response.objects.get(attempt__learner=user, position=2).answer == "windows key"
