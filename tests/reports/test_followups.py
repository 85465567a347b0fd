"""Freelancing follow-ups: scheduled at completion, sent by the daily task with a one-time link,
answered without signing in (English or Urdu), counted on the dashboards."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import CoursePage, Enrollment, LessonPage, TrackPage
from lms.models import Shift
from reports import followups
from reports.filters import ReportFilters
from reports.models import FollowUp
from reports.tasks import followups_send_due_task
from tests.curriculum import lesson_body, publish
from tests.factories import CohortFactory, LearnerProfileFactory, manager_of

pytestmark = pytest.mark.django_db
ANSWERS = {
    "has_marketplace_profile": "yes",
    "has_first_paid_job": "yes",
    "income_band": "10k_30k",
    "still_looking": "no",
}


@pytest.fixture
def freelancing(home):
    track = publish(
        home.add_child(
            instance=TrackPage(
                title="Freelancing", slug="freelancing", audience="youth", summary="Earn online."
            )
        )
    )
    course = publish(
        track.add_child(
            instance=CoursePage(title="Your first gig", slug="first-gig", summary="Gigs", hours=8)
        )
    )
    lesson = publish(
        course.add_child(
            instance=LessonPage(title="Profiles", slug="profiles", body=lesson_body(2))
        )
    )
    cohort = CohortFactory(name="Freelancers", shift=Shift.SECOND_SHIFT, curriculum=track)
    return track, course, lesson, cohort


def _complete(course, lesson, cohort, *, email="", language="en", username="youth1"):
    profile = LearnerProfileFactory(
        user__username=username, user__email=email, home_center=cohort.center,
        learner_type="youth", preferred_language=language, full_name=f"Youth {username}",
    )  # fmt: skip
    services.enrollment_create(learner=profile.user, course=course, cohort=cohort)
    services.lesson_complete(learner=profile.user, lesson=lesson)
    return Enrollment.objects.get(learner=profile.user)


def test_completing_a_freelancing_course_schedules_three_followups(
    freelancing, django_capture_on_commit_callbacks
):
    _track, course, lesson, cohort = freelancing
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = _complete(course, lesson, cohort)
    assert enrollment.status == Enrollment.Status.COMPLETED
    done = timezone.localtime(enrollment.completed_at).date()
    due = sorted(FollowUp.objects.filter(enrollment=enrollment).values_list("days_after", "due_on"))
    assert due == [(d, done + datetime.timedelta(days=d)) for d in (30, 90, 180)]
    # Asking again creates nothing more.
    assert followups.followups_schedule_for(enrollment=enrollment) == 0
    assert FollowUp.objects.count() == 3


def test_digital_literacy_completions_get_no_followups(
    make_course, django_capture_on_commit_callbacks
):
    _track, course, lessons = make_course(lessons=1)
    cohort = CohortFactory(curriculum=course)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = _complete(course, lessons[0], cohort)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert not FollowUp.objects.exists()
    assert followups.followups_schedule_missing() == 0


def _sent_link(outbox_message) -> str:
    return re.search(r"https?://\S+/followup/\S+/", outbox_message.body)[0]


def test_due_followups_are_sent_once_with_a_link_stored_only_as_a_hash(freelancing):
    _track, course, lesson, cohort = freelancing
    enrollment = _complete(course, lesson, cohort, email="youth@example.org")
    _complete(course, lesson, cohort, username="no-mail")  # no address: nothing to send
    assert followups.followups_schedule_missing() == 6
    done = timezone.localtime(enrollment.completed_at).date()
    assert followups.followups_send_due(today=done + datetime.timedelta(days=29)) == 0
    assert followups.followups_send_due(today=done + datetime.timedelta(days=30)) == 1
    assert followups.followups_send_due(today=done + datetime.timedelta(days=31)) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["youth@example.org"]
    link = _sent_link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    sent = FollowUp.objects.get(sent_at__isnull=False)
    assert sent.days_after == 30
    assert token not in sent.token_hash and len(sent.token_hash) == 64
    assert not FollowUp.objects.filter(token_hash=token).exists()


def test_the_link_answers_once_without_signing_in(client, freelancing):
    _track, course, lesson, cohort = freelancing
    enrollment = _complete(course, lesson, cohort, email="youth@example.org")
    followups.followups_schedule_missing()
    followups.followups_send_due(today=timezone.localdate() + datetime.timedelta(days=30))
    path = _sent_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    url = "/" + path
    page = client.get(url)
    assert page.status_code == 200 and "Your first gig" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    response = client.post(url, {**ANSWERS, "has_first_paid_job": ""})
    assert response.status_code == 200  # a missing answer: the form again, nothing saved
    assert not FollowUp.objects.filter(answered_at__isnull=False).exists()
    response = client.post(url, ANSWERS)
    assert response.status_code == 302
    answered = FollowUp.objects.get(enrollment=enrollment, days_after=30)
    assert answered.is_answered and answered.has_first_paid_job is True
    assert answered.income_band == "10k_30k" and answered.still_looking is False
    again = client.post(url, {**ANSWERS, "income_band": "over_60k"})
    assert again.status_code == 410
    answered.refresh_from_db()
    assert answered.income_band == "10k_30k"
    assert client.get(url).status_code == 410


def test_urdu_learners_get_an_urdu_link(client, freelancing):
    _track, course, lesson, cohort = freelancing
    _complete(course, lesson, cohort, email="ur@example.org", language="ur")
    followups.followups_schedule_missing()
    followups.followups_send_due(today=timezone.localdate() + datetime.timedelta(days=30))
    link = _sent_link(mail.outbox[0])
    assert "/ur/followup/" in link
    page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert page.status_code == 200
    assert '<html lang="ur" dir="rtl">' in page.content.decode()


def test_unknown_and_expired_links_are_refused(client, freelancing):
    assert client.get(reverse("followup_answer", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("followup_answer", args=["x" * 200]), ANSWERS).status_code == 404
    _track, course, lesson, cohort = freelancing
    _complete(course, lesson, cohort, email="youth@example.org")
    followups.followups_schedule_missing()
    followups.followups_send_due(today=timezone.localdate() + datetime.timedelta(days=30))
    url = "/" + _sent_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    FollowUp.objects.filter(sent_at__isnull=False).update(
        sent_at=timezone.now() - datetime.timedelta(days=followups.ANSWER_WINDOW_DAYS + 1)
    )
    assert client.get(url).status_code == 410
    assert client.post(url, ANSWERS).status_code == 410
    assert not FollowUp.objects.filter(answered_at__isnull=False).exists()


def test_daily_task_schedules_and_sends(freelancing, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _track, course, lesson, cohort = freelancing
    enrollment = _complete(course, lesson, cohort, email="youth@example.org")
    Enrollment.objects.filter(pk=enrollment.pk).update(
        completed_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert followups_send_due_task.delay().get() == 1
    assert FollowUp.objects.filter(enrollment=enrollment).count() == 3
    assert len(mail.outbox) == 1


def test_outcomes_per_center_and_track_on_the_dashboard(client, freelancing):
    track, course, lesson, cohort = freelancing
    enrollments = [
        _complete(course, lesson, cohort, email=f"y{n}@example.org", username=f"y{n}")
        for n in range(3)
    ]
    followups.followups_schedule_missing()
    followups.followups_send_due(today=timezone.localdate() + datetime.timedelta(days=30))
    tokens = [
        "/" + _sent_link(message).split("://", 1)[1].split("/", 1)[1] for message in mail.outbox
    ]
    assert len(tokens) == 3
    client.post(tokens[0], ANSWERS)
    client.post(tokens[1], {**ANSWERS, "has_first_paid_job": "no", "income_band": "none",
                            "still_looking": "yes"})  # fmt: skip
    rows = followups.outcome_rows(centers=[cohort.center], filters=ReportFilters())
    assert len(rows) == 1
    row = rows[0]
    assert (row.center, row.track, row.days_after) == (cohort.center.name, track.title, 30)
    assert (row.sent, row.answered, row.profile_rate, row.paid_rate) == (3, 2, 100, 50)
    assert (row.looking_rate, row.earning_10k) == (50, 1)
    assert len(enrollments) == 3
    client.force_login(manager_of(cohort.center))
    html = client.get(reverse("reports:center", args=[cohort.center.pk])).content.decode()
    outcomes = html.split('data-report-table="outcomes"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td>([^<]*)</td>", outcomes)
    assert cells == [cohort.center.name, "Freelancing", "30", "3", "2", "100%", "50%", "50%", "1"]
