"""Question banks and questions in the admin: inline choices and rubrics, checks that keep an
inconsistent question from being saved, filters and search, and who may change what."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
    rich_text,
)

from assessments.admin_forms import CHOICES_NOT_USED, RUBRIC_NOT_USED, RUBRIC_WITHOUT_POINTS
from assessments.models import Choice, Question, QuestionBank, RubricCriterion
from lms import roles
from tests.assessments.conftest import make_question
from tests.factories import CenterFactory, CohortFactory, UserFactory, manager_of, trainer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def center(db):
    return CenterFactory(code="GLT")


@pytest.fixture
def bank(question_bank, center):
    """The fixture's bank, owned by the trainer's center."""
    bank = question_bank[2]
    bank.center = center
    bank.save()
    return bank


@pytest.fixture
def trainer(center):
    return trainer_of(center, "trainer")


def question_data(bank, kind, *, choices=(), rubric=(), **fields):
    data = {
        "bank": bank.pk,
        "category": "",
        "kind": kind,
        "points": "1",
        "prompt": rich_text("<p>Which key saves a file?</p>"),
        "choices": inline_formset(
            [{"text": text, "is_correct": correct, "feedback": ""} for text, correct in choices]
        ),
        "partial_credit": "right_minus_wrong",
        "accepted_answers": "",
        "numeric_answer": "",
        "numeric_tolerance": "0",
        "allowed_file_types": "",
        "rubric": inline_formset(
            [{"title": t, "max_points": str(p), "description": ""} for t, p in rubric]
        ),
        "feedback": rich_text(""),
    }
    data.update(fields)
    return nested_form_data(data)


def add(client, data):
    return client.post(reverse("questions:add"), data)


def errors_of(response) -> list[str]:
    return [str(error) for error in response.context["form"].non_field_errors()]


def test_trainer_adds_a_single_choice_question_with_its_choices(client, bank, trainer):
    client.force_login(trainer)
    choices = [("Ctrl+S", True), ("Ctrl+P", False), ("Alt+F4", False)]
    before = Question.objects.count()
    response = add(client, question_data(bank, "single", choices=choices, category="Keys"))
    assert response.status_code == 302
    question = Question.objects.latest("pk")
    assert Question.objects.count() == before + 1
    assert [(c.text, c.is_correct) for c in question.choices.order_by("sort_order")] == choices
    assert question.category == "Keys" and "Which key saves a file?" in question.prompt


@pytest.mark.parametrize(
    ("kind", "choices", "problem"),
    [
        ("true_false", [("True", True), ("False", False), ("Maybe", False)], "exactly two"),
        ("single", [("Ctrl+S", True), ("Ctrl+C", True)], "exactly one choice as correct"),
        ("single", [("Ctrl+S", False), ("Ctrl+C", False)], "exactly one choice as correct"),
        ("multiple", [("PDF", False), ("Mouse", False)], "at least one choice as correct"),
        ("multiple", [("PDF", True)], "at least two choices"),
        ("true_false", [], "at least two choices"),
    ],
)
def test_inconsistent_choices_are_refused_and_nothing_is_saved(
    client, bank, trainer, kind, choices, problem
):
    client.force_login(trainer)
    questions, choice_rows = Question.objects.count(), Choice.objects.count()
    response = add(client, question_data(bank, kind, choices=choices))
    assert response.status_code == 200
    assert any(problem in error for error in errors_of(response)), errors_of(response)
    # The trainer sees the sentence in the page, next to the generic "could not be created".
    assert problem in response.content.decode()
    assert Question.objects.count() == questions and Choice.objects.count() == choice_rows


def test_choices_and_rubric_only_where_the_type_uses_them(client, bank, trainer):
    client.force_login(trainer)
    count = Question.objects.count()
    response = add(
        client,
        question_data(bank, "short_text", choices=[("a", True)], accepted_answers="Enter"),
    )
    assert errors_of(response) == [str(CHOICES_NOT_USED)]
    response = add(
        client,
        question_data(
            bank, "true_false", choices=[("True", True), ("False", False)], rubric=[("Style", 2)]
        ),
    )
    assert errors_of(response) == [str(RUBRIC_NOT_USED)]
    response = add(client, question_data(bank, "essay", rubric=[("Style", 0), ("Facts", 0)]))
    assert errors_of(response) == [str(RUBRIC_WITHOUT_POINTS)]
    assert Question.objects.count() == count


def test_a_project_question_is_saved_with_its_rubric(client, bank, trainer):
    client.force_login(trainer)
    data = question_data(
        bank, "file", rubric=[("Clear offer", 4), ("Pricing", 3)], allowed_file_types="pdf, png"
    )
    assert add(client, data).status_code == 302
    question = Question.objects.latest("pk")
    assert question.kind == "file" and question.allowed_file_type_list == ["pdf", "png"]
    rubric = [(c.title, str(c.max_points)) for c in question.rubric.order_by("sort_order")]
    assert rubric == [("Clear offer", "4.00"), ("Pricing", "3.00")]


def test_the_models_own_checks_show_as_field_errors(client, bank, trainer):
    client.force_login(trainer)
    count = Question.objects.count()
    response = add(client, question_data(bank, "short_text"))
    assert response.status_code == 200
    assert "accepted_answers" in response.context["form"].errors
    response = add(client, question_data(bank, "file", allowed_file_types="exe"))
    assert "Unknown file types: exe." in response.context["form"].errors["allowed_file_types"]
    assert Question.objects.count() == count


def test_editing_through_the_rendered_form_keeps_the_choices_consistent(client, bank, trainer):
    question = make_question(
        bank, "true_false", "Files live in folders.", choices=[("True", True), ("False", False)]
    )
    client.force_login(trainer)
    url = reverse("questions:edit", args=[question.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = querydict_from_html(page.content.decode(), form_id="w-editor-form")
    # A checked box without a value attribute: the browser sends "on", the helper reads "".
    for name in [n for n, v in data.items() if n.endswith("is_correct") and v == ""]:
        data[name] = "on"
    assert data["choices-0-is_correct"] == "on" and "choices-1-is_correct" not in data
    assert data["choices-TOTAL_FORMS"] == "2" and data["choices-0-text"] == "True"
    # Both choices marked correct: refused, the stored question keeps its one right answer.
    data["choices-1-is_correct"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Mark exactly one choice as correct." in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1
    # Deleting one of the two choices is refused too.
    del data["choices-1-is_correct"]
    data["choices-1-DELETE"] = "1"
    assert client.post(url, data).status_code == 200
    assert question.choices.count() == 2
    # A real edit goes through, as a draft: learners keep the published choices until review.
    data["choices-1-DELETE"] = ""
    data["choices-1-text"] = "False, never"
    assert client.post(url, data).status_code == 302
    assert sorted(question.choices.values_list("text", flat=True)) == ["False", "True"]
    draft = Question.objects.get(pk=question.pk).get_latest_revision_as_object()
    assert sorted(c.text for c in draft.choices.all()) == ["False, never", "True"]


def test_list_filters_by_course_bank_category_and_type_and_searches_prompts(
    client, question_bank, trainer, make_course
):
    course, _lessons, bank, questions = question_bank
    other_course = make_course(lessons=0, slug="freelancing")[1]
    other_bank = QuestionBank.objects.create(course=other_course, title="Freelancing")
    gig = make_question(other_bank, "essay", "Describe your gig.", category="Profiles")
    keys = make_question(bank, "essay", "Name three shortcut keys.", category="Keys")
    client.force_login(trainer)
    url = reverse("questions:list")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {q.pk for q in response.context["object_list"]}

    assert listed(course=other_course.pk) == {gig.pk}
    assert listed(bank=bank.pk) == {q.pk for q in questions.values()} | {keys.pk}
    assert listed(category="Keys") == {keys.pk}
    assert listed(kind="essay") == {questions["essay"].pk, gig.pk, keys.pk}
    assert listed(q="shortcut") == {keys.pk}
    # The category filter offers the categories in use.
    body = client.get(url).content.decode()
    assert 'value="Profiles"' in body and 'value="Keys"' in body


def test_banks_list_counts_questions(client, question_bank, trainer):
    client.force_login(trainer)
    response = client.get(reverse("question_banks:index"))
    assert response.status_code == 200
    bank = next(b for b in response.context["object_list"] if b.pk == question_bank[2].pk)
    assert bank.question_count == len(question_bank[3])


def test_a_manager_of_another_center_neither_sees_nor_changes_the_bank(client, bank):
    manager = manager_of(CenterFactory(code="SKD"), "manager")
    question = make_question(bank, "essay", "Explain saving.")
    client.force_login(manager)
    listed = client.get(reverse("questions:list"))
    assert listed.status_code == 200 and question not in listed.context["object_list"]
    assert client.get(reverse("questions:inspect", args=[question.pk])).status_code == 404
    assert client.get(reverse("question_banks:inspect", args=[bank.pk])).status_code == 404
    count = Question.objects.count()
    response = add(client, question_data(bank, "essay"))
    assert response.status_code == 200 and "bank" in response.context["form"].errors
    assert client.post(reverse("questions:delete", args=[question.pk])).status_code == 404
    assert Question.objects.count() == count
    other_center = manager.center_roles.get().center
    response = client.post(
        reverse("question_banks:add"),
        {"title": "x", "course": bank.course_id, "center": bank.center_id},
    )
    assert response.status_code == 200 and "center" in response.context["form"].errors
    assert not QuestionBank.objects.filter(title="x").exists()
    response = client.post(
        reverse("question_banks:add"),
        {"title": "x", "course": bank.course_id, "center": other_center.pk},
    )
    assert response.status_code == 302
    assert QuestionBank.objects.get(title="x").center == other_center


def test_programme_admin_deletes_and_learner_is_kept_out(client, bank):
    question = make_question(bank, "essay", "Explain saving.")
    RubricCriterion.objects.create(question=question, title="Facts", max_points=2)
    learner = UserFactory(username="learner", role=roles.LEARNER)
    client.force_login(learner)
    response = client.get(reverse("questions:list"))
    assert response.status_code == 403 and "Explain saving" not in response.text
    client.force_login(UserFactory(username="admin", role=roles.PROGRAMME_ADMIN))
    assert client.post(reverse("questions:delete", args=[question.pk])).status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not RubricCriterion.objects.filter(question_id=question.pk).exists()


def test_the_assessments_menu_shows_grading_to_those_who_grade(client, trainer):
    def menu_urls(user):
        client.force_login(user)
        body = client.get(reverse("wagtailadmin_home")).content.decode().replace("\\/", "/")
        urls = {
            "banks": reverse("question_banks:index"),
            "questions": reverse("questions:list"),
            "queue": reverse("assessments_admin:queue"),
            "analysis": reverse("assessments_admin:item_analysis_index"),
        }
        return {name for name, url in urls.items() if f'"{url}"' in body}

    # A trainer with no cohort yet grades nobody.
    assert menu_urls(trainer) == {"banks", "questions"}
    CohortFactory(center=trainer.center_roles.get().center).trainers.add(trainer)
    assert menu_urls(trainer) == {"banks", "questions", "queue", "analysis"}
    learner = UserFactory(username="learner", role=roles.LEARNER)
    client.force_login(learner)
    # The admin points a learner to "My learning" (lms.middleware.LearnerAdminMiddleware).
    assert client.get(reverse("wagtailadmin_home")).status_code == 403
