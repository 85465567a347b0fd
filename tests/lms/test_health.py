import pytest
from django.test import override_settings

from tests.services import TEST_REDIS_URL

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_on_embedded_defaults(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "embedded"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(
    CELERY_TASK_ALWAYS_EAGER=False,
    CELERY_BROKER_URL="redis://127.0.0.1:1/0",  # nothing listens on port 1
    HEALTHZ_BROKER_TIMEOUT=0.5,
)
def test_healthz_reports_a_broken_broker_with_503(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")


@pytest.mark.redis
def test_healthz_is_ok_with_a_real_redis_broker(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=TEST_REDIS_URL):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
