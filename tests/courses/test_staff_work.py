"""Due dates and announcements (issue 16): set by a cohort's trainers and its center's managers
in the admin, only for their own cohorts and centers; read by learners on "My learning"."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from courses import services, staff
from courses.models import Announcement, AnnouncementRead, CohortDueDate
from courses.templatetags.staff_tags import due_label
from lms.models import CohortMembership
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    manager_of,
    trainer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_course):
    _track, course, lessons = make_course(lessons=2)
    glt, skd = CenterFactory(code="GLT", name="Gilgit lab"), CenterFactory(code="SKD")
    day = CohortFactory(center=glt, name="Day", curriculum=course)
    evening = CohortFactory(center=glt, name="Evening", curriculum=course)
    elsewhere = CohortFactory(center=skd, name="Skardu", curriculum=course)
    learners = {}
    for key, cohort, email, language in (
        ("amina", day, "amina@example.org", "ur"), ("bilal", day, "", "en"),
        ("sara", evening, "sara@example.org", "en"), ("zoya", elsewhere, "zoya@example.org", "en"),
    ):  # fmt: skip
        profile = LearnerProfileFactory(
            home_center=cohort.center, full_name=key.title(), preferred_language=language,
            user__username=key, user__email=email,
        )  # fmt: skip
        CohortMembership.objects.create(cohort=cohort, learner=profile.user)
        services.enrollment_create(learner=profile.user, course=course, cohort=cohort)
        learners[key] = profile.user
    trainer = trainer_of(glt, "trainer")
    day.trainers.add(trainer)
    return {
        "course": course, "lessons": lessons, "glt": glt, "skd": skd, "day": day,
        "evening": evening, "elsewhere": elsewhere, "learners": learners, "trainer": trainer,
        "manager": manager_of(glt, "manager"), "other_manager": manager_of(skd, "other"),
    }  # fmt: skip


def _messages(response) -> list[str]:
    return [str(m) for ms in response.context["form"].errors.values() for m in ms]


def _admin(client, user):
    client.force_login(user)
    return client


# --- Due dates --------------------------------------------------------------------------------


def _due_post(client, user, cohort, page, when="2030-01-04 17:00"):
    return _admin(client, user).post(
        reverse("due_dates:add"), {"cohort": cohort.pk, "page": page.pk, "due_at": when}
    )


def test_a_trainer_sets_a_due_date_for_their_cohort(client, world):
    response = _due_post(client, world["trainer"], world["day"], world["lessons"][1])
    assert response.status_code == 302, response.context["form"].errors
    due = CohortDueDate.objects.get()
    assert (due.cohort, due.page_id, due.set_by) == (
        world["day"], world["lessons"][1].pk, world["trainer"],
    )  # fmt: skip


def test_a_trainer_cannot_set_one_for_another_cohort(client, world):
    for cohort in (world["evening"], world["elsewhere"]):
        response = _due_post(client, world["trainer"], cohort, world["lessons"][0])
        assert response.status_code == 200
        assert "cohort" in response.context["form"].errors
    assert not CohortDueDate.objects.exists()


def test_a_page_outside_the_cohorts_curriculum_is_refused(client, world, make_course):
    _track, other_course, other_lessons = make_course(lessons=1, slug="other")
    response = _due_post(client, world["trainer"], world["day"], other_lessons[0])
    assert response.status_code == 200
    assert str(staff.NOT_IN_CURRICULUM) in _messages(response)
    assert not CohortDueDate.objects.exists()


def test_learners_see_what_is_due_until_they_do_it(client, world):
    learner = world["learners"]["bilal"]
    lesson = world["lessons"][0]
    soon = timezone.now() + datetime.timedelta(days=1)
    staff.due_date_set(cohort=world["day"], page=lesson, due_at=soon, by=world["trainer"])
    client.force_login(learner)
    page = client.get(reverse("learning_dashboard")).text
    assert "Lesson 1</bdi>: <strong>Due tomorrow</strong>" in page
    # Another cohort's learner sees nothing of it.
    client.force_login(world["learners"]["sara"])
    assert "Due tomorrow" not in client.get(reverse("learning_dashboard")).text
    services.lesson_complete(learner=learner, lesson=lesson)
    client.force_login(learner)
    assert "Due tomorrow" not in client.get(reverse("learning_dashboard")).text


def test_the_due_label_is_relative_and_translated():
    now = timezone.make_aware(datetime.datetime(2026, 12, 2, 9, 0))  # a Wednesday
    at = lambda d, h=17: timezone.make_aware(datetime.datetime(2026, 12, d, h))  # noqa: E731
    assert due_label(at(2), now=now).startswith("Due today")
    assert due_label(at(3), now=now) == "Due tomorrow"
    assert due_label(at(4), now=now) == "Due Friday"
    assert due_label(at(20), now=now) == "Due 20 Dec"
    assert due_label(at(1), now=now) == "Overdue since 1 Dec"
    with translation.override("ur"):
        assert "Friday" not in due_label(at(4), now=now)


# --- Announcements ----------------------------------------------------------------------------


def _announce(client, user, **data):
    fields = {"cohort": "", "center": "", "title_en": "", "body_en": "", "title_ur": "",
              "body_ur": "", **data}  # fmt: skip
    return _admin(client, user).post(reverse("announcements:add"), fields)


def test_a_trainer_announces_to_their_cohort_in_both_languages(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _announce(
            client, world["trainer"], cohort=world["day"].pk, title_en="Class moves",
            body_en="<p>Room 4 <script>alert(1)</script>on Friday</p>",
            title_ur="کلاس منتقل", body_ur="<p>کمرہ ۴</p>",
        )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    announcement = Announcement.objects.get()
    assert "script" not in announcement.body_en and "alert" not in announcement.body_en
    # E-mailed to the cohort's learners who have an address, each to theirs alone, in their
    # language; bilal (no address) and other cohorts get nothing.
    assert sorted(m.to for m in mail.outbox) == [["amina@example.org"]]
    assert mail.outbox[0].subject == "کلاس منتقل"
    assert not mail.outbox[0].cc and not mail.outbox[0].bcc
    assert staff.announcement_email(announcement_id=announcement.pk) == 0  # once only

    client.force_login(world["learners"]["bilal"])
    page = client.get(reverse("learning_dashboard")).text
    assert "Class moves" in page and "Room 4" in page and "<script>" not in page
    with translation.override("ur"):
        client.force_login(world["learners"]["amina"])
        assert "کلاس منتقل" in client.get(reverse("learning_dashboard")).text
    client.force_login(world["learners"]["sara"])  # the evening cohort
    assert "Class moves" not in client.get(reverse("learning_dashboard")).text


def test_urdu_falls_back_to_english(world):
    announcement = Announcement(title_en="Exam", body_en="<p>Monday</p>")
    assert announcement.in_language("ur") == ("Exam", "<p>Monday</p>")


def test_marking_read_hides_it_and_only_for_its_readers(client, world):
    announcement = staff.announcement_create(
        by=world["trainer"], cohort=world["day"], title_en="Hi", body_en="<p>x</p>",
        title_ur="", body_ur="",
    )  # fmt: skip
    url = reverse("announcement_read", args=[announcement.pk])
    client.force_login(world["learners"]["sara"])  # not addressed to her
    assert client.post(url).status_code == 404
    client.force_login(world["learners"]["bilal"])
    assert "Hi</h3>" in client.get(reverse("learning_dashboard")).text
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice is once
    assert AnnouncementRead.objects.filter(user=world["learners"]["bilal"]).count() == 1
    assert "Hi</h3>" not in client.get(reverse("learning_dashboard")).text


def test_only_a_manager_announces_to_a_whole_center(client, world):
    refused = _announce(client, world["trainer"], center=world["glt"].pk, title_en="A",
                        body_en="B")  # fmt: skip
    assert refused.status_code == 200 and "center" in refused.context["form"].errors
    other = _announce(client, world["manager"], center=world["skd"].pk, title_en="A", body_en="B")
    assert other.status_code == 200 and "center" in other.context["form"].errors
    assert not Announcement.objects.exists()
    done = _announce(client, world["manager"], center=world["glt"].pk, title_en="A", body_en="B")
    assert done.status_code == 302
    client.force_login(world["learners"]["sara"])
    assert "A</h3>" in client.get(reverse("learning_dashboard")).text
    client.force_login(world["learners"]["zoya"])  # Skardu
    assert "A</h3>" not in client.get(reverse("learning_dashboard")).text


def test_an_announcement_needs_one_audience_and_some_text(client, world):
    both = _announce(client, world["manager"], center=world["glt"].pk, cohort=world["day"].pk,
                     title_en="A", body_en="B")  # fmt: skip
    empty = _announce(client, world["manager"], cohort=world["day"].pk, body_en="<script></script>")
    for response in (both, empty):
        assert response.status_code == 200
    assert str(staff.ONE_AUDIENCE) in _messages(both)
    assert str(staff.NEEDS_TEXT) in _messages(empty)
    assert not Announcement.objects.exists()


# --- My learning: one query each, whatever the number of courses ------------------------------


@pytest.mark.parametrize("courses", [1, 4])
def test_my_learning_adds_one_query_each_for_due_dates_and_announcements(
    client, make_course, courses
):
    center = CenterFactory(code="QRY")
    learner = LearnerProfileFactory(home_center=center).user
    for number in range(courses):
        _track, course, lessons = make_course(lessons=2, slug=f"course-{number}")
        cohort = CohortFactory(center=center, name=f"C{number}", curriculum=course)
        CohortMembership.objects.create(cohort=cohort, learner=learner)
        services.enrollment_create(learner=learner, course=course, cohort=cohort)
        CohortDueDate.objects.create(
            cohort=cohort, page=lessons[1], due_at=timezone.now() + datetime.timedelta(days=3)
        )
        Announcement.objects.create(cohort=cohort, title_en=f"News {number}", body_en="<p>x</p>")
    client.force_login(learner)
    client.get(reverse("learning_dashboard"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("learning_dashboard")).text
    assert page.count("<strong>Due ") == courses and page.count("News ") == courses
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "courses_cohortduedate"' in s for s in sql) == 1
    assert sum('FROM "courses_announcement"' in s for s in sql) == 1
    # And the whole page stays within the dashboard's budget, whatever the number of courses.
    assert len(sql) <= 15


def test_the_course_page_shows_what_is_due(client, world):
    learner = world["learners"]["bilal"]
    friday = timezone.now() + datetime.timedelta(days=1)
    staff.due_date_set(cohort=world["day"], page=world["lessons"][1], due_at=friday,
                       by=world["manager"])  # fmt: skip
    client.force_login(learner)
    page = client.get(world["course"].url).text
    assert "Lesson 2</bdi>: <strong>Due tomorrow</strong>" in page
    services.lesson_complete(learner=learner, lesson=world["lessons"][1])
    assert "Due tomorrow" not in client.get(world["course"].url).text
