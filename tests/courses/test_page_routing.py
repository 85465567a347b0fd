"""content.middleware.PageRoutingMiddleware: site, home page and page found from the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from content import page_cache
from courses import services
from tests.curriculum import publish
from tests.factories import LearnerProfileFactory

pytestmark = pytest.mark.django_db

MIDDLEWARE = "content.middleware.PageRoutingMiddleware"


@pytest.fixture(autouse=True)
def page_routing(settings):
    """The middleware where the lead's settings put it (after LocaleMiddleware), if not there."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        at = settings.MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1
        settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], MIDDLEWARE, *settings.MIDDLEWARE[at:]]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(query["sql"] for query in captured.captured_queries)


def test_a_lesson_is_served_without_looking_up_site_home_or_page(client, make_course):
    _track, course, lessons = make_course(lessons=2)
    learner = LearnerProfileFactory().user
    services.enrollment_create(learner=learner, course=course)
    client.force_login(learner)
    cold = _queries(client, lessons[0].url)
    assert "wagtailcore_site" in cold and "courses_lessonpage" in cold
    warm = _queries(client, lessons[0].url)
    for table in ("wagtailcore_site", "wagtailcore_locale", "content_homepage"):
        assert table not in warm
    assert "courses_lessonpage" not in warm
    # No view restriction on the way: known from the cached tree (see the restriction tests).
    assert "wagtailcore_pageviewrestriction" not in warm


def test_an_unpublished_or_moved_lesson_is_gone_at_once(client, make_course):
    _track, course, lessons = make_course(lessons=3)
    _other_track, other_course, _ = make_course(lessons=1, slug="second-course")
    for lesson in lessons:
        assert client.get(lesson.url).status_code == 200
    lessons[0].unpublish()
    assert client.get(lessons[0].url).status_code == 404
    old_url = lessons[1].url
    lessons[1].move(other_course, pos="last-child")
    lessons[1].refresh_from_db()
    # Not served at the old URL: that is a 404, which Wagtail's redirects turn into a 301.
    moved = client.get(old_url)
    assert moved.status_code == 301 and moved["Location"] == lessons[1].url
    assert client.get(lessons[1].url).status_code == 200


def test_a_site_change_applies_at_once(client, make_course):
    track, course, lessons = make_course(lessons=1)
    assert client.get(lessons[0].url).status_code == 200
    # This host gets its own site, rooted at the track: the track's pages move to its root.
    try:
        Site.objects.create(hostname="testserver", port=80, root_page=track, site_name="Track")
        assert client.get(lessons[0].url.replace(f"/{track.slug}/", "/")).status_code == 200
        assert client.get(f"/{track.slug}/{course.slug}/").status_code == 404
    finally:
        # Caches outlive this test's database: Wagtail's site list and the entries made here.
        Site.clear_site_root_paths_cache()
        page_cache.content_changed()


def test_the_home_page_is_always_read_fresh(client, home):
    assert client.get("/").status_code == 200
    home.title = "Welcome to the lab"
    publish(home)
    assert "<h1>Welcome to the lab</h1>" in client.get("/").text


def test_view_restrictions_apply_at_once(client, make_course):
    _track, course, lessons = make_course(lessons=1)
    assert client.get(lessons[0].url).status_code == 200
    PageViewRestriction.objects.create(page=course, restriction_type="login")
    assert client.get(lessons[0].url).status_code == 302  # to sign in
    client.force_login(LearnerProfileFactory().user)
    assert client.get(lessons[0].url).status_code == 200


def test_urdu_and_english_are_routed_apart(client, make_course):
    _track, _course, lessons = make_course(lessons=1)
    english, urdu = client.get(lessons[0].url), client.get(f"/ur{lessons[0].url}")
    assert english.status_code == urdu.status_code == 200
    assert '<html lang="en"' in english.text and '<html lang="ur"' in urdu.text
    assert client.get("/ur/no-such-page/").status_code == 404
