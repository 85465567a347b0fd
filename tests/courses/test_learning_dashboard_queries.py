""" "My learning" costs the same few queries however many courses, attempts and certificates a
learner has, and shows each change at once although it is cached (courses.dashboard)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import dashboard, services
from tests.factories import CenterFactory, LearnerProfileFactory

pytestmark = pytest.mark.django_db

# Queries of the page's own: the learner's enrollments with completed lessons, and one per
# registered part (attempts, certificates). The rest of the request (session user) is not its own.
OWN_QUERIES = 3


# Due dates and unread announcements (issue 16) are read on every request, one query each, never
# cached with the cards (tests/courses/test_staff_work.py counts them): 3 + 2 = the page's 5.
# The programme's settings (footer) are read once per content change for every page.
NOT_OWN = ('FROM "lms_user"', 'FROM "django_session"', 'FROM "courses_announcement"',
           'FROM "courses_cohortduedate"', 'FROM "lms_programmesettings"')  # fmt: skip


def _own(queries) -> list[str]:
    return [q["sql"] for q in queries if not any(table in q["sql"] for table in NOT_OWN)]


def _learner_with_courses(make_course, count):
    learner = LearnerProfileFactory(home_center=CenterFactory(), full_name="Amina Khan").user
    for number in range(count):
        _track, course, lessons = make_course(lessons=5, slug=f"course-{number}")
        services.enrollment_create(learner=learner, course=course)
        for lesson in lessons[: 1 + number % 5]:
            services.lesson_complete(learner=learner, lesson=lesson)
    return learner


def _page_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("learning_dashboard")).status_code == 200
    return _own(queries.captured_queries)


@pytest.mark.parametrize("courses", [1, 12])
def test_my_learning_queries_are_few_and_constant(client, make_course, courses):
    learner = _learner_with_courses(make_course, courses)
    # 12 courses bring cards of every state (courses 4 and 9 have all five lessons done).
    completed = learner.enrollments.filter(status="completed").count()
    assert completed == (2 if courses == 12 else 0)
    client.force_login(learner)
    cache.delete(f"hunar:learning:{learner.pk}:en")
    dashboard.learner_records_changed(learner_id=learner.pk)
    client.get(reverse("learning_dashboard"))  # course outlines: shared content, now cached
    dashboard.learner_records_changed(learner_id=learner.pk)
    built = _page_queries(client)
    assert len(built) == OWN_QUERIES, built
    assert _page_queries(client) == []  # unchanged records: from the cache


def test_cold_shared_cache_adds_the_same_queries_for_any_number_of_courses(client, make_course):
    counts = []
    for courses in (1, 12):
        learner = _learner_with_courses(make_course, courses) if courses == 1 else None
        if learner is None:
            learner = LearnerProfileFactory(home_center=CenterFactory(), full_name="B").user
            for number in range(courses):
                _t, course, _l = make_course(lessons=3, slug=f"other-{number}")
                services.enrollment_create(learner=learner, course=course)
        client.force_login(learner)
        cache.clear()
        counts.append(len(_page_queries(client)))
    # Cold shared cache: + courses, lessons, and Wagtail's site root paths (site, root page).
    assert counts[0] == counts[1] <= OWN_QUERIES + 4, counts


def test_each_change_shows_at_once(client, make_course):
    learner = LearnerProfileFactory(home_center=CenterFactory(), full_name="Amina Khan").user
    _track, course, lessons = make_course(lessons=2)
    client.force_login(learner)
    assert "not enrolled" in client.get(reverse("learning_dashboard")).text
    services.enrollment_create(learner=learner, course=course)
    assert "0 of 2 lessons" in client.get(reverse("learning_dashboard")).text
    services.lesson_complete(learner=learner, lesson=lessons[0])
    assert "1 of 2 lessons" in client.get(reverse("learning_dashboard")).text
    services.lesson_complete(learner=learner, lesson=lessons[1])
    assert "Completed" in client.get(reverse("learning_dashboard")).text
