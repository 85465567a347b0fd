"""The course page names its prerequisites, with links, before "Enrol" (issue 16)."""

import pytest

from courses import services
from tests.factories import CenterFactory, LearnerProfileFactory

pytestmark = pytest.mark.django_db


def test_prerequisites_are_listed_with_links_and_ticks(client, make_course):
    _t, basics, basics_lessons = make_course(lessons=1, slug="basics")
    _t, office, _l = make_course(lessons=1, slug="office")
    office.prerequisites.add(basics)
    office.save_revision().publish()
    learner = LearnerProfileFactory(home_center=CenterFactory()).user
    client.force_login(learner)

    page = client.get(office.url).text
    assert "Before this course" in page
    assert f'href="{basics.url}"' in page
    assert page.index("Before this course") < page.index("course-actions")
    assert "✓" not in page.split("Before this course")[1].split("</section>")[0]

    services.enrollment_create(learner=learner, course=basics)
    services.lesson_complete(learner=learner, lesson=basics_lessons[0])
    section = client.get(office.url).text.split("Before this course")[1].split("</section>")[0]
    assert "✓" in section


def test_a_course_without_prerequisites_says_nothing_of_them(client, make_course):
    _t, basics, _l = make_course(lessons=1, slug="basics")
    assert "Before this course" not in client.get(basics.url).text


def test_lessons_carry_ticks_and_mark_as_complete_says_what_happened(client, make_course):
    from django.urls import reverse

    _t, course, lessons = make_course(lessons=2, slug="basics")
    learner = LearnerProfileFactory(home_center=CenterFactory()).user
    services.enrollment_create(learner=learner, course=course)
    client.force_login(learner)
    assert "✓" not in client.get(course.url).text.split("lessons")[-1]

    response = client.post(reverse("lesson_complete", args=[lessons[0].pk]), follow=True)
    assert f"“{lessons[0].title}” is complete." in response.text
    listing = client.get(course.url).text.split('<ol class="lessons">')[1].split("</ol>")[0]
    first, second = listing.split("</li>")[:2]
    assert "✓" in first and "✓" not in second

    response = client.post(reverse("lesson_complete", args=[lessons[1].pk]), follow=True)
    assert "and so is the course" in response.text
