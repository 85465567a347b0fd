"""A trainer authors a quiz page in the Wagtail admin: drafts, preview, review like any page."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from assessments.models import AssessmentPage
from courses.authoring import curriculum_review_setup
from tests.factories import CenterFactory, manager_of, trainer_of

pytestmark = pytest.mark.django_db


def quiz_form(questions, action="action-submit", **fields):
    data = {
        "title": "Check your skills",
        "slug": "check-your-skills",
        "kind": "quiz",
        "intro": rich_text("<p>Ten minutes, five questions.</p>"),
        "fixed_questions": inline_formset([{"question": q.pk} for q in questions]),
        "draws": inline_formset([]),
        "shuffle_questions": "on",
        "questions_per_page": 5,
        "time_limit_minutes": 10,
        "max_attempts": 3,
        "pass_mark_percent": 60,
        "required_for_completion": "on",
        "feedback_timing": "after_submit",
        "show_correct_answers": "on",
        "comments": inline_formset([]),
        action: "1",
    }
    data.update(fields)
    return nested_form_data(data)


@pytest.fixture
def trainer():
    curriculum_review_setup()
    center = CenterFactory(code="GLT")
    return trainer_of(center), manager_of(center)


def add_url(course):
    return reverse("wagtailadmin_pages:add", args=("assessments", "assessmentpage", course.pk))


def test_a_trainer_drafts_previews_and_submits_a_quiz_for_review(client, trainer, question_bank):
    course, _lessons, _bank, questions = question_bank
    client.force_login(trainer[0])
    picked = [questions["single"], questions["numeric"]]
    response = client.post(add_url(course), quiz_form(picked))
    assert response.status_code == 302, response.text[-2000:]
    page = AssessmentPage.objects.get(slug="check-your-skills")
    assert not page.live and page.workflow_in_progress
    assert [item.question_id for item in page.fixed_questions.all()] == [q.pk for q in picked]
    preview = client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]), quiz_form(picked)
    )
    assert preview.status_code == 200
    preview = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]))
    assert "Ten minutes, five questions." in preview.text

    client.force_login(trainer[1])
    state = page.current_workflow_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]),
        {"comment": "Good."},
    )
    page.refresh_from_db()
    assert page.live


def test_closing_before_opening_is_refused_with_a_clear_error(client, trainer, question_bank):
    course, _lessons, _bank, questions = question_bank
    client.force_login(trainer[0])
    response = client.post(
        add_url(course),
        quiz_form([questions["single"]], opens_at="2026-12-10 09:00", closes_at="2026-12-01 09:00"),
    )
    assert response.status_code == 200
    assert "An assessment must close after it opens." in response.text
    assert not AssessmentPage.objects.exists()


def test_assessments_only_go_under_courses(client, trainer, question_bank):
    course, lessons, _bank, _questions = question_bank
    client.force_login(trainer[0])
    url = reverse("wagtailadmin_pages:add", args=("assessments", "assessmentpage", lessons[0].pk))
    assert client.get(url).status_code in (302, 403)
    assert client.get(add_url(course)).status_code == 200
