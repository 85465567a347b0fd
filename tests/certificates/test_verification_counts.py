"""Verification counts and rate limits on Redis: counted in one round trip, flushed to the
database by the beat task, never lost; the embedded defaults count in the database at once."""

import secrets
import types

import pytest
from django.core.cache import caches
from django.urls import include, path

import lms.urls
from certificates import tasks, verification
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from tests.services import TEST_REDIS_URL

urlpatterns = [path("", include("certificates.api_urls")), *lms.urls.urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def redis_counts(settings):
    """The default cache on Redis, as in production, with a beat to flush (tasks not eager)."""
    prefix = f"test-{secrets.token_hex(4)}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "lms.redis_cache.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = caches["default"]._cache.get_client(write=True)
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def certificate(completed_enrollment):
    return certificate_issue(enrollment=completed_enrollment())


def _count(certificate) -> int:
    return Certificate.objects.values_list("verification_count", flat=True).get(pk=certificate.pk)


@pytest.mark.redis
def test_verifications_reach_the_database_at_the_next_flush(
    client, certificate, redis_counts, django_assert_num_queries
):
    page = f"/verify/{certificate.code}/"
    # The certificate's row (with its enrollment) and whether its holder may be named; no UPDATE.
    with django_assert_num_queries(2):
        assert client.get(page).status_code == 200
    assert client.get(f"/api/v1/certificates/{certificate.code}/").status_code == 200
    client.get(f"{page}pdf/")  # a download is not a verification
    assert _count(certificate) == 0  # not yet: counted in Redis
    assert tasks.verification_counts_flush_task() == 1
    assert _count(certificate) == 2
    assert tasks.verification_counts_flush_task() == 0  # nothing counted twice
    client.get(page)
    tasks.verification_counts_flush_task()
    assert _count(certificate) == 3


@pytest.mark.redis
def test_a_flush_that_fails_before_its_commit_loses_nothing(
    client, certificate, redis_counts, monkeypatch
):
    client.get(f"/verify/{certificate.code}/")
    client.get(f"/verify/{certificate.code}/")

    class DatabaseAway(Exception):
        pass

    def fail(*args, **kwargs):
        raise DatabaseAway

    with monkeypatch.context() as patch:
        patch.setattr(verification.Certificate.objects, "filter", fail)
        with pytest.raises(DatabaseAway):
            verification.verification_counts_flush()
    client.get(f"/verify/{certificate.code}/")  # counted meanwhile, into a new batch
    assert _count(certificate) == 0
    verification.verification_counts_flush()  # the batch left behind
    assert _count(certificate) == 2
    verification.verification_counts_flush()
    assert _count(certificate) == 3


@pytest.mark.redis
def test_one_flush_at_a_time(certificate, redis_counts):
    verification.certificate_count_verification(certificate=certificate)
    _client, key, _flushing = verification._pending_counts()
    lock = redis_counts.lock(f"{key}:lock", timeout=5)
    assert lock.acquire(blocking=False)
    try:
        assert verification.verification_counts_flush() == 0
        assert _count(certificate) == 0
    finally:
        lock.release()
    assert verification.verification_counts_flush() == 1
    assert _count(certificate) == 1


@pytest.mark.redis
def test_revoked_shows_at_once_with_redis(client, certificate, redis_counts, admin_user):
    page = f"/verify/{certificate.code}/"
    assert "VALID" in client.get(page).text
    certificate_revoke(certificate=certificate, by=admin_user, reason="Issued by mistake")
    html = client.get(page).text
    assert "REVOKED" in html and "Issued by mistake" not in html  # the reason is for staff
    assert client.get(f"/api/v1/certificates/{certificate.code}/").json()["status"] == "revoked"


@pytest.mark.redis
def test_rate_limit_on_redis_in_one_round_trip(client, certificate, redis_counts, settings):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 3
    fixed = types.SimpleNamespace(time=lambda: 1_699_999_995.0)
    page = f"/verify/{certificate.code}/"
    sent = []
    execute = redis_counts.execute_command

    def counting(*args, **kwargs):
        sent.append(args[0])
        return execute(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verification, "time", fixed)
        for _ in range(3):
            assert client.get(page).status_code == 200
        patch.setattr(redis_counts, "execute_command", counting)
        limited = client.get(f"/api/v1/certificates/{certificate.code}/")
        assert limited.status_code == 429 and limited["Retry-After"] == "45"
        assert sent == []  # the limit went through a pipeline: one round trip, no single commands
        assert client.get(page, REMOTE_ADDR="10.0.0.2").status_code == 200
    key = caches["default"].make_and_validate_key("verify-rate:127.0.0.1:28333333")
    assert 0 < redis_counts.ttl(key) <= 90


def test_embedded_defaults_count_in_the_database_at_once(client, certificate, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER  # the test settings: locmem cache, tasks in process
    client.get(f"/verify/{certificate.code}/")
    assert _count(certificate) == 1
    assert verification.verification_counts_flush() == 0
    assert _count(certificate) == 1


def test_the_beat_flushes_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["flush-verification-counts"]
    assert entry["task"] == tasks.verification_counts_flush_task.name
    assert entry["schedule"] == verification.VERIFICATION_FLUSH_SECONDS
