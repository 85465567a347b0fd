"""Fixtures for assessments: a course with a question bank of every type and a quiz page."""

from decimal import Decimal

import pytest

from assessments.models import (
    AssessmentPage,
    AssessmentQuestion,
    Choice,
    Question,
    QuestionBank,
    RubricCriterion,
)
from courses.services import enrollment_create
from tests.curriculum import publish
from tests.factories import CohortFactory, LearnerProfileFactory


def make_question(bank, kind, prompt, *, points=1, choices=(), category="", **fields):
    question = Question(
        bank=bank, kind=kind, prompt=f"<p>{prompt}</p>", points=Decimal(points), category=category,
        **fields,
    )  # fmt: skip
    question.save()
    for order, (text, correct) in enumerate(choices):
        Choice.objects.create(question=question, text=text, is_correct=correct, sort_order=order)
    return question


@pytest.fixture
def question_bank(make_course):
    """A course (2 lessons) and a bank with one question of each objective type plus an essay."""
    _track, course, lessons = make_course(lessons=2, blocks=2)
    bank = QuestionBank.objects.create(course=course, title="Computer basics")
    questions = {
        "single": make_question(
            bank, "single", "Which key saves a file?",
            choices=[("Ctrl+S", True), ("Ctrl+P", False), ("Alt+F4", False)],
        ),
        "multiple": make_question(
            bank, "multiple", "Which are file types?", points=2,
            choices=[("PDF", True), ("PNG", True), ("Mouse", False), ("Keyboard", False)],
        ),
        "true_false": make_question(
            bank, "true_false", "A folder can hold other folders.",
            choices=[("True", True), ("False", False)],
        ),
        "short_text": make_question(
            bank, "short_text", "What is the name of the key with a windows logo?",
            accepted_answers="Windows key\nStart key",
        ),
        "numeric": make_question(
            bank, "numeric", "How many bytes in a kilobyte (binary)?",
            numeric_answer=Decimal(1024), numeric_tolerance=Decimal(0),
        ),
        "essay": make_question(bank, "essay", "Explain why backups matter.", points=3),
    }  # fmt: skip
    return course, lessons, bank, questions


@pytest.fixture
def make_quiz(question_bank):
    course, _lessons, bank, questions = question_bank

    def _make(kinds=("single", "multiple", "true_false", "short_text", "numeric"), **fields):
        fields.setdefault("title", "Quiz")
        fields.setdefault("slug", "quiz")
        page = course.add_child(instance=AssessmentPage(**fields))
        for order, kind in enumerate(kinds):
            AssessmentQuestion.objects.create(page=page, question=questions[kind], sort_order=order)
        return publish(page)

    return _make


@pytest.fixture
def project_question(question_bank):
    _course, _lessons, bank, _questions = question_bank
    question = make_question(
        bank, "file", "Upload your gig description as a PDF or an image.", points=10,
        allowed_file_types="pdf,png,jpg",
    )  # fmt: skip
    for order, (title, points) in enumerate([("Clear offer", 4), ("Pricing", 3), ("Layout", 3)]):
        RubricCriterion.objects.create(
            question=question, title=title, max_points=Decimal(points), sort_order=order
        )
    return question


@pytest.fixture
def cohort_learner(question_bank):
    """A learner in a cohort at a center, enrolled in the course."""
    course = question_bank[0]
    cohort = CohortFactory()
    profile = LearnerProfileFactory(home_center=cohort.center)
    enrollment = enrollment_create(learner=profile.user, course=course, cohort=cohort)
    return profile.user, enrollment


@pytest.fixture
def other_learner(question_bank):
    profile = LearnerProfileFactory(user__username="other-learner")
    enrollment_create(learner=profile.user, course=question_bank[0])
    return profile.user


def right_answers(attempt) -> dict:
    """Answers that earn full points on every objective question of the attempt's snapshot."""
    answers = {}
    for position, question in enumerate(attempt.questions):
        kind = question["kind"]
        if kind in ("single", "multiple", "true_false"):
            answers[position] = [str(c["id"]) for c in question["choices"] if c["correct"]]
        elif kind == "short_text":
            answers[position] = question["accepted"][0]
        elif kind == "numeric":
            answers[position] = question["numeric_answer"]
        elif kind == "essay":
            answers[position] = "Backups keep your work when a disk fails."
    return answers


def confirm_submit(client, attempt, prefix=""):
    """The "Submit now" of the confirmation step that follows a form's "Submit answers"."""
    from django.urls import reverse

    attempt.refresh_from_db()
    url = reverse("assessments:confirm", args=[attempt.pk])
    url = url if url.startswith(f"{prefix}/") else prefix + url
    return client.post(url, {"sequence": attempt.sequence})
