import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from content.models import HomePage, StandardPage
from courses.models import CoursePage, LessonPage, TrackPage
from lms import roles
from tests.curriculum import publish
from tests.factories import UserFactory


class TestPageTreeRules(WagtailPageTestCase):
    def test_tracks_live_under_home_only(self):
        self.assertCanCreateAt(HomePage, TrackPage)
        self.assertCanNotCreateAt(TrackPage, TrackPage)
        self.assertCanNotCreateAt(Page, TrackPage)

    def test_courses_live_under_tracks_only(self):
        self.assertAllowedParentPageTypes(CoursePage, {TrackPage})
        from assessments.models import AssessmentPage

        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, AssessmentPage})
        self.assertAllowedParentPageTypes(AssessmentPage, {CoursePage})
        self.assertAllowedSubpageTypes(AssessmentPage, set())

    def test_lessons_live_under_courses_and_have_no_children(self):
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_standard_pages_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanNotCreateAt(CoursePage, StandardPage)


pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client):
    client.force_login(UserFactory(username="student.one", role=roles.LEARNER))
    return client


def test_lesson_page_shows_breadcrumbs_and_neighbours(learner_client, make_course):
    _track, course, lessons = make_course(lessons=3)
    response = learner_client.get(lessons[1].url)
    assert response.status_code == 200
    html = response.text
    assert "<h1>Lesson 2</h1>" in html
    assert f'rel="prev" href="{lessons[0].url}"' in html
    assert f'rel="next" href="{lessons[2].url}"' in html
    assert f'href="{course.url}">Computer basics</a>' in html
    assert "About 15 minutes" in html


def test_first_and_last_lessons_have_one_neighbour(learner_client, make_course):
    _track, _course, lessons = make_course(lessons=2)
    first = learner_client.get(lessons[0].url).text
    assert 'rel="prev"' not in first and 'rel="next"' in first
    last = learner_client.get(lessons[1].url).text
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_unpublished_lesson_is_skipped_by_navigation(learner_client, make_course):
    _track, _course, lessons = make_course(lessons=3)
    lessons[1].unpublish()
    html = learner_client.get(lessons[0].url).text
    assert f'rel="next" href="{lessons[2].url}"' in html
    assert learner_client.get(lessons[1].url).status_code == 404


def test_course_page_lists_lessons_in_tree_order_with_minutes(learner_client, make_course):
    _track, course, lessons = make_course(lessons=3)
    # Move the last lesson first, as a trainer reordering the tree would.
    lessons[2].move(lessons[0], pos="left")
    html = learner_client.get(course.url).text
    positions = [html.index(f">Lesson {n}</a>") for n in (3, 1, 2)]
    assert positions == sorted(positions)
    assert "About 45 minutes in all" in html
    assert "Save files" in html


def test_track_page_lists_its_courses(learner_client, make_course):
    track, course, _lessons = make_course()
    html = learner_client.get(track.url).text
    assert course.title in html and "12 hours" in html


@pytest.mark.parametrize("blocks", [3, 60])
def test_lesson_page_query_budget_does_not_grow_with_blocks(
    learner_client, make_course, django_assert_max_num_queries, blocks
):
    _track, _course, lessons = make_course(lessons=3, blocks=blocks)
    learner_client.get(lessons[1].url)  # warm per-process caches (site root paths)
    with django_assert_max_num_queries(12):
        response = learner_client.get(lessons[1].url)
    assert response.status_code == 200


@pytest.mark.parametrize("lessons", [3, 40])
def test_lesson_and_course_query_budget_does_not_grow_with_lessons(
    learner_client, make_course, django_assert_max_num_queries, lessons
):
    _track, course, made = make_course(lessons=lessons, blocks=3)
    learner_client.get(made[1].url)
    with django_assert_max_num_queries(12):
        assert learner_client.get(made[1].url).status_code == 200
    with django_assert_max_num_queries(12):
        assert learner_client.get(course.url).status_code == 200


def test_lesson_page_weight_is_under_30kb_gzipped(learner_client, make_course):
    _track, _course, lessons = make_course(lessons=3, blocks=40)
    html = learner_client.get(lessons[1].url).content
    total = len(gzip.compress(html))
    for href in re.findall(rb'<(?:link[^>]+href|script[^>]+src)="([^"]+)"', html):
        if href == b"/programme.css":  # the programme's colours, from its settings
            total += len(gzip.compress(learner_client.get("/programme.css").content))
            continue
        path = finders.find(href.decode().removeprefix("/static/"))
        assert path, href
        with open(path, "rb") as asset:
            total += len(gzip.compress(asset.read()))
    assert total <= 30 * 1024, f"{total} bytes gzipped"
    assert b"<script" not in html  # no JavaScript needed to read a lesson


def test_search_finds_lessons_and_caps_the_query(client, make_course):
    make_course(lessons=3)
    response = client.get("/search/", {"q": "folder"})
    assert response.status_code == 200
    assert "Lesson 1" in response.text
    long_query = "x" * 5000
    response = client.get("/search/", {"q": long_query})
    assert response.status_code == 200
    assert response.context["query"] == "x" * 100


def test_search_never_shows_drafts(client, make_course):
    _track, _course, lessons = make_course(lessons=2)
    lessons[0].unpublish()
    response = client.get("/search/", {"q": "folder"})
    assert "Lesson 1" not in response.text


def test_course_cannot_require_itself_directly_or_in_a_cycle(make_course):
    from django.core.exceptions import ValidationError

    _track, first, _lessons = make_course(lessons=1, slug="first")
    _track2, second, _lessons2 = make_course(lessons=1, slug="second")
    first.prerequisites.set([first])
    with pytest.raises(ValidationError) as excinfo:
        first.full_clean()
    assert "prerequisites" in excinfo.value.message_dict

    second.prerequisites.set([first])
    publish(second)
    first.prerequisites.set([second])
    with pytest.raises(ValidationError):
        first.full_clean()


def test_lesson_full_clean_validates_its_blocks(make_course):
    from django.core.exceptions import ValidationError
    from wagtail.rich_text import RichText

    _track, course, _lessons = make_course(lessons=1)
    video = {
        "title": "Passwords", "embed_url": "https://youtu.be/aEmF3Iylvr4",
        "video_file": None, "captions": None, "transcript": RichText("<p></p>"),
    }  # fmt: skip
    lesson = LessonPage(title="Video", slug="video", body=[("video", video)])
    lesson.set_url_path(course)
    with pytest.raises(ValidationError) as excinfo:
        lesson.full_clean()
    assert "body" in excinfo.value.message_dict
