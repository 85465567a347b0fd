import hashlib
import io
import json
import re
import types

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import include, path, reverse
from pypdf import PdfWriter

import lms.urls
from certificates import codes, pdf_check, signing, verification
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_reissue, certificate_revoke

# The JSON API and the keys live outside i18n_patterns; the lead wires them into lms/urls.py.
urlpatterns = [path("", include("certificates.api_urls")), *lms.urls.urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def certificate_pdf(certificate, title="Hunar certificate") -> bytes:
    """A small PDF shaped like an issued one: a page and the signed credential attached."""
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    writer.add_metadata({"/Title": title})
    credential = {"payload": certificate.payload, "signature": certificate.signature}
    writer.add_attachment(pdf_check.CREDENTIAL_ATTACHMENT, json.dumps(credential).encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attach_pdf(certificate) -> bytes:
    data = certificate_pdf(certificate)
    certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(data), save=False)
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.save(update_fields=["pdf", "pdf_sha256"])
    return data


@pytest.fixture
def certificate(completed_enrollment):
    issued = certificate_issue(enrollment=completed_enrollment())
    attach_pdf(issued)
    return issued


def bad_check(code: str) -> str:
    wrong = next(s for s in codes.CHECK_ALPHABET if s != code[-1] and s not in "*~$=")
    return code[:-1] + wrong


def unknown_code() -> str:
    while True:
        code = codes.code_generate()
        if not Certificate.objects.filter(code=code).exists():
            return code


# --- The page ---------------------------------------------------------------------------------


def test_valid_code_shows_valid_with_the_printed_fields_and_noindex(client, certificate):
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "VALID" in html and "REVOKED" not in html
    for text in ["Amina Khan", "آمنہ خان", "Computer basics", "12", "GLT School IT Center",
                 "GLT", "Gilgit", certificate.serial, certificate.display_code,
                 certificate.snapshot["issued_on"], certificate.snapshot["completed_on"],
                 certificate.pdf_sha256, f"/verify/{certificate.code}/pdf/"]:  # fmt: skip
        assert text in html, text
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"].startswith("noindex")
    user = certificate.enrollment.learner
    assert user.username not in html
    if user.email:
        assert user.email not in html


def test_urdu_page_is_right_to_left(client, certificate):
    response = client.get(f"/ur/verify/{certificate.code}/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.parametrize(
    "typing", [str.lower, lambda c: codes.code_display(c), lambda c: " ".join(c), "ambiguous"]
)
def test_sloppy_typing_redirects_to_the_canonical_url(client, certificate, typing):
    code = certificate.code
    if typing == "ambiguous":
        # Force a 1 and a 0 into a code, then type them as l and O.
        body = "10" + code[2:-1]
        code = body + codes.check_symbol(body)
        Certificate.objects.filter(pk=certificate.pk).update(code=code)
        typed = "lO" + code[2:]
    else:
        typed = typing(code)
    response = client.get(f"/verify/{typed}/")
    assert response.status_code == 301
    assert response["Location"] == f"/verify/{code}/"
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{code}/"


def test_a_failed_check_symbol_says_typo_without_touching_the_database(
    client, certificate, django_assert_num_queries
):
    typo = codes.code_display(bad_check(certificate.code))
    with django_assert_num_queries(0):
        page = client.get(f"/verify/{typo}/")
        form = client.get("/verify/", {"code": typo})
    for response in (page, form):
        assert response.status_code == 400
        assert str(verification.CODE_TYPO) in response.content.decode()
    with django_assert_num_queries(0):
        short = client.get("/verify/", {"code": "7KQ2-M9XD"})
    assert short.status_code == 400
    assert str(verification.CODE_LENGTH) in short.content.decode()


def test_unknown_codes_get_one_identical_404(client, certificate):
    first = client.get(f"/verify/{unknown_code()}/")
    second = client.get(f"/verify/{unknown_code()}/")
    assert first.status_code == second.status_code == 404
    assert first.content == second.content
    assert b"noindex" in first.content
    assert first["X-Robots-Tag"].startswith("noindex")


def test_revoked_shows_the_date_but_never_the_reason_on_page_and_json(
    client, certificate, admin_user
):
    """The reason a manager typed (often about the learner) stays with staff; the public sees
    REVOKED and since when."""
    reason = "Learner expelled for cheating"
    certificate_revoke(certificate=certificate, by=admin_user, reason=reason)
    certificate.refresh_from_db()
    revoked_on = verification.certificate_public_data(certificate)["revoked_on"]
    page = client.get(f"/verify/{certificate.code}/")
    html = page.content.decode()
    assert "REVOKED" in html and revoked_on in html
    assert reason not in html and "Reason" not in html
    response = client.get(f"/api/v1/certificates/{certificate.code}/")
    data = response.json()
    assert data["status"] == "revoked"
    assert data["revoked_on"] == revoked_on
    assert "revocation_reason" not in data and reason not in response.content.decode()
    schema = client.get("/api/v1/openapi.json").content.decode()
    assert "revocation_reason" not in schema
    # A visitor with cookies gets the page rendered for them: no reason either.
    client.cookies["sessionid"] = "x"
    assert reason not in client.get(f"/verify/{certificate.code}/").content.decode()


def test_staff_still_see_the_reason_in_the_certificates_admin(client, certificate, admin_user):
    certificate_revoke(certificate=certificate, by=admin_user, reason="Issued by mistake")
    client.force_login(admin_user)
    listing = client.get(reverse("certificates_admin:certificates"))
    assert listing.status_code == 200 and "Issued by mistake" in listing.content.decode()


def test_superseded_links_to_the_new_certificate(client, certificate, admin_user):
    new = certificate_reissue(certificate=certificate, by=admin_user, reason="Name corrected")
    html = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "REVOKED" in html
    assert f'href="/verify/{new.code}/"' in html
    assert new.display_code in html
    newer = client.get(f"/verify/{new.code}/").content.decode()
    assert f'href="/verify/{certificate.code}/"' in newer


def test_pdf_link_serves_the_original_file(client, certificate):
    response = client.get(f"/verify/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == certificate.pdf_sha256
    assert client.get(f"/verify/{unknown_code()}/pdf/").status_code == 404


def test_verifications_are_counted_but_not_pdf_downloads(client, certificate):
    client.get(f"/verify/{certificate.code}/")
    client.get(f"/api/v1/certificates/{certificate.code}/")
    client.get(f"/verify/{certificate.code}/pdf/")
    client.get(f"/verify/{certificate.code.lower()}/")  # a redirect, not a view
    certificate.refresh_from_db()
    assert certificate.verification_count == 2


# --- JSON, schema, keys -----------------------------------------------------------------------


def test_json_has_exactly_the_public_fields_matching_the_page(client, certificate):
    response = client.get(f"/api/v1/certificates/{codes.code_display(certificate.code)}/")
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "code": certificate.code,
        "serial": certificate.serial,
        "status": "valid",
        "learner_name": "Amina Khan",
        "holder_name_withheld": False,
        "course": "Computer basics",
        "hours": 12,
        "grade": None,
        "center": {"name": "GLT School IT Center", "code": "GLT", "district": "Gilgit"},
        "issued_on": certificate.snapshot["issued_on"],
        "revoked_on": None,
        "pdf_sha256": certificate.pdf_sha256,
        "kid": certificate.kid,
    }
    html = client.get(f"/verify/{certificate.code}/").content.decode()
    for value in [data["serial"], data["learner_name"], data["course"], data["issued_on"],
                  data["pdf_sha256"], data["kid"], *data["center"].values()]:  # fmt: skip
        assert value in html


def test_json_misses(client, certificate, django_assert_num_queries):
    missing = client.get(f"/api/v1/certificates/{unknown_code()}/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}
    with django_assert_num_queries(0):
        typo = client.get(f"/api/v1/certificates/{bad_check(certificate.code)}/")
    assert typo.status_code == 400
    assert typo.json() == {"detail": str(verification.CODE_TYPO)}


def test_openapi_schema_lists_the_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/certificates/{code}/"]["get"]
    assert {"200", "400", "404", "429"} <= set(operation["responses"])


def test_jwks_publishes_current_and_retired_keys(client, signing_key):
    newer = signing.key_generate(retire_current=True)
    response = client.get("/.well-known/hunar-keys.json")
    assert response.status_code == 200
    assert "max-age=3600" in response["Cache-Control"]
    keys = {key["kid"]: key for key in response.json()["keys"]}
    assert set(keys) == {signing_key.kid, newer.kid}
    for key in keys.values():
        assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["x"]
    assert keys[signing_key.kid]["exp"] is not None
    assert keys[newer.kid]["exp"] is None


# --- Uploads ----------------------------------------------------------------------------------


def upload(client, data: bytes, name="certificate.pdf"):
    return client.post("/verify/", {"pdf": ContentFile(data, name=name)})


def test_identical_pdf_is_genuine_and_counted(client, certificate):
    data = certificate.pdf.open("rb").read()
    response = upload(client, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "GENUINE FILE" in html and certificate.display_code in html
    certificate.refresh_from_db()
    assert certificate.verification_count == 1


def test_one_changed_byte_is_altered_naming_the_certificate(client, certificate):
    data = certificate.pdf.open("rb").read()
    altered = data.replace(b"Hunar certificate", b"Hunar certificatE", 1)
    assert altered != data and len(altered) == len(data)
    html = upload(client, altered).content.decode()
    assert "ALTERED" in html and certificate.display_code in html and certificate.serial in html


def test_altered_pdf_without_credential_is_named_by_its_printed_code(client, certificate):
    from weasyprint import HTML

    data = HTML(string=f"<p>Verification code {certificate.display_code}</p>").write_pdf()
    html = upload(client, data).content.decode()
    assert "ALTERED" in html and certificate.display_code in html


def test_random_pdf_is_not_a_hunar_certificate(client, certificate):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    html = upload(client, out.getvalue()).content.decode()
    assert "NOT A HUNAR CERTIFICATE" in html


def test_non_pdf_and_too_large_files_are_refused(client, settings):
    response = upload(client, b"GIF89a not a pdf", name="photo.pdf")
    assert response.status_code == 400
    assert str(pdf_check.UPLOAD_NOT_PDF) in response.content.decode()
    big = b"%PDF-1.7\n" + b"0" * pdf_check.MAX_UPLOAD_BYTES
    response = upload(client, big)
    assert response.status_code == 400
    assert str(pdf_check.UPLOAD_TOO_LARGE) in response.content.decode()
    response = client.post("/verify/", {})
    assert response.status_code == 400


# --- Rate limiting ----------------------------------------------------------------------------


def test_rate_limit_per_ip_with_retry_after(client, certificate, settings, monkeypatch):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 3
    monkeypatch.setattr(verification, "time", types.SimpleNamespace(time=lambda: 1_699_999_995.0))
    page = f"/verify/{certificate.code}/"
    for _ in range(3):
        assert client.get(page).status_code == 200
    for url in [page, f"/api/v1/certificates/{certificate.code}/", f"{page}pdf/", "/verify/"]:
        limited = client.get(url)
        assert limited.status_code == 429, url
        assert limited["Retry-After"] == "45"
    assert upload(client, b"%PDF-1.7").status_code == 429
    assert client.get(page, REMOTE_ADDR="10.0.0.2").status_code == 200
    certificate.refresh_from_db()
    assert certificate.verification_count == 4


# --- Offline ----------------------------------------------------------------------------------


def test_offline_page_is_self_contained_with_keys_and_csp(client, signing_key):
    response = client.get("/verify/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "'sha256-" in csp and "img-src data:" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["Content-Disposition"].startswith("inline")
    assert signing_key.public_x in html and signing_key.kid in html
    assert "download=" in html and "Download this page" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", html, re.I)
    assert "<link" not in html and "@import" not in html
    assert 'http-equiv="Content-Security-Policy"' in html


# --- The command ------------------------------------------------------------------------------


def run_command(*args):
    out = io.StringIO()
    try:
        call_command("verify_certificate", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc), False
    return out.getvalue(), True


def test_command_checks_a_qr_link(certificate):
    link = verification.qr_link(certificate)
    output, ok = run_command(link)
    assert ok and "VALID SIGNATURE" in output and "Amina Khan" in output
    fragment = link.split("#")[1]
    forged = json.loads(signing.b64url_decode(fragment.split(".")[0]))
    forged["hours"] = 120
    tampered = link.split("#")[0] + "#" + signing.b64url(signing.canonical(forged))
    output, ok = run_command(tampered + "." + fragment.split(".")[1])
    assert not ok and "INVALID" in output


def test_command_checks_a_pdf_and_a_saved_jwks(certificate, tmp_path, client):
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate.pdf.open("rb").read())
    jwks = tmp_path / "keys.json"
    jwks.write_bytes(client.get("/.well-known/hunar-keys.json").content)
    output, ok = run_command(str(pdf), "--jwks", str(jwks))
    assert ok and "VALID SIGNATURE" in output and certificate.pdf_sha256 in output
    jwks.write_text(json.dumps({"keys": []}))
    output, ok = run_command(str(pdf), "--jwks", str(jwks))
    assert not ok and "INVALID" in output
