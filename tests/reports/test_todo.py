"""The to-do panel on the admin home and the staff inbox: each role sees the work waiting in
its own cohorts and centers, and hears of submitted projects and reviewed changes."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import AssessmentPage, AssessmentQuestion, Question, QuestionBank
from courses.models import CohortDueDate, Enrollment, RosterImport
from lms.models import StaffNotice
from tests.curriculum import publish

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def _item(html, name) -> str:
    """The text of one to-do item, or "" when the panel does not show it."""
    found = re.search(rf'data-todo-item="{name}">(.*?)</li>\s*(?=<li data-todo-item|</ul>)', html,
                      re.S)  # fmt: skip
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def test_a_trainer_sees_their_cohorts_attendance_and_overdue_work(client, network):
    CohortDueDate.objects.create(
        cohort=network.glt_day, page=network.quiz, due_at=timezone.now() - datetime.timedelta(1)
    )
    CohortDueDate.objects.create(
        cohort=network.glt_evening, page=network.quiz,
        due_at=timezone.now() - datetime.timedelta(1),
    )  # fmt: skip
    html = _home(client, network.trainer)
    attendance = _item(html, "attendance")
    assert "GLT day" in attendance and "GLT evening" not in attendance
    overdue = _item(html, "overdue")
    # g4 alone has not submitted the quiz in the day cohort; the evening cohort is not theirs.
    assert "1 learner has not submitted" in overdue and "GLT evening" not in overdue
    assert reverse("gradebook:cohort", args=[network.glt_day.pk]) in html
    # Managers' items are not a trainer's.
    assert not _item(html, "rosters") and not _item(html, "eligible")


def test_a_manager_sees_roster_problems_and_certificates_to_issue(client, network):
    roster = RosterImport.objects.create(
        center=network.glt, uploaded_by=network.manager, filename="class-9.csv",
        file_sha256="0" * 64, rows=[], problems=[{"row": 3, "field": "name", "message": "x"}],
    )  # fmt: skip
    RosterImport.objects.create(
        center=network.skd, uploaded_by=network.other_manager, filename="skardu.csv",
        file_sha256="1" * 64, rows=[], problems=[{"row": 1, "field": "name", "message": "x"}],
    )  # fmt: skip
    Enrollment.objects.filter(learner=network.learners["g4"]).update(
        status=Enrollment.Status.COMPLETED, completed_at=timezone.now()
    )
    html = _home(client, network.manager)
    rosters = _item(html, "rosters")
    assert "class-9.csv" in rosters and "1 problem" in rosters and "skardu.csv" not in rosters
    assert reverse("courses_roster:preview", args=[roster.pk]) in html
    eligible = _item(html, "eligible")
    assert "GLT day" in eligible and "SKD" not in eligible
    other = _home(client, network.other_manager)
    assert "class-9.csv" not in other and "GLT day" not in _item(other, "eligible")


def _project(course):
    bank = QuestionBank.objects.create(course=course, title="Projects")
    essay = Question.objects.create(bank=bank, kind="essay", prompt="<p>Build it.</p>", points=5)
    page = course.add_child(
        instance=AssessmentPage(title="Shop website", slug="shop", kind="project",
                                required_for_completion=False)
    )  # fmt: skip
    AssessmentQuestion.objects.create(page=page, question=essay, sort_order=0)
    return publish(page)


def test_a_submitted_project_reaches_the_graders_inbox_and_mail(
    client, network, django_capture_on_commit_callbacks
):
    network.trainer.email = "trainer@example.org"
    network.trainer.save()
    project = _project(network.course)
    learner = network.learners["g4"]
    attempt = assessment_services.attempt_start(learner=learner, assessment=project)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_services.attempt_submit(attempt=attempt, answers={0: "Done"}, sequence=0)
    notified = set(StaffNotice.objects.values_list("user__username", flat=True))
    assert notified == {network.trainer.username, network.manager.username}
    assert [m.to for m in mail.outbox] == [["trainer@example.org"]]  # the manager has none
    html = _home(client, network.trainer)
    assert "Learner g4 submitted “Shop website” for grading." in _item(html, "notices")
    assert "1 submission awaits grading" in _item(html, "grading")
    assert 'name="csrfmiddlewaretoken"' in html.split('data-todo-item="notices"')[1]
    # Reading: one's own notice only.
    notice = StaffNotice.objects.get(user=network.trainer)
    url = reverse("todo:notice_read", args=[notice.pk])
    client.force_login(network.manager)
    assert client.post(url).status_code == 404
    client.force_login(network.trainer)
    assert client.post(url).status_code == 302
    assert "Shop website" not in _item(_home(client, network.trainer), "notices")
    # A quiz submission is no news for the inbox.
    before = StaffNotice.objects.count()
    assessment_services.attempt_submit(
        attempt=assessment_services.attempt_start(learner=learner, assessment=network.quiz),
        answers=None, sequence=0,
    )  # fmt: skip
    assert StaffNotice.objects.count() == before


def test_a_change_sent_back_reaches_its_authors_inbox_and_reviewers_see_the_count(client, network):
    from assessments.review import question_review_setup

    question_review_setup()
    bank = QuestionBank.objects.create(course=network.course, title="GLT bank", center=network.glt)
    question = Question.objects.create(bank=bank, kind="essay", prompt="<p>Why?</p>")
    question.save_revision(user=network.trainer)
    state = question.get_workflow().start(question, network.trainer)
    assert "1 question change awaits your review" in _item(
        _home(client, network.manager), "review-questions"
    )
    assert "1 of your changes is in review" in _item(
        _home(client, network.trainer), "mine-in-review"
    )
    state.current_task_state.reject(user=network.manager)
    notice = StaffNotice.objects.get(user=network.trainer)
    assert "was sent back" in notice.message


def test_nothing_to_do_shows_no_panel(client, network):
    from tests.factories import CenterFactory, manager_of

    quiet = manager_of(CenterFactory(code="QUIET"), "quiet-manager")
    assert 'id="hunar-todo' not in _home(client, quiet)
