"""Verification with the cache's Redis stopped (decision 0018): every check is answered and
counted in the database; the per-client rate limit fails open; reading strangers' PDFs fails shut.

Redis here is a real redis-server of the test's own (tests/outage_fixtures.py), really stopped.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import include, path

import lms.urls
from certificates import pdf_check
from certificates.models import Certificate
from certificates.services import certificate_issue
from tests import outage_fixtures

urlpatterns = [path("", include("certificates.api_urls")), *lms.urls.urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
own_redis = outage_fixtures.own_redis
redis_cache = outage_fixtures.redis_cache


@pytest.fixture
def certificate(completed_enrollment):
    return certificate_issue(enrollment=completed_enrollment())


@pytest.fixture
def production_counting(settings, redis_cache):
    """As production: counts go to Redis first (tasks not eager, a beat flushes them)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return redis_cache


def _count(certificate) -> int:
    return Certificate.objects.values_list("verification_count", flat=True).get(pk=certificate.pk)


def test_verifications_are_counted_in_the_database_while_redis_is_down(
    client, certificate, production_counting
):
    assert client.get(f"/verify/{certificate.code}/").status_code == 200
    assert _count(certificate) == 0  # counted in Redis while it is up
    production_counting.server.kill()
    assert client.get(f"/verify/{certificate.code}/").status_code == 200
    assert client.get(f"/api/v1/certificates/{certificate.code}/").status_code == 200
    assert _count(certificate) == 2  # straight into the database: none lost


def test_the_verify_rate_limit_fails_open_while_redis_is_down(
    client, certificate, production_counting, settings
):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 2
    production_counting.server.kill()
    for _ in range(5):
        assert client.get(f"/api/v1/certificates/{certificate.code}/").status_code == 200


def test_reading_strangers_pdfs_fails_shut_while_redis_is_down(
    client, production_counting, monkeypatch
):
    reads = []
    monkeypatch.setattr(
        pdf_check,
        "pdf_read",
        lambda data, text=True: reads.append(data) or pdf_check.PdfContents(None, ""),
    )
    production_counting.server.kill()
    response = client.post("/verify/", {"pdf": ContentFile(b"%PDF-1.7\n% x\n", name="c.pdf")})
    assert response.status_code == 429
    assert reads == []
