"""Content-Security-Policy, Permissions-Policy and the other security headers on every family of
pages, from the real settings (issue 12, finding 7; docs/decisions/0011-content-security-policy.md).

A browser test (tests/e2e/test_admin_csp.py) shows the admin working under the policy; these
tests pin the policy itself and keep inline scripts out of our templates and Wagtail's admin.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from certificates.models import CertificateTemplate
from content.sanitize import ALLOWED_IFRAME_HOSTS
from tests.factories import CenterFactory, LearnerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# An executable inline script: a <script> with no src whose type is not data (JSON).
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.IGNORECASE
)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response, *, framed_by: str):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    for scripts in ("script-src", "script-src-elem", "script-src-attr"):
        assert "'unsafe-inline'" not in csp.get(scripts, [])
        assert "'unsafe-eval'" not in csp.get(scripts, [])
    assert csp["script-src"][0] == "'self'"
    assert all(value == "'self'" or value.startswith("'nonce-") for value in csp["script-src"])
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == [framed_by]
    assert "'unsafe-inline'" not in csp["style-src"]  # style attributes: never
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY" or framed_by == "'self'"


@pytest.fixture
def learner(client):
    user = LearnerProfileFactory(user__username="ann").user
    client.force_login(user)
    return user


@pytest.fixture
def programme_admin(client):
    CenterFactory(code="GLT")
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_public_pages(client, home):
    response = client.get("/")
    assert response.status_code == 200
    assert_strict(response, framed_by="'none'")
    assert not INLINE_SCRIPT.search(response.content.decode())


def test_sign_in_and_learner_pages(client, learner):
    response = client.get(reverse("learning_dashboard"))
    assert response.status_code == 200
    assert_strict(response, framed_by="'none'")


def test_verification_pages(client):
    response = client.get(reverse("verify"))
    assert response.status_code == 200
    assert_strict(response, framed_by="'none'")


def test_admin_pages(client, programme_admin):
    template = CertificateTemplate.objects.create(
        name="Classic", signatory_name="Director", signatory_title="Director"
    )
    response = client.get(
        reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk])
    )
    assert response.status_code == 200
    # Wagtail's admin may be framed by itself (its live preview), by nothing else.
    assert_strict(response, framed_by="'self'")
    csp = policy(response)
    assert csp["frame-src"][0] == "'self'"
    # Wagtail's chooser widgets write an inline script; here they write a marker instead.
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body)
    assert 'data-csp-init="ImageChooser"' in body


def test_dashboards(client, programme_admin):
    response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    assert_strict(response, framed_by="'self'")
    assert not INLINE_SCRIPT.search(response.content.decode())


def test_a_wagtail_page_preview_gets_the_admin_policy(make_course):
    """Wagtail renders a preview (shown in an iframe of the editor) through the middleware with a
    dummy request on the page's own path, which would otherwise get the site's "never framed"."""
    _track, _course, lessons = make_course(lessons=1)
    response = lessons[0].make_preview_request()
    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'self'"]


def test_our_templates_have_no_inline_scripts_or_event_handlers():
    """Scripts live in static/js; a template that needs one inline uses request.csp_nonce."""
    offenders = []
    for path in (*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")):
        if "/pdf/" in str(path) or path.name == "offline.html":
            continue  # PDFs are never served as pages; the offline verifier hashes its script
        text = path.read_text()
        for match in INLINE_SCRIPT.finditer(text):
            if "csp_nonce" not in match.group(0):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        offenders += [
            f"{path.relative_to(ROOT)}: {m.group(0)}" for m in EVENT_HANDLER.finditer(text)
        ]
    assert not offenders


def test_every_embed_host_the_sanitizer_allows_may_be_framed():
    for host in ALLOWED_IFRAME_HOSTS:
        assert f"https://{host}" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]


def test_the_offline_verifier_keeps_its_own_hash_policy(client):
    response = client.get(reverse("verify_offline"))
    csp = policy(response)
    assert csp["script-src"][0].startswith("'sha256-")
