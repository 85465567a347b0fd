"""The public certificate page for visitors without cookies comes from the shared cache, keyed by
everything it shows: a revocation, a re-issue or a stored PDF shows on the very next request."""

import hashlib

import pytest
from django.core.cache import cache
from django.test import Client

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_reissue, certificate_revoke

pytestmark = pytest.mark.django_db

PAGE_TEMPLATE = "certificates/verify_certificate.html"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(completed_enrollment):
    return certificate_issue(enrollment=completed_enrollment())


def _rendered(response) -> bool:
    return PAGE_TEMPLATE in {template.name for template in response.templates}


def _vary(response) -> set[str]:
    return {value.strip() for value in response.get("Vary", "").split(",") if value.strip()}


def test_second_visit_is_the_same_page_from_the_cache(client, certificate):
    page = f"/verify/{certificate.code}/"
    first, second = client.get(page), client.get(page)
    assert first.status_code == second.status_code == 200
    assert _rendered(first) and not _rendered(second)
    assert first.content == second.content
    assert _vary(first) == _vary(second)
    assert "Cookie" in _vary(second)
    for response in (first, second):
        assert response["X-Robots-Tag"].startswith("noindex")
        assert "no-store" in response["Cache-Control"]
    assert not client.cookies  # nothing was set on the visitor


def test_a_revocation_shows_on_the_next_request(client, certificate, admin_user):
    page = f"/verify/{certificate.code}/"
    assert "VALID" in client.get(page).text
    assert "VALID" in client.get(page).text  # now stored
    certificate_revoke(certificate=certificate, by=admin_user, reason="Issued by mistake")
    html = client.get(page).text
    assert "REVOKED" in html and "Issued by mistake" not in html  # the reason is for staff


def test_a_reissue_links_both_ways_at_once(client, certificate, admin_user):
    old_page = f"/verify/{certificate.code}/"
    client.get(old_page)
    new = certificate_reissue(certificate=certificate, by=admin_user, reason="Name corrected")
    html = client.get(old_page).text
    assert "REVOKED" in html and f'href="/verify/{new.code}/"' in html
    assert f'href="{old_page}"' in client.get(f"/verify/{new.code}/").text


def test_a_pdf_stored_later_shows_at_once(client, certificate):
    page = f"/verify/{certificate.code}/"
    assert "still being prepared" in client.get(page).text
    digest = hashlib.sha256(b"%PDF-1.7 stored").hexdigest()
    Certificate.objects.filter(pk=certificate.pk).update(pdf_sha256=digest)  # no save() at all
    html = client.get(page).text
    assert digest in html and "still being prepared" not in html


def test_languages_have_their_own_pages(client, certificate):
    english = client.get(f"/verify/{certificate.code}/").text
    urdu = client.get(f"/ur/verify/{certificate.code}/").text
    assert '<html lang="ur" dir="rtl">' in urdu and '<html lang="en" dir="ltr">' in english
    assert client.get(f"/ur/verify/{certificate.code}/").text == urdu


def test_a_signed_in_visitor_gets_their_own_page_and_never_shares_it(
    certificate, django_user_model
):
    learner = django_user_model.objects.create_user("reader", password="x-Long-pass-1")
    signed_in = Client()
    signed_in.force_login(learner)
    page = f"/verify/{certificate.code}/"
    for _ in range(2):
        response = signed_in.get(page)
        assert _rendered(response)
        assert "Sign out" in response.text and "csrfmiddlewaretoken" in response.text
    anonymous = Client().get(page)
    assert "Sign out" not in anonymous.text and "csrfmiddlewaretoken" not in anonymous.text
    stored = b"".join(value for key, value in cache._cache.items() if "verify-page" in key)
    assert b"csrfmiddlewaretoken" not in stored and b"Sign out" not in stored


def test_a_query_string_is_rendered_for_that_request(client, certificate):
    page = f"/verify/{certificate.code}/"
    client.get(page)
    for _ in range(2):  # the switcher may repeat a query string: never stored, never shared
        response = client.get(page, {"utm_source": "qr"})
        assert response.status_code == 200 and _rendered(response)
