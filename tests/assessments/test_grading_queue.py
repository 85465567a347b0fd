"""The grading queue in the admin: scoped to the grader's cohorts, rubric scores checked, every
grade and change kept with who, when and why, nothing half-saved; a pass completes the course."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from assessments import services
from assessments.admin_forms import REASON_REQUIRED, SCORE_MISSING
from assessments.admin_views import NOT_SAVED, NOTHING_TO_SAVE
from assessments.models import AssessmentPage, AssessmentQuestion, Attempt, GradeChange, Response
from courses.models import Enrollment
from courses.services import enrollment_create, lesson_complete
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

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def submitted_attempt(learner, page, essay="<p>Backups keep work safe.</p>"):
    attempt = services.attempt_start(learner=learner, assessment=page)
    upload = SimpleUploadedFile("gig.pdf", PDF, content_type="application/pdf")
    return services.attempt_submit(
        attempt=attempt, answers={0: essay}, files={1: upload}, sequence=attempt.sequence
    )


@pytest.fixture
def world(question_bank, project_question):
    course, lessons, _bank, questions = question_bank
    page = course.add_child(
        instance=AssessmentPage(title="Gig project", slug="gig", kind="project")
    )
    AssessmentQuestion.objects.create(page=page, question=questions["essay"], sort_order=0)
    AssessmentQuestion.objects.create(page=page, question=project_question, sort_order=1)
    page = publish(page)
    center, elsewhere = CenterFactory(code="GLT"), CenterFactory(code="SKD")
    cohort_a = CohortFactory(center=center, name="Morning", curriculum=course)
    cohort_b = CohortFactory(center=center, name="Evening", curriculum=course)
    trainer_a, trainer_b = trainer_of(center, "trainer-a"), trainer_of(center, "trainer-b")
    cohort_a.trainers.add(trainer_a)
    cohort_b.trainers.add(trainer_b)
    learners = {}
    for name, cohort in (("ann", cohort_a), ("ben", cohort_b)):
        user = LearnerProfileFactory(
            home_center=center, full_name=name.title(), user__username=name
        ).user
        enrollment_create(learner=user, course=course, cohort=cohort)
        for lesson in lessons:
            lesson_complete(learner=user, lesson=lesson)
        learners[name] = user
    return {
        "page": page,
        "attempt_a": submitted_attempt(learners["ann"], page),
        "attempt_b": submitted_attempt(learners["ben"], page),
        "trainer_a": trainer_a,
        "trainer_b": trainer_b,
        "manager": manager_of(center, "manager"),
        "other_manager": manager_of(elsewhere, "other-manager"),
        **learners,
    }


def grade_url(attempt):
    return reverse("assessments_admin:grade", args=[attempt.pk])


def grade_data(essay=None, rubric=None, feedback="", reason="", essay_reason=""):
    """The grade form as the browser posts it: position 0 is the essay, 1 the rubric project."""
    data = {"r0-feedback": "", "r0-reason": essay_reason, "r1-feedback": feedback}
    data["r1-reason"] = reason
    data["r0-score"] = "" if essay is None else str(essay)
    for index, value in enumerate(rubric or ["", "", ""]):
        data[f"r1-criterion_{index}"] = str(value)
    return data


def test_trainer_sees_only_their_cohorts_attempts_in_the_queue(client, world):
    client.force_login(world["trainer_a"])
    body = client.get(reverse("assessments_admin:queue")).content.decode()
    assert grade_url(world["attempt_a"]) in body
    assert grade_url(world["attempt_b"]) not in body
    assert "Ann" in body and "Ben" not in body


def test_manager_sees_the_whole_center_and_another_manager_nothing(client, world):
    client.force_login(world["manager"])
    body = client.get(reverse("assessments_admin:queue")).content.decode()
    assert grade_url(world["attempt_a"]) in body and grade_url(world["attempt_b"]) in body
    client.force_login(world["other_manager"])
    body = client.get(reverse("assessments_admin:queue")).content.decode()
    assert "Nothing is waiting to be graded." in body


def test_another_cohorts_attempt_is_a_404_for_get_and_post(client, world):
    client.force_login(world["trainer_a"])
    url = grade_url(world["attempt_b"])
    assert client.get(url).status_code == 404
    response = client.post(url, grade_data(essay=3, rubric=[4, 3, 3]))
    assert response.status_code == 404
    assert not GradeChange.objects.exists()
    assert Response.objects.filter(attempt=world["attempt_b"], score__isnull=False).count() == 0


def test_a_learner_cannot_open_the_grading_views(client, world):
    client.force_login(world["ann"])
    for url in (reverse("assessments_admin:queue"), grade_url(world["attempt_a"])):
        response = client.get(url)
        # The admin points a learner to "My learning" (lms.middleware.LearnerAdminMiddleware).
        assert response.status_code == 403 and "/learning/" in response.text


def test_graders_never_grade_their_own_attempt(client, world):
    admin = UserFactory(username="programme-admin", role=roles.PROGRAMME_ADMIN)
    LearnerProfileFactory(user=admin)
    enrollment_create(learner=admin, course=world["page"].get_parent().specific)
    own = submitted_attempt(admin, world["page"])
    client.force_login(admin)
    assert client.get(grade_url(own)).status_code == 404
    assert (
        grade_url(world["attempt_b"])
        in client.get(reverse("assessments_admin:queue")).content.decode()
    )


def test_grade_page_shows_the_answer_the_file_link_and_the_rubric(client, world):
    attempt = world["attempt_a"]
    client.force_login(world["trainer_a"])
    body = client.get(grade_url(attempt)).content.decode()
    assert "Backups keep work safe." in body
    assert reverse("assessments:file", args=[attempt.pk, 1]) in body
    assert "gig.pdf" in body
    for criterion in ("Clear offer", "Pricing", "Layout"):
        assert criterion in body
    assert 'name="r1-criterion_0"' in body and 'name="r0-score"' in body


HOSTILE_ANSWER = (
    "<h1>My first page</h1>\n"
    '  <a href="https://phish.example/login">Open my work</a>\n'
    '<img src="https://tracker.example/pixel.png"><script>alert(1)</script>'
)


def test_a_written_answer_is_shown_as_the_text_the_learner_typed(client, world):
    """A web-development learner's HTML is code to grade: the grader sees it escaped, with its
    line breaks and indentation, and no link or remote image of it reaches the grader's page."""
    attempt = world["attempt_a"]
    Response.objects.filter(attempt=attempt, position=0).update(answer=HOSTILE_ANSWER)
    client.force_login(world["trainer_a"])
    body = client.get(grade_url(attempt)).content.decode()
    for markup in ("<h1>My first page", '<a href="https://phish', '<img src="https://tracker'):
        assert markup not in body
    shown = (
        '<div class="grade-answer-text" dir="auto">&lt;h1&gt;My first page&lt;/h1&gt;\n'
        "  &lt;a href=&quot;https://phish.example/login&quot;&gt;Open my work&lt;/a&gt;\n"
        "&lt;img src=&quot;https://tracker.example/pixel.png&quot;&gt;"
        "&lt;script&gt;alert(1)&lt;/script&gt;</div>"
    )
    assert shown in body


def test_grading_every_answer_grades_the_attempt_and_completes_the_course(client, world):
    attempt = world["attempt_a"]
    client.force_login(world["trainer_a"])
    data = grade_data(
        essay="2.5", rubric=["4", "2", "3"], feedback="Clear offer.\n\nFix the price."
    )
    response = client.post(grade_url(attempt), data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "assessments_admin:queue"
    )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    # Essay 2.5 of 3; project 9 of 10 rubric points, scaled to its 10 points.
    assert attempt.score == Decimal("11.50") and attempt.max_score == Decimal("13.00")
    assert attempt.passed is True
    project = Response.objects.get(attempt=attempt, position=1)
    assert project.rubric_scores == ["4", "2", "3"] and project.score == Decimal("9.00")
    assert project.graded_by == world["trainer_a"]
    assert project.feedback == "<p>Clear offer.</p>\n\n<p>Fix the price.</p>"
    changes = GradeChange.objects.order_by("response__position")
    assert [(c.old_score, c.new_score, c.changed_by) for c in changes] == [
        (None, Decimal("2.50"), world["trainer_a"]),
        (None, Decimal("9.00"), world["trainer_a"]),
    ]
    enrollment = Enrollment.objects.get(learner=world["ann"])
    assert enrollment.status == Enrollment.Status.COMPLETED
    # Ben's attempt is untouched and still waits.
    assert Attempt.objects.get(pk=world["attempt_b"].pk).status == Attempt.Status.SUBMITTED


def test_grading_one_answer_leaves_the_attempt_waiting(client, world):
    attempt = world["attempt_a"]
    client.force_login(world["trainer_a"])
    assert client.post(grade_url(attempt), grade_data(essay=1)).status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert Response.objects.get(attempt=attempt, position=0).score == Decimal("1.00")
    assert Response.objects.get(attempt=attempt, position=1).score is None
    # Still in the queue, with the graded answer's history on its page.
    assert grade_url(attempt) in client.get(reverse("assessments_admin:queue")).content.decode()


def test_a_rubric_score_out_of_range_is_refused_and_nothing_is_saved(client, world):
    attempt = world["attempt_a"]
    client.force_login(world["trainer_a"])
    # The essay's grade is valid; the project's "Pricing" (3 points) is given 5.
    response = client.post(grade_url(attempt), grade_data(essay=3, rubric=[4, 5, 3]))
    assert response.status_code == 200
    body = response.content.decode()
    assert str(NOT_SAVED) in body
    assert "Ensure this value is less than or equal to 3" in body
    form = response.context["items"][1]["form"]
    assert list(form.errors) == ["criterion_1"]
    assert not GradeChange.objects.exists()
    assert not Response.objects.filter(attempt=attempt, score__isnull=False).exists()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


def test_a_missing_criterion_score_is_refused(client, world):
    client.force_login(world["trainer_a"])
    response = client.post(grade_url(world["attempt_a"]), grade_data(rubric=[4, "", 3]))
    assert response.status_code == 200
    assert response.context["items"][1]["form"].errors["criterion_1"] == [str(SCORE_MISSING)]
    assert not GradeChange.objects.exists()


def test_an_empty_form_saves_nothing_and_says_so(client, world):
    client.force_login(world["trainer_a"])
    response = client.post(grade_url(world["attempt_a"]), grade_data())
    assert response.status_code == 200
    assert str(NOTHING_TO_SAVE) in response.content.decode()
    assert not GradeChange.objects.exists()


def test_a_regrade_needs_a_reason_and_keeps_the_history(client, world):
    attempt = world["attempt_a"]
    client.force_login(world["trainer_a"])
    client.post(grade_url(attempt), grade_data(essay=3, rubric=[4, 3, 3]))
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.score == Decimal("13.00")

    # Another grader lowers the project without saying why: refused, nothing changes. The form
    # is posted as rendered, with the grades given so far filled in.
    client.force_login(world["manager"])
    form = querydict_from_html(client.get(grade_url(attempt)).content.decode(), "grade-form")
    assert form["r0-score"] == "3.00" and form["r1-criterion_0"] == "4"
    form["r1-criterion_0"] = "1"
    response = client.post(grade_url(attempt), form)
    assert response.status_code == 200
    assert response.context["items"][1]["form"].errors["reason"] == [str(REASON_REQUIRED)]
    assert GradeChange.objects.count() == 2
    assert Response.objects.get(attempt=attempt, position=1).score == Decimal("10.00")

    # With a reason it is saved; the first grade stays in the history.
    reason = "Offer copied from a template."
    response = client.post(grade_url(attempt), grade_data(essay=3, rubric=[1, 3, 3], reason=reason))
    assert response.status_code == 302
    project = Response.objects.get(attempt=attempt, position=1)
    assert project.score == Decimal("7.00") and project.graded_by == world["manager"]
    history = list(GradeChange.objects.filter(response=project).order_by("changed_at", "pk"))
    assert [(c.old_score, c.new_score, c.reason) for c in history] == [
        (None, Decimal("10.00"), ""),
        (Decimal("10.00"), Decimal("7.00"), reason),
    ]
    assert [c.changed_by for c in history] == [world["trainer_a"], world["manager"]]
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.score == Decimal("10.00")
    # The essay was left as it was: no change, no history row, no reason needed.
    assert GradeChange.objects.filter(response__position=0).count() == 1

    body = client.get(grade_url(attempt)).content.decode()
    assert "Grade history" in body and reason in body and "10.00 → 7.00" in body


def test_graded_attempts_are_listed_for_changes(client, world):
    attempt = world["attempt_a"]
    client.force_login(world["trainer_a"])
    client.post(grade_url(attempt), grade_data(essay=3, rubric=[4, 3, 3]))
    waiting = client.get(reverse("assessments_admin:queue")).content.decode()
    assert grade_url(attempt) not in waiting
    graded = client.get(reverse("assessments_admin:queue") + "?show=graded").content.decode()
    assert grade_url(attempt) in graded


def test_the_feedback_is_kept_as_text_not_markup(client, world):
    attempt = world["attempt_a"]
    client.force_login(world["trainer_a"])
    data = grade_data(essay=3, rubric=[4, 3, 3], feedback='<img src=x onerror="alert(1)">Good')
    client.post(grade_url(attempt), data)
    feedback = Response.objects.get(attempt=attempt, position=1).feedback
    assert "<img" not in feedback and "&lt;img" in feedback
    # Shown again unchanged, a re-save with the same text is not a change (no reason asked).
    response = client.get(grade_url(attempt))
    assert response.context["items"][1]["form"]["feedback"].value().endswith("Good")
    again = client.post(grade_url(attempt), {**data, "r1-feedback": data["r1-feedback"] + "\r\n"})
    assert str(NOTHING_TO_SAVE) in again.content.decode()
    assert GradeChange.objects.count() == 2
