"""A rubric scored out of another total than the question's points says how it was scaled
(issue 16: 11/14 on the rubric → 7.86/10)."""

from decimal import Decimal

import pytest

from assessments import grading
from assessments.models import AssessmentPage, AssessmentQuestion, Response, RubricCriterion
from assessments.services import attempt_start, attempt_submit, response_grade
from tests.curriculum import publish
from tests.factories import UserFactory

from .conftest import make_question

pytestmark = pytest.mark.django_db


def test_the_pure_rule():
    question = {"points": "10", "rubric": [{"max_points": "8"}, {"max_points": "6"}]}
    scaling = grading.rubric_scaling(question, ["6", "5"])
    assert scaling == {
        "given": Decimal(11), "rubric_total": Decimal(14), "points": Decimal(10),
        "score": grading.rubric_score(question, ["6", "5"]),
    }  # fmt: skip
    assert str(scaling["score"]) == "7.86"
    same = {"points": "14", "rubric": question["rubric"]}
    assert grading.rubric_scaling(same, ["6", "5"]) is None  # nothing to explain


def test_the_result_page_explains_the_scaling(client, question_bank, cohort_learner):
    course, _lessons, bank, _questions = question_bank
    essay = make_question(bank, "essay", "Describe your gig.", points=10)
    RubricCriterion.objects.create(question=essay, title="Offer", max_points=8, sort_order=0)
    RubricCriterion.objects.create(question=essay, title="Price", max_points=6, sort_order=1)
    page = course.add_child(instance=AssessmentPage(title="Gig", slug="gig", kind="project"))
    AssessmentQuestion.objects.create(page=page, question=essay, sort_order=0)
    publish(page)
    learner, _enrollment = cohort_learner
    attempt = attempt_start(learner=learner, assessment=page)
    attempt_submit(attempt=attempt, answers={0: "A logo design gig."}, sequence=attempt.sequence)
    response = Response.objects.get(attempt=attempt, position=0)
    response_grade(response=response, grader=UserFactory(username="t"), rubric_scores=[6, 5])
    client.force_login(learner)
    html = client.get(f"/learning/attempts/{attempt.pk}/result/").text
    assert (
        "<bdi>11/14</bdi> on the rubric, scaled to this question's points: <bdi>7.86/10</bdi>"
        in html
    )
