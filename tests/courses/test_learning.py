"""Enrolment, lesson progress, course completion, the learner dashboard and the progress grid."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrollment, LessonPage, LessonProgress
from courses.signals import enrollment_completed
from lms import roles
from lms.models import CohortMembership
from tests.curriculum import lesson_body, publish
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    return CenterFactory(code="GLT", name="Gilgit lab")


@pytest.fixture
def learner(center):
    return LearnerProfileFactory(home_center=center, full_name="Amina Khan").user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def completions():
    seen = []

    def receiver(sender, enrollment, **kwargs):
        seen.append(enrollment.pk)

    enrollment_completed.connect(receiver, weak=False)
    yield seen
    enrollment_completed.disconnect(receiver)


def test_learner_enrols_in_an_open_course(learner_client, learner, make_course):
    _track, course, _lessons = make_course()
    response = learner_client.post(reverse("course_enroll", args=[course.pk]), follow=True)
    assert "You are enrolled in Computer basics." in response.text
    enrollment = Enrollment.objects.get(learner=learner, course=course)
    assert enrollment.center.code == "GLT" and enrollment.status == "active"
    # Twice is still one enrollment.
    learner_client.post(reverse("course_enroll", args=[course.pk]))
    assert Enrollment.objects.filter(learner=learner).count() == 1


def test_prerequisites_are_enforced_with_a_message_naming_them(
    learner_client, learner, make_course
):
    _t1, basics, _l1 = make_course(slug="basics")
    _t2, web, _l2 = make_course(slug="web")
    web.title = "Web development basics"
    web.prerequisites.set([basics])
    publish(web)
    response = learner_client.post(reverse("course_enroll", args=[web.pk]), follow=True)
    assert "Complete these courses first: Computer basics." in response.text
    assert not Enrollment.objects.filter(learner=learner, course=web).exists()


def test_course_closed_for_self_enrolment_refuses(learner_client, learner, make_course):
    _track, course, _lessons = make_course()
    course.open_for_self_enrollment = False
    publish(course)
    response = learner_client.post(reverse("course_enroll", args=[course.pk]), follow=True)
    assert "not open for enrolment" in response.text
    assert not Enrollment.objects.exists()


def test_enrolment_joins_the_learners_cohort_for_that_course(learner, center, make_course):
    _track, course, _lessons = make_course()
    cohort = CohortFactory(center=center, curriculum=course)
    CohortMembership.objects.create(cohort=cohort, learner=learner)
    enrollment = services.course_self_enroll(learner=learner, course=course)
    assert enrollment.cohort == cohort


def test_opening_a_lesson_records_the_start_only_for_enrolled_learners(
    learner_client, learner, make_course
):
    _track, course, lessons = make_course()
    learner_client.get(lessons[0].url)
    assert not LessonProgress.objects.exists()
    services.enrollment_create(learner=learner, course=course)
    html = learner_client.get(lessons[0].url).text
    progress = LessonProgress.objects.get()
    assert progress.lesson == lessons[0] and progress.completed_at is None
    assert "Mark as complete" in html
    assert Enrollment.objects.get().started_at is not None


def test_anonymous_reader_is_invited_to_sign_in(client, make_course):
    _track, _course, lessons = make_course()
    html = client.get(lessons[0].url).text
    assert "Sign in to record your progress." in html
    assert not LessonProgress.objects.exists()


def test_study_time_counts_gaps_up_to_thirty_minutes(learner, make_course):
    _track, course, lessons = make_course()
    services.enrollment_create(learner=learner, course=course)
    progress = services.lesson_open(learner=learner, lesson=lessons[0], course_id=course.pk)
    LessonProgress.objects.filter(pk=progress.pk).update(
        last_seen_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    services.lesson_open(learner=learner, lesson=lessons[0], course_id=course.pk)
    assert 295 <= LessonProgress.objects.get().time_spent_seconds <= 305
    LessonProgress.objects.filter(pk=progress.pk).update(
        last_seen_at=timezone.now() - datetime.timedelta(hours=3)
    )
    services.lesson_open(learner=learner, lesson=lessons[0], course_id=course.pk)
    assert (
        295 <= LessonProgress.objects.get().time_spent_seconds <= 305
    )  # a lunch break is not study


def test_mark_complete_needs_post_and_csrf(learner, make_course):
    _track, course, lessons = make_course()
    services.enrollment_create(learner=learner, course=course)
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = reverse("lesson_complete", args=[lessons[0].pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_completing_every_lesson_completes_the_course_once(
    learner_client, learner, make_course, completions, django_capture_on_commit_callbacks
):
    _track, course, lessons = make_course(lessons=3)
    enrollment = services.enrollment_create(learner=learner, course=course)
    for number, lesson in enumerate(lessons):
        with django_capture_on_commit_callbacks(execute=True):
            response = learner_client.post(reverse("lesson_complete", args=[lesson.pk]))
        expected = lessons[number + 1].url if number + 1 < len(lessons) else course.url
        assert response.status_code == 302 and response["Location"] == expected
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(reverse("lesson_complete", args=[lessons[0].pk]))  # again
    assert completions == [enrollment.pk]


def test_completed_stays_completed_after_the_curriculum_changes(learner, make_course):
    _track, course, lessons = make_course(lessons=2)
    enrollment = services.enrollment_create(learner=learner, course=course)
    for lesson in lessons:
        services.lesson_complete(learner=learner, lesson=lesson)
    lessons[0].title = "Rewritten lesson"
    publish(lessons[0])
    publish(course.add_child(instance=LessonPage(title="New", slug="new", body=lesson_body(2))))
    services.enrollment_completion_evaluate(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == 2


def test_minimum_attendance_holds_completion_back(learner, center, make_course):
    from lms.attendance import attendance_record, cohort_session_get_or_create

    _track, course, lessons = make_course(lessons=1)
    course.minimum_attendance_percent = 75
    publish(course)
    cohort = CohortFactory(center=center, curriculum=course, start_date=datetime.date(2026, 1, 5))
    CohortMembership.objects.create(cohort=cohort, learner=learner)
    enrollment = services.enrollment_create(learner=learner, course=course, cohort=cohort)
    trainer = trainer_of(center)
    for day, status in ((5, "present"), (6, "absent")):
        session = cohort_session_get_or_create(
            cohort=cohort, date=datetime.date(2026, 1, day), user=trainer
        )
        attendance_record(session=session, marks={learner.pk: status}, user=trainer)
    services.lesson_complete(learner=learner, lesson=lessons[0])
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    reasons = services.enrollment_completion_check(enrollment=enrollment)
    assert any("75%" in reason for reason in reasons)


def test_dashboard_shows_percent_and_where_to_continue(learner_client, learner, make_course):
    _track, course, lessons = make_course(lessons=4)
    services.enrollment_create(learner=learner, course=course)
    services.lesson_complete(learner=learner, lesson=lessons[0])
    html = learner_client.get(reverse("learning_dashboard")).text
    assert "1 of 4 lessons" in html and "25%" in html
    assert f'href="{lessons[1].url}">Continue: <bdi>Lesson 2</bdi>' in html


def test_dashboard_lists_completed_courses(learner_client, learner, make_course):
    _track, course, lessons = make_course(lessons=1)
    services.enrollment_create(learner=learner, course=course)
    services.lesson_complete(learner=learner, lesson=lessons[0])
    html = learner_client.get(reverse("learning_dashboard")).text
    assert "Completed" in html and "Computer basics" in html


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("learning_dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("courses", [1, 8])
def test_dashboard_queries_do_not_grow_with_courses(
    learner_client, learner, make_course, django_assert_max_num_queries, courses
):
    for number in range(courses):
        _track, course, lessons = make_course(lessons=5, slug=f"course-{number}")
        services.enrollment_create(learner=learner, course=course)
        services.lesson_complete(learner=learner, lesson=lessons[0])
    with django_assert_max_num_queries(15):
        assert learner_client.get(reverse("learning_dashboard")).status_code == 200


def _cohort_with_learners(center, course, count):
    cohort = CohortFactory(center=center, curriculum=course)
    for number in range(count):
        user = LearnerProfileFactory(home_center=center, full_name=f"Learner {number:02d}").user
        CohortMembership.objects.create(cohort=cohort, learner=user)
        services.enrollment_create(learner=user, course=course, cohort=cohort)
    return cohort


@pytest.mark.parametrize("learners, lessons", [(3, 3), (40, 20)])
def test_progress_grid_queries_are_constant(
    client, center, make_course, django_assert_max_num_queries, learners, lessons
):
    _track, course, made = make_course(lessons=lessons, blocks=1)
    cohort = _cohort_with_learners(center, course, learners)
    first = Enrollment.objects.filter(cohort=cohort).first()
    services.lesson_complete(learner=first.learner, lesson=made[0])
    client.force_login(manager_of(center))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("cohort_progress", args=[cohort.pk]))
    assert response.status_code == 200
    assert response.text.count("✓") >= 1 and "Learner 00" in response.text


def test_progress_grid_is_scoped(client, center, make_course):
    _track, course, _made = make_course(lessons=2)
    cohort = _cohort_with_learners(center, course, 2)
    other_center = CenterFactory(code="SKD")
    url = reverse("cohort_progress", args=[cohort.pk])
    client.force_login(manager_of(other_center))
    assert client.get(url).status_code == 404
    client.force_login(trainer_of(center, username="not-their-trainer"))
    assert client.get(url).status_code == 404
    teacher = trainer_of(center, username="their-trainer")
    cohort.trainers.add(teacher)
    client.force_login(teacher)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(username="a-learner", role=roles.LEARNER))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
