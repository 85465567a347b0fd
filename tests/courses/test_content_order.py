"""Issue 16: a course's lessons come before its assessments, trainers who may edit a course
reorder it with Wagtail's own ordering, and an Urdu course keeps the English course's order."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, Page, Site

from assessments.models import AssessmentPage
from courses.authoring import curriculum_review_setup
from courses.models import LessonPage, TrackPage
from lms import roles
from tests.courses.test_authoring import add_lesson_url, lesson_form
from tests.curriculum import publish
from tests.factories import CenterFactory, UserFactory, trainer_of

pytestmark = pytest.mark.django_db


def titles(parent) -> list[str]:
    parent = Page.objects.get(pk=parent.pk)  # its child count as it is now
    return list(parent.get_children().order_by("path").values_list("title", flat=True))


def set_position(client, page, position):
    url = reverse("wagtailadmin_pages:set_page_position", args=[page.pk])
    return client.post(f"{url}?position={position}")


@pytest.fixture
def course_with_quiz(make_course):
    curriculum_review_setup()
    track, course, lessons = make_course(lessons=2, blocks=1)
    quiz = publish(course.add_child(instance=AssessmentPage(title="Quiz", slug="quiz")))
    return track, course, lessons, quiz


@pytest.fixture
def trainer():
    return trainer_of(CenterFactory(code="GLT"))


def test_a_lesson_added_in_the_admin_comes_before_the_assessments(
    client, trainer, course_with_quiz
):
    _track, course, _lessons, _quiz = course_with_quiz
    client.force_login(trainer)
    response = client.post(add_lesson_url(course), lesson_form(title="Lesson 3"))
    assert response.status_code == 302
    assert titles(course) == ["Lesson 1", "Lesson 2", "Lesson 3", "Quiz"]


def test_the_first_lesson_of_a_course_with_only_a_quiz_goes_first(client, trainer, make_course):
    curriculum_review_setup()
    _track, course, _lessons = make_course(lessons=0)
    publish(course.add_child(instance=AssessmentPage(title="Quiz", slug="quiz")))
    client.force_login(trainer)
    assert client.post(add_lesson_url(course), lesson_form(title="Lesson 1")).status_code == 302
    assert titles(course) == ["Lesson 1", "Quiz"]


def test_a_trainer_reorders_a_course_with_wagtails_ordering(client, trainer, course_with_quiz):
    track, course, lessons, quiz = course_with_quiz
    client.force_login(trainer)

    # The course's row in the track offers it, and Wagtail's ordering view opens.
    listing = client.get(reverse("wagtailadmin_explore", args=[track.pk]))
    order_url = reverse("wagtailadmin_explore", args=[course.pk]) + "?ordering=ord"
    assert "Order lessons" in listing.text
    assert order_url.replace("&", "&amp;") in listing.text or order_url in listing.text
    assert client.get(order_url).status_code == 200

    assert set_position(client, lessons[1], 0).status_code == 200
    assert titles(course) == ["Lesson 2", "Lesson 1", "Quiz"]
    assert set_position(client, quiz, 0).status_code == 200
    assert titles(course) == ["Quiz", "Lesson 2", "Lesson 1"]
    # Reordering is not a content edit: the lessons stay live, nothing waits for review.
    assert LessonPage.objects.filter(live=True).count() == 2


def test_someone_who_cannot_edit_the_course_cannot_reorder_it(client, course_with_quiz, home):
    track, course, lessons, _quiz = course_with_quiz
    # A trainer whose page rights cover another track only.
    other_track = publish(
        home.add_child(
            instance=TrackPage(
                title="Freelancing", slug="freelancing", audience="youth", summary="."
            )
        )
    )
    group = Group.objects.create(name="Freelancing authors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=other_track, permission=Permission.objects.get(codename=codename)
        )
    outsider = UserFactory(username="outsider")
    outsider.groups.add(group)
    client.force_login(outsider)

    # Wagtail answers a refusal in its admin with a redirect and a message.
    assert set_position(client, lessons[1], 0).status_code in (302, 403)
    assert titles(course) == ["Lesson 1", "Lesson 2", "Quiz"]
    assert course.permissions_for_user(outsider).can_reorder_children() is False
    listing = client.get(reverse("wagtailadmin_explore", args=[track.pk]))
    assert "Order lessons" not in listing.text


def test_a_learner_cannot_reorder(client, course_with_quiz):
    _track, course, lessons, _quiz = course_with_quiz
    learner = UserFactory(username="learner", role=roles.LEARNER)
    client.force_login(learner)
    assert set_position(client, lessons[1], 0).status_code in (302, 403)
    assert titles(course) == ["Lesson 1", "Lesson 2", "Quiz"]


@pytest.fixture
def urdu_course(home, course_with_quiz):
    Site.clear_site_root_paths_cache()
    track, course, lessons, quiz = course_with_quiz
    ur = Locale.objects.get_or_create(language_code="ur")[0]
    publish(home.copy_for_translation(ur))
    ur_course = publish(course.copy_for_translation(ur, copy_parents=True))
    # Translated in another order than the source's (the quiz first, then the lessons).
    for page, title in ((quiz, "کوئز"), (lessons[1], "سبق 2"), (lessons[0], "سبق 1")):
        copy = page.copy_for_translation(ur)
        copy.title = title
        copy.save()
        publish(copy)
    return course, lessons, quiz, ur_course


def test_an_urdu_course_takes_the_order_of_its_source(urdu_course):
    _course, _lessons, _quiz, ur_course = urdu_course
    assert titles(ur_course) == ["سبق 1", "سبق 2", "کوئز"]


def test_reordering_the_source_reorders_the_translation(client, trainer, urdu_course):
    course, lessons, quiz, ur_course = urdu_course
    client.force_login(trainer)
    assert set_position(client, quiz, 1).status_code == 200
    assert titles(course) == ["Lesson 1", "Quiz", "Lesson 2"]
    assert titles(ur_course) == ["سبق 1", "کوئز", "سبق 2"]


def test_the_translation_is_not_reordered_by_hand(client, trainer, urdu_course):
    _course, _lessons, _quiz, ur_course = urdu_course
    client.force_login(trainer)
    assert ur_course.permissions_for_user(trainer).can_reorder_children() is False
    ur_quiz = Page.objects.get(title="کوئز")
    assert set_position(client, ur_quiz, 0).status_code in (302, 403)
    assert titles(ur_course) == ["سبق 1", "سبق 2", "کوئز"]


def test_a_lesson_added_to_the_source_takes_its_place_in_the_translation(
    client, trainer, urdu_course
):
    course, _lessons, _quiz, ur_course = urdu_course
    client.force_login(trainer)
    response = client.post(add_lesson_url(course), lesson_form(title="Lesson 3"))
    assert response.status_code == 302
    assert titles(course) == ["Lesson 1", "Lesson 2", "Lesson 3", "Quiz"]
    # Wagtail's page-tree sync made an alias in the Urdu course; it sits where the source's is.
    assert titles(ur_course) == ["سبق 1", "سبق 2", "Lesson 3", "کوئز"]
