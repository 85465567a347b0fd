import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_hunar(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1>Hunar</h1>" in response.text
    assert '<html lang="en" dir="ltr">' in response.text
