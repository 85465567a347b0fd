"""Question banks belong to a center or to the programme and go through review like lessons
(docs/decisions/0010): another center's staff get 404 on a bank and its questions, a trainer's
edit of a live quiz's question is a draft until the bank's reviewer approves it, an attempt keeps
the questions it was given, and a bank in live use cannot be deleted."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import TaskState, Workflow
from wagtail.test.utils.form_data import inline_formset, rich_text

from assessments import services
from assessments.models import AssessmentDraw, AssessmentPage, Question, QuestionBank
from assessments.review import REVIEW_WORKFLOW_NAME
from courses.authoring import curriculum_review_setup
from lms import roles
from tests.assessments.conftest import make_question
from tests.assessments.test_admin_banks import question_data
from tests.factories import CenterFactory, UserFactory, manager_of, trainer_of

pytestmark = pytest.mark.django_db

OLD_PROMPT = "Which key saves a file?"
NEW_PROMPT = "Which keys save a file, on Windows?"


@pytest.fixture
def people(db):
    glt, skd = CenterFactory(code="GLT"), CenterFactory(code="SKD")
    return {
        "glt": glt,
        "trainer_a": trainer_of(glt, "trainer-a"),
        "manager_a": manager_of(glt, "manager-a"),
        "trainer_b": trainer_of(skd, "trainer-b"),
        "manager_b": manager_of(skd, "manager-b"),
        "admin": UserFactory(username="admin", role=roles.PROGRAMME_ADMIN),
    }


@pytest.fixture
def bank_a(question_bank, people):
    """The fixture's bank, owned by center A (Gilgit)."""
    bank = question_bank[2]
    bank.center = people["glt"]
    bank.save()
    return bank


def single_choice_edit(question, *, prompt, action):
    """The editor's POST for the fixture's single-choice question with a new prompt."""
    choices = [(c.text, c.is_correct) for c in question.choices.order_by("sort_order")]
    data = question_data(question.bank, "single", choices=choices, prompt=rich_text(prompt))
    data[action] = "1"
    return data


def bank_urls(bank):
    return [
        reverse(f"question_banks:{name}", args=[bank.pk])
        for name in ("inspect", "edit", "delete", "history", "usage", "copy")
    ]


def question_urls(question):
    names = (
        *("inspect", "edit", "delete", "history", "usage", "copy", "lock", "unlock"),
        *("unpublish", "workflow_history", "confirm_workflow_cancellation"),
    )
    return [reverse(f"questions:{name}", args=[question.pk]) for name in names]


def test_another_centers_trainer_gets_404_on_every_view_of_a_bank_and_its_questions(
    client, people, bank_a, question_bank
):
    question = question_bank[3]["single"]
    client.force_login(people["trainer_b"])
    for url in bank_urls(bank_a) + question_urls(question):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "Taken over"}).status_code == 404, url
    bulk = reverse("wagtail_bulk_action", args=("assessments", "question", "delete"))
    assert client.post(f"{bulk}?id={question.pk}").status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()
    bank_a.refresh_from_db()
    assert bank_a.title == "Computer basics"
    # Not listed, not offered in filters, the chooser or the question form.
    listed = client.get(reverse("question_banks:index")).context["object_list"]
    assert bank_a not in listed
    response = client.get(reverse("questions:list"))
    assert question not in response.context["object_list"]
    assert f'value="{bank_a.pk}"' not in response.text
    chooser = client.get(reverse("question_chooser:choose"))
    assert chooser.status_code == 200 and OLD_PROMPT not in chooser.text
    assert client.get(reverse("question_chooser:chosen", args=[question.pk])).status_code == 404
    count = Question.objects.count()
    response = client.post(reverse("questions:add"), question_data(bank_a, "essay"))
    assert response.status_code == 200 and "bank" in response.context["form"].errors
    assert Question.objects.count() == count
    # Center A's own trainer reaches them.
    client.force_login(people["trainer_a"])
    assert client.get(reverse("questions:edit", args=[question.pk])).status_code == 200
    assert client.get(reverse("question_banks:edit", args=[bank_a.pk])).status_code == 200


def test_programme_banks_are_seen_by_staff_and_changed_only_by_programme_admins(
    client, people, question_bank
):
    bank = question_bank[2]  # no center: a programme bank
    question = question_bank[3]["essay"]
    for user in (people["trainer_b"], people["manager_a"]):
        client.force_login(user)
        assert client.get(reverse("questions:inspect", args=[question.pk])).status_code == 200
        assert client.get(reverse("question_banks:inspect", args=[bank.pk])).status_code == 200
        for url in bank_urls(bank)[1:3] + question_urls(question)[1:3]:
            assert client.post(url).status_code == 404, url
        response = client.post(reverse("questions:add"), question_data(bank, "essay"))
        assert "bank" in response.context["form"].errors
        # Their list offers no edit or delete link for it.
        listing = client.get(reverse("questions:list")).text
        assert reverse("questions:edit", args=[question.pk]) not in listing
    assert Question.objects.filter(pk=question.pk).exists()
    client.force_login(people["admin"])
    assert client.get(reverse("questions:edit", args=[question.pk])).status_code == 200


def test_an_edit_of_a_live_quiz_is_a_draft_until_the_banks_reviewer_approves_it(
    client, people, bank_a, make_quiz, question_bank, cohort_learner, other_learner
):
    quiz = make_quiz(kinds=("single",))
    question = question_bank[3]["single"]
    learner = cohort_learner[0]

    # A trainer of the bank's center edits and submits for review: nothing reaches learners.
    client.force_login(people["trainer_a"])
    edit = reverse("questions:edit", args=[question.pk])
    response = client.post(
        edit, single_choice_edit(question, prompt=NEW_PROMPT, action="action-submit")
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert OLD_PROMPT in question.prompt and question.workflow_in_progress
    # Trainers cannot publish directly either.
    client.post(edit, single_choice_edit(question, prompt=NEW_PROMPT, action="action-publish"))
    question.refresh_from_db()
    assert OLD_PROMPT in question.prompt

    # A learner starting now gets the published question.
    attempt = services.attempt_start(learner=learner, assessment=quiz)
    assert OLD_PROMPT in attempt.snapshot["questions"][0]["prompt"]

    # Another center's manager may not review it, nor sees it awaiting review.
    state = question.current_workflow_task_state
    approve = reverse("questions:workflow_action", args=[question.pk, "approve", state.pk])
    client.force_login(people["manager_b"])
    assert not TaskState.objects.reviewable_by(people["manager_b"]).exists()
    assert client.post(approve, {"comment": "Fine."}).status_code == 404
    question.refresh_from_db()
    assert OLD_PROMPT in question.prompt

    # The bank's center's manager approves: new attempts get the new version.
    client.force_login(people["manager_a"])
    assert list(TaskState.objects.reviewable_by(people["manager_a"])) == [state]
    assert client.post(approve, {"comment": "Good."}).status_code == 302
    question.refresh_from_db()
    assert NEW_PROMPT in question.prompt and not question.has_unpublished_changes
    fresh = services.attempt_start(learner=other_learner, assessment=quiz)
    assert NEW_PROMPT in fresh.snapshot["questions"][0]["prompt"]

    # The attempt already under way keeps the question it was given, on its page too.
    attempt.refresh_from_db()
    assert OLD_PROMPT in attempt.snapshot["questions"][0]["prompt"]
    client.force_login(learner)
    page = client.get(reverse("assessments:attempt", args=[attempt.pk]))
    assert OLD_PROMPT in page.text and NEW_PROMPT not in page.text


def test_a_new_question_is_not_drawn_until_it_is_published(
    client, people, bank_a, make_quiz, cohort_learner
):
    quiz = make_quiz(kinds=("single",))
    AssessmentDraw.objects.create(page=quiz, bank=bank_a, category="Draft", count=5)
    client.force_login(people["trainer_a"])
    response = client.post(
        reverse("questions:add"),
        question_data(bank_a, "essay", category="Draft", prompt=rich_text("<p>Unreviewed?</p>")),
    )
    assert response.status_code == 302
    draft = Question.objects.get(category="Draft")
    assert not draft.live
    attempt = services.attempt_start(learner=cohort_learner[0], assessment=quiz)
    assert [q["question_id"] for q in attempt.snapshot["questions"]] != []
    assert draft.pk not in [q["question_id"] for q in attempt.snapshot["questions"]]


def test_a_bank_in_live_use_and_its_questions_cannot_be_deleted(
    client, people, bank_a, make_quiz, question_bank
):
    make_quiz(kinds=("single",))
    unused = question_bank[3]["essay"]  # not asked by the quiz, but in the same bank
    client.force_login(people["manager_a"])
    for url in (
        reverse("questions:delete", args=[unused.pk]),
        reverse("wagtail_bulk_action", args=("assessments", "question", "delete"))
        + f"?id={unused.pk}",
        reverse("question_banks:delete", args=[bank_a.pk]),
    ):
        response = client.post(url)
        assert response.status_code == 302, url
        errors = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("used by live assessments (“Quiz”)" in m for m in errors), errors
    assert Question.objects.filter(pk=unused.pk).exists()
    assert QuestionBank.objects.filter(pk=bank_a.pk).exists()


def test_the_question_review_stays_active_whatever_sets_up_the_curriculum_review():
    # Active after migrate (post_migrate), and setting up the page workflow leaves it so.
    assert Question.get_default_workflow().name == REVIEW_WORKFLOW_NAME
    curriculum_review_setup()
    assert Workflow.objects.get(name=REVIEW_WORKFLOW_NAME).active
    assert Question.get_default_workflow().name == REVIEW_WORKFLOW_NAME


def test_the_assessment_editor_offers_only_questions_and_banks_the_editor_may_see(
    client, people, bank_a, question_bank
):
    from tests.assessments.test_assessment_authoring import add_url, quiz_form

    course, questions = question_bank[0], question_bank[3]
    programme_bank = QuestionBank.objects.create(course=course, title="Programme bank")
    shared = make_question(programme_bank, "essay", "A programme question.")
    client.force_login(people["trainer_b"])
    form = client.get(add_url(course))
    assert form.status_code == 200
    assert "A programme question." in form.text and OLD_PROMPT not in form.text
    assert f'<option value="{bank_a.pk}"' not in form.text
    # A forged POST naming center A's question or bank is refused; nothing is created.
    for data in (
        quiz_form([questions["single"]]),
        quiz_form(
            [shared],
            draws=inline_formset([{"bank": bank_a.pk, "category": "", "count": 1}]),
        ),
    ):
        response = client.post(add_url(course), data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
    assert not AssessmentPage.objects.filter(slug="check-your-skills").exists()
    assert client.post(add_url(course), quiz_form([shared])).status_code == 302
