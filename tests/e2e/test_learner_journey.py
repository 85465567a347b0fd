"""A student in a school lab: signs in, opens the next lesson, marks it complete, sees progress.

The quiz and project journeys are in test_assessment_journeys.py.
"""

import pytest

from courses import services
from courses.models import LessonProgress
from lms.models import CohortMembership
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def student(make_course):
    _track, course, lessons = make_course(lessons=3, blocks=5)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center")
    cohort = CohortFactory(center=center, curriculum=course, name="Class 7 morning")
    profile = LearnerProfileFactory(home_center=center, full_name="Amina Khan")
    user = profile.user
    user.username = "student.glt1"
    user.save()
    CohortMembership.objects.create(cohort=cohort, learner=user)
    services.enrollment_create(learner=user, course=course, cohort=cohort)
    return user, course, lessons


def test_student_signs_in_opens_a_lesson_marks_it_complete_and_sees_progress(web, student):
    user, course, lessons = student

    def dashboard_before(page):
        sign_in(page, "student.glt1")  # lands on "My learning"
        assert page.locator("h1").inner_text() == "My learning"
        card = page.locator("ul.cards li", has_text="Computer basics")
        return (
            card.locator(".meta").inner_text(),
            card.locator("progress").get_attribute("value"),
            card.get_by_role("link", name="Continue: Lesson 1").count(),
        )

    assert web.do(dashboard_before) == ("0 of 3 lessons", "0", 1)

    def open_and_complete(page):
        page.get_by_role("link", name="Continue: Lesson 1").click()
        page.wait_for_load_state()
        opened = (page.url, page.locator("article h1").inner_text())
        page.get_by_role("button", name="Mark as complete").click()
        page.wait_for_load_state()
        return opened, page.url

    (lesson_url, title), after = web.do(open_and_complete)
    assert lesson_url.endswith(lessons[0].url) and title == "Lesson 1"
    assert after.endswith(lessons[1].url)  # on to the next lesson
    done = LessonProgress.objects.get(enrollment__learner=user, lesson=lessons[0])
    assert done.completed_at is not None

    def progress_after(page):
        page.goto(lessons[0].url)
        done_note = page.locator(".lesson-actions .done").inner_text()
        page.get_by_role("link", name="My learning").click()
        card = page.locator("ul.cards li", has_text="Computer basics")
        return (
            done_note,
            card.locator(".meta").inner_text(),
            card.locator("progress").get_attribute("value"),
            card.get_by_role("link", name="Continue: Lesson 2").count(),
        )

    note, count, value, next_link = web.do(progress_after)
    assert "You completed this lesson." in note
    assert (count, value, next_link) == ("1 of 3 lessons", "33", 1)
