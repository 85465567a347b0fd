"""Dependency outages (docs/decisions/0018): Redis down is a cache miss, a database outage answers
503 with Retry-After in the visitor's language, and staff see a banner while a dependency is down.

Redis here is a real redis-server of the test's own (tests/outage_fixtures.py), really stopped.
"""

import logging
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from lms import outages
from tests import outage_fixtures
from tests.factories import CenterFactory, LearnerProfileFactory

pytestmark = pytest.mark.django_db
own_redis = outage_fixtures.own_redis
redis_cache = outage_fixtures.redis_cache


# --- The cache wrapper on a stopped Redis -------------------------------------------------------


def test_a_stopped_redis_is_an_empty_cache_and_logged_once(redis_cache, caplog):
    backend = redis_cache.backend
    backend.set("lesson", "html")
    assert backend.get("lesson") == "html"
    redis_cache.server.kill()
    with caplog.at_level(logging.WARNING, logger="lms.redis_cache"):
        for _ in range(50):
            assert backend.get("lesson", "miss") == "miss"
            assert backend.get_many(["lesson", "route"]) == {}
            assert backend.add("version", "v1") is False
            backend.set("lesson", "new html")
            backend.set_many({"a": 1, "b": 2})
            backend.delete("lesson")
            backend.delete_many(["a", "b"])
            assert backend.has_key("lesson") is False
            with pytest.raises(ValueError):
                backend.incr("counter")
    assert backend.is_down()
    warnings = [r for r in caplog.records if r.name == "lms.redis_cache"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "unreachable" in warnings[0].getMessage()


def test_the_cache_works_again_when_redis_is_back(redis_cache, monkeypatch):
    monkeypatch.setattr(redis_cache.module, "RETRY_SECONDS", 0.05)
    backend = redis_cache.backend
    redis_cache.server.kill()
    assert backend.get("route") is None
    redis_cache.server.start()
    time.sleep(0.1)
    backend.set("route", "page 7")
    assert backend.get("route") == "page 7"
    assert not backend.is_down()


def test_keys_written_during_an_outage_are_forgotten_when_redis_answers_again(
    redis_cache, monkeypatch
):
    """A Redis out of reach but not restarted still holds what it had: a session signed out (or
    a page changed) meanwhile must not come back from it."""
    monkeypatch.setattr(redis_cache.module, "RETRY_SECONDS", 0.05)
    backend = redis_cache.backend
    backend.set("session", "signed in")
    admin = backend._cache.get_client(write=True).__class__.from_url(redis_cache.server.url(2))
    admin.execute_command("CLIENT", "PAUSE", "1500", "ALL")  # out of reach, data intact
    backend.delete("session")  # the sign-out: times out, so Redis still holds the old value
    assert backend.is_down()
    time.sleep(1.6)
    assert backend.get("anything") is None  # the first call after the outage
    assert backend.get("session") is None


# --- Learners with Redis down ------------------------------------------------------------------


@pytest.fixture
def learner():
    profile = LearnerProfileFactory(
        home_center=CenterFactory(code="GLT"), full_name="Amina Khan", must_change_password=False
    )
    profile.user.set_password("a-long-password-1")
    profile.user.save()
    return profile.user


def test_learners_sign_in_and_learn_with_redis_down(redis_cache, learner, make_course):
    """Sessions are cached_db: with Redis stopped they are read from and written to PostgreSQL."""
    _track, _course, lessons = make_course(lessons=2)
    redis_cache.server.kill()
    client = Client(raise_request_exception=True)
    response = client.post(
        reverse("login"), {"username": learner.username, "password": "a-long-password-1"}
    )
    assert response.status_code == 302, response.content[:500]
    assert client.get(reverse("learning_dashboard")).status_code == 200
    assert client.get(lessons[0].url).status_code == 200
    redis_cache.server.start()  # the same session goes on from the database
    redis_cache.backend._outage.down_until = 0
    assert client.get(reverse("learning_dashboard")).status_code == 200


# --- A database outage says so -----------------------------------------------------------------


def _database_gone():
    """Every new cursor fails as psycopg does when PostgreSQL is stopped."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("connection refused: is the server running?"),
    )


def test_a_database_outage_answers_503_with_retry_after(learner):
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    with _database_gone():
        response = client.get("/learning/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(outages.RETRY_AFTER_SECONDS)
    assert "Hunar is briefly unavailable" in response.text
    assert "Your saved answers are safe" in response.text
    assert 'lang="en"' in response.text


def test_the_503_page_is_in_the_language_of_the_url_without_the_database(learner):
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    with _database_gone():
        response = client.get("/ur/learning/")
    assert response.status_code == 503
    assert 'lang="ur" dir="rtl"' in response.text
    assert response["Content-Language"] == "ur"


def test_autosave_and_the_api_get_json_503(learner):
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    with _database_gone():
        response = client.post("/learning/attempts/1/autosave/", {"sequence": "0"})
    assert response.status_code == 503
    assert response.json()["unavailable"] is True
    assert response.json()["saved"] is False
    assert response["Retry-After"]


def test_other_errors_are_still_500(learner, monkeypatch):
    from courses import views

    client = Client(raise_request_exception=False)
    client.force_login(learner)
    monkeypatch.setattr(views, "render", mock.Mock(side_effect=RuntimeError("a bug")))
    response = client.get("/learning/")
    assert response.status_code == 500
    assert "briefly unavailable" not in response.text


# --- The staff banner --------------------------------------------------------------------------


@pytest.fixture
def fresh_banner(monkeypatch):
    monkeypatch.setitem(outages._state, "at", -1e9)
    monkeypatch.setitem(outages._state, "down", ())


def test_staff_see_a_banner_while_redis_is_down(admin_client, redis_cache, fresh_banner):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "data-hunar-outage" not in response.text
    redis_cache.server.kill()
    outages._state["at"] = -1e9
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "data-hunar-outage" in response.text
    assert "The cache (Redis) is not answering" in response.text


def test_the_banner_check_is_cached_in_process(fresh_banner, monkeypatch):
    calls = []
    monkeypatch.setattr("lms.health.database_status", lambda: calls.append(1) or "ok")
    for _ in range(20):
        outages.dependencies_down()
    assert len(calls) == 1
