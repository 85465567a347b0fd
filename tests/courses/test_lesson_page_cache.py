"""The lesson page's shared parts (content.page_cache): fresh after every edit, never personal."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.test import Client
from django.utils import translation
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images.models import Image
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from content import page_cache
from courses import services
from courses.models import LessonPage
from lms import roles
from tests.curriculum import publish
from tests.factories import LearnerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _body(text):
    return [("heading", {"text": "Saving your work", "level": "h2"}), ("paragraph", RichText(text))]


def _shared_parts(page, language="en"):
    with translation.override(language):
        return page_cache.SharedParts.for_page(LessonPage.objects.get(pk=page.pk))


def _templates(response):
    return {template.name for template in response.templates}


def _without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _make_image(title):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 700), (11, 110, 79)).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def test_a_published_edit_shows_on_the_next_request(client, make_course):
    _track, _course, lessons = make_course(lessons=2)
    lesson = lessons[0]
    lesson.body = _body("<p>Press Ctrl+S to save.</p>")
    publish(lesson)
    assert "Press Ctrl+S to save." in client.get(lesson.url).text
    cached = client.get(lesson.url)
    assert "Press Ctrl+S to save." in cached.text
    assert "blocks/paragraph_block.html" not in _templates(cached)  # the body came from the cache

    lesson.title = "Saving files"
    lesson.body = _body("<p>Use the Save button.</p>")
    publish(lesson)
    html = client.get(lesson.url).text
    assert "Use the Save button." in html and "Press Ctrl+S" not in html
    assert "<h1>Saving files</h1>" in html


def test_a_draft_never_shows_live_and_a_preview_shows_the_draft(client, make_course):
    _track, _course, lessons = make_course(lessons=1)
    lesson = lessons[0]
    lesson.body = _body("<p>The live text.</p>")
    publish(lesson)
    client.get(lesson.url)

    lesson.body = _body("<p>The draft text.</p>")
    lesson.save_revision()  # saved, not published
    assert "The draft text." not in client.get(lesson.url).text
    preview = lesson.get_latest_revision_as_object().make_preview_request()
    assert "The draft text." in preview.text and "The live text." not in preview.text
    # The preview left the shared parts alone.
    html = client.get(lesson.url).text
    assert "The live text." in html and "The draft text." not in html


def test_neighbours_and_breadcrumbs_follow_the_tree_at_once(client, make_course):
    _track, course, lessons = make_course(lessons=3)
    assert f'rel="next" href="{lessons[1].url}"' in client.get(lessons[0].url).text

    lessons[1].unpublish()
    assert f'rel="next" href="{lessons[2].url}"' in client.get(lessons[0].url).text

    course.title = "Using a computer"
    publish(course)
    assert ">Using a computer</a>" in client.get(lessons[0].url).text

    lessons[2].move(lessons[0], pos="left")  # now first
    html = client.get(lessons[0].url).text
    assert f'rel="prev" href="{lessons[2].url}"' in html and 'rel="next"' not in html


def test_image_and_document_changes_make_pages_stale(make_course):
    version = page_cache.content_version()
    image = _make_image("Keyboard")
    assert page_cache.content_version() != version
    version = page_cache.content_version()
    image.title = "A keyboard"
    image.save()
    assert page_cache.content_version() != version
    version = page_cache.content_version()
    get_document_model().objects.create(
        title="Worksheet", file=ImageFile(io.BytesIO(b"x"), name="w.txt")
    )
    assert page_cache.content_version() != version


def test_an_image_lesson_is_the_same_from_the_cache(client, make_course):
    _track, course, _lessons = make_course(lessons=1)
    image = _make_image("Parts of a computer")
    block = ("image", {"image": image, "alt_text": "A computer", "caption": "Its parts."})
    lesson = publish(course.add_child(instance=LessonPage(title="Parts", body=[block])))
    first = _without_csrf(client.get(lesson.url).text)  # renders, and creates the renditions
    second = _without_csrf(client.get(lesson.url).text)
    version = page_cache.content_version()  # rendering images changed no content
    response = client.get(lesson.url)
    third = _without_csrf(response.text)
    assert page_cache.content_version() == version
    assert "blocks/image_block.html" not in _templates(response)  # from the cache
    assert "<picture>" in third and second == third
    # Rendition URLs are stable: the first render (which created them) already had the same.
    assert re.findall(r'srcset="([^"]+)"', first) == re.findall(r'srcset="([^"]+)"', third)


def test_languages_never_share_an_entry(client, make_course):
    _track, _course, lessons = make_course(lessons=2)
    lesson = lessons[0]
    english = client.get(lesson.url).text
    urdu = client.get(f"/ur{lesson.url}").text  # the English lesson with the Urdu interface
    assert "About 15 minutes" in english and ">Next</span>" in english
    assert "تقریباً 15 منٹ" in urdu and ">اگلا</span>" in urdu
    assert "About 15 minutes" not in urdu
    assert _shared_parts(lesson, "en").key != _shared_parts(lesson, "ur").key


@pytest.fixture
def learners(make_course):
    _track, course, lessons = make_course(lessons=2)
    done = LearnerProfileFactory(full_name="Done Learner").user
    reading = LearnerProfileFactory(full_name="Reading Learner").user
    for learner in (done, reading):
        services.enrollment_create(learner=learner, course=course)
    services.lesson_complete(learner=done, lesson=lessons[0])
    outsider = UserFactory(username="not.enrolled", role=roles.LEARNER)
    return lessons[0], {"done": done, "reading": reading, "outsider": outsider}


def test_each_learner_sees_their_own_progress(learners):
    lesson, users = learners
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    clients["anonymous"] = Client()
    for _round in range(2):  # the second round is served from the shared parts
        pages = {name: c.get(lesson.url).text for name, c in clients.items()}
        assert "You completed this lesson." in pages["done"]
        assert "Mark as complete" not in pages["done"]
        assert "Mark as complete" in pages["reading"]
        assert "not enrolled in this course" in pages["outsider"]
        assert "Sign in to record your progress." in pages["anonymous"]
    tokens = {
        name: re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        for name, html in pages.items()
    }
    assert all(tokens[name] for name in ("done", "reading", "outsider"))
    assert not tokens["anonymous"]


def test_nothing_personal_is_stored(learners):
    lesson, users = learners
    cache.clear()  # from here on, the page cache holds only what these requests stored
    client = Client()
    client.force_login(users["reading"])
    html = client.get(lesson.url).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    html = client.get(lesson.url).text  # from the cache
    assert "Mark as complete" in html and "<h1>Lesson 1</h1>" in html
    # Every entry of the page cache, pickled (the test cache is local memory).
    stored = b"".join(value for key, value in cache._cache.items() if ":hunar:" in key)
    assert b"<h1>Lesson 1</h1>" in stored  # the shared article is there
    for personal in (token, "csrfmiddlewaretoken", "Mark as complete", "Sign out"):
        assert personal.encode() not in stored, personal
    assert users["reading"].username.encode() not in stored
    assert client.session.session_key.encode() not in stored


@pytest.mark.parametrize("blocks", [3, 60])
def test_query_budget_holds_on_a_cold_cache(make_course, django_assert_max_num_queries, blocks):
    _track, course, lessons = make_course(lessons=3, blocks=blocks)
    course.add_child(instance=LessonPage(title="Pictures", slug="pictures", body=[
        ("image", {"image": _make_image(f"Picture {n}"), "alt_text": "x", "caption": ""})
        for n in range(10)
    ])).save_revision().publish()  # fmt: skip
    client = Client()
    client.force_login(LearnerProfileFactory().user)
    for page in (lessons[1], Page.objects.get(slug="pictures")):
        client.get(page.url)  # creates the renditions
        page_cache.content_changed()  # every shared part is stale
        with django_assert_max_num_queries(12):
            assert client.get(page.url).status_code == 200


def test_view_restrictions_apply_and_lift_at_once(client, make_course):
    _track, course, lessons = make_course(lessons=1)
    url = lessons[0].url
    assert client.get(url).status_code == 200  # public: the cached tree says so
    restriction = PageViewRestriction.objects.create(page=course, restriction_type="login")
    assert client.get(url).status_code == 302  # to sign in
    restriction.delete()
    assert client.get(url).status_code == 200


def test_group_restrictions_are_checked_against_the_current_groups(make_course):
    _track, course, lessons = make_course(lessons=1)
    group = Group.objects.create(name="Gilgit lab")
    restriction = PageViewRestriction.objects.create(page=course, restriction_type="groups")
    restriction.groups.add(group)
    learner = LearnerProfileFactory().user
    client = Client()
    client.force_login(learner)
    assert client.get(lessons[0].url).status_code != 200
    learner.groups.add(group)  # a membership change: no content changed, still applies at once
    assert client.get(lessons[0].url).status_code == 200
