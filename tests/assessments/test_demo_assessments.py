"""The demo assessments that ``seed_demo`` adds: quizzes, projects and attempts in every state."""

import io

import pytest
from django.core.management import call_command

from assessments.models import (
    AssessmentPage,
    Attempt,
    GradeChange,
    Question,
    QuestionBank,
    Response,
)
from courses.models import CoursePage
from demo import texts
from tests.demo_seed import demo_seeded_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Every test here reads the demo: seed it once for the module (tests/demo_seed.py).
    with demo_seeded_once(django_db_blocker) as output:
        yield output


def _counts():
    models = (QuestionBank, Question, AssessmentPage, Attempt, Response, GradeChange)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["revisions"] = sum(p.revisions.count() for p in AssessmentPage.objects.all())
    return counts


def test_every_demo_course_has_a_bank_of_every_type_and_a_published_quiz_last(seeded):
    courses = CoursePage.objects.filter(locale__language_code="en")
    assert sorted(courses.values_list("slug", flat=True)) == sorted(
        s for t in texts.tracks() for s in t["courses"]
    )
    for course in courses:
        bank = QuestionBank.objects.get(course=course)
        kinds = set(bank.questions.values_list("kind", flat=True))
        assert kinds >= {"single", "multiple", "true_false", "short_text", "numeric", "essay"}
        quiz = AssessmentPage.objects.child_of(course).get(kind=AssessmentPage.Kind.QUIZ)
        assert quiz.live and quiz.has_unpublished_changes is False
        assert quiz.pass_mark_percent == 60 and quiz.required_for_completion
        assert quiz.fixed_questions.exists() and quiz.draws.exists()
        assert course.get_children().last().pk == quiz.pk
        for draw in quiz.draws.all():
            assert bank.questions.filter(category=draw.category).count() > draw.count
    timed = AssessmentPage.objects.filter(kind="quiz", time_limit_minutes__gt=0)
    assert timed.filter(locale__language_code="en").count() == 1
    # and its Urdu translation, the same quiz read in Urdu, keeps the time limit
    assert timed.filter(locale__language_code="ur").count() == 1


def test_multiple_choice_states_its_partial_credit_rule(seeded):
    for question in Question.objects.filter(kind="multiple"):
        assert "Each right choice earns its share" in question.prompt
        assert question.partial_credit == Question.PartialCredit.RIGHT_MINUS_WRONG


def test_freelancing_courses_have_a_project_with_a_file_question_and_a_rubric(seeded):
    freelancing = CoursePage.objects.filter(
        locale__language_code="en", path__startswith=CoursePage.objects.get(
            slug="freelancing-foundations", locale__language_code="en"
        ).path[:-4]
    )  # fmt: skip
    assert freelancing.count() == 3
    for course in freelancing:
        project = AssessmentPage.objects.child_of(course).get(kind=AssessmentPage.Kind.PROJECT)
        assert project.live
        files = [f.question for f in project.fixed_questions.all() if f.question.kind == "file"]
        assert len(files) == 1
        assert set(files[0].allowed_file_type_list) == {"pdf", "png", "jpg", "html", "docx", "zip"}
        assert 3 <= files[0].rubric.count() <= 4
    digital = CoursePage.objects.get(slug="computer-basics", locale__language_code="en")
    assert not AssessmentPage.objects.child_of(digital).filter(kind="project").exists()


def test_demo_attempts_exist_in_every_state(seeded):
    attempts = Attempt.objects.select_related("assessment")
    assert attempts.filter(status=Attempt.Status.IN_PROGRESS, responses__isnull=False).exists()
    waiting = attempts.filter(status=Attempt.Status.SUBMITTED)
    assert {a.assessment.kind for a in waiting} == {"quiz", "project"}  # an essay, a project
    graded = attempts.filter(status=Attempt.Status.GRADED)
    assert graded.filter(passed=True).exists() and graded.filter(passed=False).exists()
    # youth.skd1's project, graded with the rubric here (the reports demo passes others too)
    project = graded.get(assessment__kind="project", passed=True, learner__username="youth.skd1")
    file_response = project.responses.exclude(file="").get()
    assert file_response.file_type == "html" and len(file_response.rubric_scores) == 4
    assert file_response.grade_changes.get().changed_by.username == "trainer.skd"


def test_urdu_computer_basics_quiz_is_the_english_quiz_in_urdu(seeded):
    """One bank and one quiz (decision 0013): the Urdu quiz is a translation of the English one
    and draws the same questions, which carry their Urdu text; no Urdu-only questions."""
    course = CoursePage.objects.get(slug="computer-basics", locale__language_code="ur")
    quiz = AssessmentPage.objects.child_of(course).get()
    assert quiz.alias_of_id is None and quiz.live
    english = AssessmentPage.objects.get(
        translation_key=quiz.translation_key, locale__language_code="en"
    )
    assert "کوئز" in quiz.title and english.title == "Computer basics quiz"
    questions = [f.question for f in quiz.fixed_questions.all()]
    assert questions == [f.question for f in english.fixed_questions.all()]
    assert [(d.bank_id, d.category, d.count) for d in quiz.draws.all()] == [
        (d.bank_id, d.category, d.count) for d in english.draws.all()
    ]
    assert all("<p>" in q.prompt_ur and q.prompt_ur != q.prompt for q in questions)
    assert QuestionBank.objects.filter(course__slug="computer-basics").count() == 1
    assert not Question.objects.filter(category="urdu").exists()


def test_seeding_again_changes_nothing(seeded):
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
