"""Trainers write the Urdu beside the English and see what still lacks it (docs/decisions/0014):
the editor's Urdu inputs are right to left, an Urdu edit is a draft until reviewed, the
question list filters on the translation, the bank list counts what lacks Urdu, and graders
read the questions in their own language."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.models import TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.users.models import UserProfile

from assessments import selectors, services
from assessments.models import (
    AssessmentPage,
    AssessmentQuestion,
    Choice,
    Question,
    QuestionBank,
    RubricCriterion,
)
from tests.assessments.conftest import make_question
from tests.curriculum import publish
from tests.factories import CenterFactory, manager_of, trainer_of

pytestmark = pytest.mark.django_db

PROMPT_UR = "<p>فائل محفوظ کرنے کی کلید کون سی ہے؟</p>"


@pytest.fixture
def people(question_bank):
    center = CenterFactory(code="GLT")
    bank = question_bank[2]
    bank.center = center
    bank.save()
    return {"trainer": trainer_of(center, "trainer"), "manager": manager_of(center, "manager")}


def complete(question, prompt_ur="<p>سوال</p>"):
    question.prompt_ur = prompt_ur
    question.save()
    for choice in question.choices.all():
        if choice.text.lower() not in ("true", "false"):
            choice.text_ur = f"اردو {choice.pk}"
            choice.save()
    return question


@pytest.fixture
def translation_states(question_bank):
    """Questions in every translation state; returns (missing, complete) sets of ids."""
    _course, _lessons, bank, questions = question_bank
    for question in questions.values():
        complete(question)
    missing = set()
    # Site-translated "True" / "False": complete without Urdu choice text.
    assert not questions["true_false"].choices.exclude(text_ur="").exists()
    no_prompt = make_question(bank, "essay", "No Urdu prompt yet.")
    missing.add(no_prompt.pk)
    choice_missing = complete(
        make_question(bank, "single", "One choice untranslated.", choices=[("A", True), ("B", 0)])
    )
    choice_missing.choices.filter(text="B").update(text_ur="")
    missing.add(choice_missing.pk)
    feedback_missing = complete(make_question(bank, "essay", "Feedback in English only."))
    feedback_missing.feedback = "<p>Good answers mention backups.</p>"
    feedback_missing.save()
    missing.add(feedback_missing.pk)
    choice_feedback = complete(
        make_question(bank, "single", "Choice feedback.", choices=[("A", True), ("B", False)])
    )
    choice_feedback.choices.filter(text="B").update(feedback="Not B.", feedback_ur="")
    missing.add(choice_feedback.pk)
    rubric = complete(make_question(bank, "file", "Rubric.", allowed_file_types="pdf"))
    RubricCriterion.objects.create(
        question=rubric, title="Layout", title_ur="ترتیب", max_points=Decimal(2)
    )
    rubric_missing = complete(
        make_question(bank, "file", "Rubric missing.", allowed_file_types="pdf")
    )
    RubricCriterion.objects.create(question=rubric_missing, title="Layout", max_points=Decimal(2))
    missing.add(rubric_missing.pk)
    # A true / false question whose choices are not "True" / "False" needs their Urdu.
    worded = complete(
        make_question(bank, "true_false", "Worded.", choices=[("Yes", True), ("No", False)])
    )
    worded.choices.update(text_ur="")
    missing.add(worded.pk)
    everything = set(Question.objects.filter(bank=bank).values_list("pk", flat=True))
    return bank, missing, everything - missing


def test_the_list_filters_questions_lacking_urdu_and_the_bank_list_counts_them(
    client, people, translation_states
):
    bank, missing, done = translation_states
    client.force_login(people["trainer"])
    url = reverse("questions:list")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {q.pk for q in response.context["object_list"]}

    assert listed(translation="missing") == missing
    assert listed(translation="complete") == done
    assert listed() == missing | done
    # The same rule answers the selectors, the column and the count.
    assert set(selectors.questions_missing_urdu(queryset=Question.objects.all())) == set(
        Question.objects.filter(pk__in=missing)
    )
    rows = client.get(url).context["object_list"]
    assert {q.pk for q in rows if not q.urdu_complete} == missing
    response = client.get(reverse("question_banks:index"))
    listed_bank = next(b for b in response.context["object_list"] if b.pk == bank.pk)
    assert listed_bank.urdu_missing_count == len(missing)
    assert "Questions lacking Urdu" in response.text
    # A bank with nothing missing counts 0, not empty.
    QuestionBank.objects.create(course=bank.course, title="Empty", center=bank.center)
    response = client.get(reverse("question_banks:index"))
    empty = next(b for b in response.context["object_list"] if b.title == "Empty")
    assert empty.urdu_missing_count == 0


def test_the_editor_shows_the_urdu_fields_right_to_left(client, people, question_bank):
    question = question_bank[3]["single"]
    client.force_login(people["trainer"])
    body = client.get(reverse("questions:edit", args=[question.pk])).text
    for name in ("choices-0-text_ur", "choices-0-feedback_ur", "accepted_answers_ur"):
        tag = next(t for t in body.split("<") if f'name="{name}"' in t)
        assert 'dir="rtl"' in tag and 'lang="ur"' in tag, name
    assert body.count('dir="rtl" lang="ur"') >= 2  # the rich-text panels: prompt, feedback
    project = make_question(question.bank, "file", "Upload.", allowed_file_types="pdf")
    RubricCriterion.objects.create(question=project, title="Layout", max_points=Decimal(2))
    body = client.get(reverse("questions:edit", args=[project.pk])).text
    for name in ("rubric-0-title_ur", "rubric-0-description_ur"):
        tag = next(t for t in body.split("<") if f'name="{name}"' in t)
        assert 'dir="rtl"' in tag and 'lang="ur"' in tag, name


def urdu_edit(question, action):
    data = {
        "bank": question.bank_id,
        "category": "",
        "kind": "single",
        "points": "1",
        "prompt": rich_text(question.prompt),
        "prompt_ur": rich_text(PROMPT_UR),
        "choices": inline_formset(
            [
                {
                    "id": c.pk,
                    "text": c.text,
                    "text_ur": f"{c.text} اردو",
                    "is_correct": c.is_correct,
                    "feedback": "",
                    "feedback_ur": "",
                }
                for c in question.choices.order_by("sort_order")
            ],
            initial=question.choices.count(),
        ),
        "partial_credit": "right_minus_wrong",
        "accepted_answers": "",
        "accepted_answers_ur": "",
        "numeric_answer": "",
        "numeric_tolerance": "0",
        "allowed_file_types": "",
        "rubric": inline_formset([]),
        "feedback": rich_text(""),
        "feedback_ur": rich_text(""),
        action: "1",
    }
    return nested_form_data(data)


def test_an_urdu_edit_goes_through_review_like_any_edit(
    client, people, question_bank, make_quiz, cohort_learner
):
    quiz = make_quiz(kinds=("single",))
    question = question_bank[3]["single"]
    edit = reverse("questions:edit", args=[question.pk])
    client.force_login(people["trainer"])
    response = client.post(edit, urdu_edit(question, "action-submit"))
    assert response.status_code == 302, response.context["form"].errors
    question.refresh_from_db()
    # A draft under review: learners do not get it yet, the revision holds the Urdu.
    assert question.prompt_ur == "" and question.workflow_in_progress
    draft = question.get_latest_revision_as_object()
    assert "فائل محفوظ" in draft.prompt_ur
    assert all(c.text_ur.endswith("اردو") for c in draft.choices.all())
    assert selectors.questions_missing_urdu(queryset=Question.objects.filter(pk=question.pk))

    state = question.current_workflow_task_state
    approve = reverse("questions:workflow_action", args=[question.pk, "approve", state.pk])
    client.force_login(people["manager"])
    assert client.post(approve, {"comment": "Good."}).status_code == 302
    question.refresh_from_db()
    assert "فائل محفوظ" in question.prompt_ur
    assert set(Choice.objects.filter(question=question).values_list("text_ur", flat=True)) == {
        "Ctrl+S اردو",
        "Ctrl+P اردو",
        "Alt+F4 اردو",
    }
    assert not selectors.questions_missing_urdu(queryset=Question.objects.filter(pk=question.pk))
    assert not TaskState.objects.filter(pk=state.pk, status="in_progress").exists()
    attempt = services.attempt_start(learner=cohort_learner[0], assessment=quiz)
    frozen = attempt.questions[0]
    assert "فائل محفوظ" in frozen["prompt_ur"]
    assert {c["text_ur"] for c in frozen["choices"]} == {
        "Ctrl+S اردو",
        "Ctrl+P اردو",
        "Alt+F4 اردو",
    }


@override_settings(WAGTAILADMIN_PERMITTED_LANGUAGES=[("en", "English"), ("ur", "اردو")])
def test_graders_read_questions_and_criteria_in_their_language(
    client, question_bank, project_question, cohort_learner
):
    course, _lessons, _bank, questions = question_bank
    essay = questions["essay"]
    essay.prompt_ur = "<p>بیک اپ کیوں ضروری ہیں؟</p>"
    essay.save()
    project_question.rubric.filter(title="Clear offer").update(
        title_ur="واضح پیشکش", description="Says what is offered."
    )
    page = course.add_child(instance=AssessmentPage(title="Gig", slug="gig", kind="project"))
    AssessmentQuestion.objects.create(page=page, question=essay, sort_order=0)
    AssessmentQuestion.objects.create(page=page, question=project_question, sort_order=1)
    page = publish(page)
    learner, enrollment = cohort_learner
    attempt = services.attempt_start(learner=learner, assessment=page)
    services.attempt_submit(attempt=attempt, answers={0: "Backups."}, sequence=0)
    grader = trainer_of(enrollment.cohort.center, "grader")
    enrollment.cohort.trainers.add(grader)
    profile = UserProfile.get_for_user(grader)
    profile.preferred_language = "ur"
    profile.save()
    client.force_login(grader)
    body = client.get(reverse("assessments_admin:grade", args=[attempt.pk])).text
    assert "بیک اپ کیوں ضروری ہیں؟" in body and "Explain why backups matter." not in body
    assert "واضح پیشکش" in body
    # Untranslated: English, marked as English.
    assert '<div lang="en" dir="ltr"><p>Upload your gig description' in body
    assert '<strong lang="en" dir="ltr">Pricing</strong>' in body
    assert '<div lang="en" dir="ltr">Says what is offered.</div>' in body


def test_item_analysis_labels_questions_in_the_active_language(make_quiz, urdu_quiz_attempt):
    from django.utils import translation

    from assessments.analysis import item_analysis, item_analysis_csv
    from lms import roles
    from tests.factories import UserFactory

    quiz, question = urdu_quiz_attempt
    admin = UserFactory(username="programme", role=roles.PROGRAMME_ADMIN)
    english = item_analysis(user=admin, assessment=quiz)
    assert [row.label for row in english.rows] == [
        "Which key saves a file?",
        "Which are file types?",
    ]
    with translation.override("ur"):
        urdu = item_analysis(user=admin, assessment=quiz)
        csv_text = item_analysis_csv(urdu)
    assert urdu.rows[0].label == "فائل محفوظ کرنے کی کلید کون سی ہے؟"
    assert not urdu.rows[0].label_fallback
    assert urdu.rows[1].label == "Which are file types?" and urdu.rows[1].label_fallback
    assert "فائل محفوظ کرنے کی کلید کون سی ہے؟" in csv_text


@pytest.fixture
def urdu_quiz_attempt(question_bank, make_quiz, cohort_learner):
    question = question_bank[3]["single"]
    question.prompt_ur = PROMPT_UR
    question.save()
    quiz = make_quiz(kinds=("single", "multiple"))
    attempt = services.attempt_start(learner=cohort_learner[0], assessment=quiz)
    services.attempt_submit(attempt=attempt, answers={}, sequence=0)
    return quiz, question
