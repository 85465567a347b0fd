"""Item analysis: per question and per center, only over the attempts the viewer may grade;
the CSV has the same figures and cannot smuggle a spreadsheet formula."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.analysis import csv_safe, item_analysis
from assessments.models import AssessmentPage, AssessmentQuestion, Attempt, Response
from courses.services import enrollment_create
from lms import roles
from tests.curriculum import publish
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

pytestmark = pytest.mark.django_db


def single_choice(attempt, position, right: bool):
    choices = attempt.questions[position]["choices"]
    return [str(next(c["id"] for c in choices if c["correct"] is right))]


@pytest.fixture
def world(question_bank):
    """A quiz (single choice, 1 point; multiple choice, 2 points; essay, 3 points) taken by
    learners at two centers; the essays graded."""
    course, _lessons, _bank, questions = question_bank
    quiz = course.add_child(instance=AssessmentPage(title="Check", slug="check"))
    for order, kind in enumerate(("single", "multiple", "essay")):
        AssessmentQuestion.objects.create(page=quiz, question=questions[kind], sort_order=order)
    quiz = publish(quiz)
    gilgit = CenterFactory(name="Gilgit lab", code="GLT")
    skardu = CenterFactory(name='=HYPERLINK("http://x")', code="SKD")
    morning = CohortFactory(center=gilgit, name="Morning", curriculum=course)
    evening = CohortFactory(center=gilgit, name="Evening", curriculum=course)
    skardu_cohort = CohortFactory(center=skardu, name="Skardu", curriculum=course)
    trainer = trainer_of(gilgit, "trainer")
    morning.trainers.add(trainer)
    grader = UserFactory(username="programme-admin", role=roles.PROGRAMME_ADMIN)
    # (cohort, single right?, multiple choices picked, essay score)
    takers = [
        (morning, True, "right", 3),
        (morning, False, "right", 1),
        (evening, True, "half", 0),
        (skardu_cohort, True, "none", 3),
        (skardu_cohort, False, "right", 2),
    ]
    for number, (cohort, single_right, multiple, essay_score) in enumerate(takers):
        learner = LearnerProfileFactory(home_center=cohort.center).user
        enrollment_create(learner=learner, course=course, cohort=cohort)
        attempt = services.attempt_start(learner=learner, assessment=quiz)
        correct = [str(c["id"]) for c in attempt.questions[1]["choices"] if c["correct"]]
        picked = {"right": correct, "half": correct[:1], "none": []}[multiple]
        answers = {0: single_choice(attempt, 0, single_right), 1: picked, 2: f"Essay {number}"}
        attempt = services.attempt_submit(
            attempt=attempt, answers=answers, sequence=attempt.sequence
        )
        essay = Response.objects.get(attempt=attempt, position=2)
        services.response_grade(response=essay, grader=grader, score=Decimal(essay_score))
    # One more learner in the morning cohort, still waiting for the essay's grade: not counted.
    waiting = LearnerProfileFactory(home_center=gilgit).user
    enrollment_create(learner=waiting, course=course, cohort=morning)
    attempt = services.attempt_start(learner=waiting, assessment=quiz)
    services.attempt_submit(
        attempt=attempt, answers={0: single_choice(attempt, 0, True)}, sequence=0
    )
    return {
        "quiz": quiz,
        "questions": questions,
        "gilgit": gilgit,
        "skardu": skardu,
        "trainer": trainer,
        "manager": manager_of(gilgit, "manager"),
        "skardu_manager": manager_of(skardu, "skardu-manager"),
        "admin": grader,
    }


def figures(analysis):
    return {
        row.question_id: (
            row.overall.answered,
            row.overall.percent_correct,
            row.overall.average_score,
            {
                center.code: (s.answered, s.percent_correct, s.average_score)
                for center, s in row.by_center
            },
        )
        for row in analysis.rows
    }


def test_programme_admin_sees_every_center(world):
    analysis = item_analysis(user=world["admin"], assessment=world["quiz"])
    assert analysis.attempts == 5
    q = world["questions"]
    assert figures(analysis) == {
        q["single"].pk: (
            5, Decimal("60.0"), Decimal("0.60"),
            {
                "GLT": (3, Decimal("66.7"), Decimal("0.67")),
                "SKD": (2, Decimal("50.0"), Decimal("0.50")),
            },
        ),
        # Right minus wrong: half the right choices earn half the 2 points.
        q["multiple"].pk: (
            5, Decimal("60.0"), Decimal("1.40"),
            {
                "GLT": (3, Decimal("66.7"), Decimal("1.67")),
                "SKD": (2, Decimal("50.0"), Decimal("1.00")),
            },
        ),
        q["essay"].pk: (
            5, Decimal("40.0"), Decimal("1.80"),
            {
                "GLT": (3, Decimal("33.3"), Decimal("1.33")),
                "SKD": (2, Decimal("50.0"), Decimal("2.50")),
            },
        ),
    }  # fmt: skip
    assert [row.question_id for row in analysis.rows] == [
        q["single"].pk, q["multiple"].pk, q["essay"].pk
    ]  # fmt: skip
    assert analysis.rows[2].overall.points == Decimal("3.00")


def test_a_manager_sees_only_their_center_and_a_trainer_only_their_cohort(world):
    q = world["questions"]
    manager = figures(item_analysis(user=world["manager"], assessment=world["quiz"]))
    assert manager[q["single"].pk] == (
        3, Decimal("66.7"), Decimal("0.67"), {"GLT": (3, Decimal("66.7"), Decimal("0.67"))}
    )  # fmt: skip
    trainer = item_analysis(user=world["trainer"], assessment=world["quiz"])
    assert trainer.attempts == 2
    assert figures(trainer)[q["essay"].pk] == (
        2, Decimal("50.0"), Decimal("2.00"), {"GLT": (2, Decimal("50.0"), Decimal("2.00"))}
    )  # fmt: skip
    skardu = item_analysis(user=world["skardu_manager"], assessment=world["quiz"])
    assert {c.code for c in skardu.centers} == {"SKD"} and skardu.attempts == 2


def test_the_page_lists_assessments_and_shows_the_table(client, world):
    client.force_login(world["manager"])
    index = client.get(reverse("assessments_admin:item_analysis_index"))
    assert index.status_code == 200
    url = reverse("assessments_admin:item_analysis", args=[world["quiz"].pk])
    assert url in index.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Which key saves a file?" in body and "Gilgit lab" in body
    assert "HYPERLINK" not in body  # Skardu's attempts are not this manager's
    assert "66.7%" in body


def test_the_analysis_reads_a_fixed_number_of_queries(world, django_assert_num_queries):
    # The role check, then grouped in the database: responses, centers, question labels and
    # the attempt count.
    with django_assert_num_queries(5):
        analysis = item_analysis(user=world["admin"], assessment=world["quiz"])
    assert sum(row.overall.answered for row in analysis.rows) == 15


def test_csv_has_the_same_figures_and_quotes_formulas(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("assessments_admin:item_analysis_csv", args=[world["quiz"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Question id", "Question", "Type", "Center"]
    single = [row for row in rows[1:] if row[0] == str(world["questions"]["single"].pk)]
    assert [row[3:] for row in single] == [
        ["All centers", "5", "60.0", "0.60", "1.00"],
        ['\'=HYPERLINK("http://x")', "2", "50.0", "0.50", "1.00"],
        ["Gilgit lab", "3", "66.7", "0.67", "1.00"],
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Gilgit", "Gilgit"),
        (Decimal("66.7"), "66.7"),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_csv_refuses_what_the_page_refuses(client, world):
    learner = Attempt.objects.first().learner
    client.force_login(learner)
    url = reverse("assessments_admin:item_analysis_csv", args=[world["quiz"].pk])
    response = client.get(url)
    assert response.status_code == 403 and not response.get("Content-Disposition")
    # Staff who grade nobody are refused too.
    client.force_login(trainer_of(world["gilgit"], "new-trainer"))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
