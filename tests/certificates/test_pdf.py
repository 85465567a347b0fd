"""Certificate PDFs read back the way an employer's tools would: text, QR code, attachment."""

import hashlib
import io
import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.db import OperationalError
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.images.models import Image

from certificates import rendering, services_pdf, signing, tasks, worker
from certificates.models import Certificate, CertificateTemplate
from certificates.services import certificate_issue
from certificates.storage import certificate_pdf_name

pytestmark = pytest.mark.django_db


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install -y poppler-utils zbar-tools)")
    return path


@pytest.fixture
def issued(completed_enrollment, django_capture_on_commit_callbacks):
    """A certificate issued with its render task run (eagerly, as on commit)."""

    def _issue(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_issue(enrollment=completed_enrollment(**kwargs))
        certificate.refresh_from_db()
        return certificate

    return _issue


def _pdf_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def render_calls(monkeypatch):
    calls = []
    real = rendering.certificate_pdf_render

    def counting(certificate, **kwargs):
        calls.append(certificate.pk)
        return real(certificate, **kwargs)

    monkeypatch.setattr(rendering, "certificate_pdf_render", counting)
    return calls


def test_the_task_stores_the_pdf_privately_under_its_hidden_name_with_its_hash(issued):
    certificate = issued()
    data = _pdf_bytes(certificate)
    assert data.startswith(b"%PDF-1.7")
    assert certificate.pdf.name == certificate_pdf_name(certificate)
    assert certificate.pdf.storage.backend() is storages["private"]
    assert storages["private"].exists(certificate.pdf.name)
    assert not storages["default"].exists(certificate.pdf.name)
    assert certificate.serial not in certificate.pdf.name
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()


def test_text_names_center_district_learner_course_serial_and_code(issued, tmp_path):
    certificate = issued()
    path = tmp_path / "certificate.pdf"
    path.write_bytes(_pdf_bytes(certificate))
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in [
        "GLT School IT Center",
        "Gilgit",
        "Amina Khan",
        "Computer basics",
        "12 hours",
        certificate.serial,
        certificate.display_code,
        certificate.snapshot["completed_on"],
    ]:
        assert expected in text, expected
    assert "Grade" not in text  # no grade yet: the line is left out, not printed empty


def test_pdf_a3b_with_metadata_and_a_credential_that_verifies(issued, signing_key):
    certificate = issued()
    reader = PdfReader(io.BytesIO(_pdf_bytes(certificate)))
    assert reader.xmp_metadata is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:conformance="B"' in raw and b'pdfaid:part="3"' in raw
    assert reader.metadata.author == "Hunar"
    assert certificate.serial in reader.metadata.title
    assert "GLT School IT Center" in reader.metadata.subject

    credential = json.loads(reader.attachments["credential.json"][0])
    assert credential["alg"] == "EdDSA" and credential["canonicalization"] == "RFC8785"
    assert credential["kid"] == signing_key.kid
    assert credential["payload"] == certificate.payload
    assert signing.verify(credential["payload"], credential["signature"], signing_key.public_x)


def test_qr_code_scans_at_200_dpi_to_the_verify_url_with_a_signed_fragment(
    issued, signing_key, tmp_path
):
    certificate = issued()
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(_pdf_bytes(certificate))
    subprocess.run(
        [_tool("pdftoppm"), "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    scanned = subprocess.run(
        [_tool("zbarimg"), "-q", "--raw", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
    ).stdout.strip()
    base = f"{settings.HUNAR_PUBLIC_URL}/verify/{certificate.code}/#"
    assert scanned == rendering.verify_url(certificate)
    assert scanned.startswith(base)

    payload_part, signature = scanned.removeprefix(base).split(".")
    payload = json.loads(signing.b64url_decode(payload_part))
    assert payload == certificate.payload
    assert signing.verify(payload, signature, signing_key.public_x)


def test_urdu_name_is_set_in_the_shipped_nastaliq_font(issued):
    certificate = issued()
    assert certificate.snapshot["learner_name_ur"] == "آمنہ خان"
    fonts = _font_names(_pdf_bytes(certificate))
    assert any("NotoNastaliqUrdu" in name for name in fonts), fonts
    assert any("NotoSans" in name for name in fonts), fonts


def test_english_only_template_prints_no_urdu(
    completed_enrollment, django_capture_on_commit_callbacks
):
    CertificateTemplate.objects.create(
        name="English", language="en", signatory_name="S. Ali", signatory_title="Director",
        is_default=True,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(enrollment=completed_enrollment())
    certificate.refresh_from_db()
    assert certificate.snapshot["language"] == "en"
    html = rendering.certificate_html(certificate)
    assert 'dir="rtl"' not in html and "آمنہ" not in html
    fonts = _font_names(_pdf_bytes(certificate))
    assert not any("Nastaliq" in name for name in fonts), fonts


def test_template_logo_and_signature_are_embedded_without_network(completed_enrollment):
    def image(title, colour):
        buffer = io.BytesIO()
        PILImage.new("RGB", (300, 120), colour).save(buffer, format="PNG")
        return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))

    CertificateTemplate.objects.create(
        name="Branded", signatory_name="S. Ali", signatory_title="Director", is_default=True,
        logo=image("logo", (20, 90, 140)), signature_image=image("signature", (0, 0, 0)),
    )  # fmt: skip
    certificate = certificate_issue(enrollment=completed_enrollment())
    html = rendering.certificate_html(certificate)
    assert html.count('src="data:image/png;base64,') == 3  # logo, signature, QR code
    page = PdfReader(io.BytesIO(rendering.certificate_pdf_render(certificate))).pages[0]
    assert len(page.images) == 3


def test_the_renderer_refuses_to_fetch_anything_but_data_and_its_fonts():
    _fonts, _css, fetcher = rendering.resources()
    for url in ["http://example.com/logo.png", "file:///etc/passwd"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = (rendering.FONTS_DIR / "NotoSans-Regular.ttf").as_uri()
    assert fetcher.fetch(font).read(4) == b"\x00\x01\x00\x00"


def test_rendering_is_byte_stable(issued):
    certificate = issued()
    first = rendering.certificate_pdf_render(certificate)
    assert rendering.certificate_pdf_render(certificate) == first
    assert hashlib.sha256(first).hexdigest() == certificate.pdf_sha256


def test_storing_again_does_not_render_again(issued, render_calls):
    certificate = issued()
    assert render_calls == [certificate.pk]  # once, by the task queued on issue
    render_calls.clear()
    services_pdf.certificate_pdf_store(certificate_id=certificate.pk)
    tasks.certificate_render_pdf_task.delay(certificate.pk)
    assert render_calls == []

    # A stored file that no longer matches its hash (or is gone) is rendered again.
    storage = certificate.pdf.storage
    storage.delete(certificate.pdf.name)
    storage.save(certificate.pdf.name, io.BytesIO(b"%PDF-1.7 tampered"))
    stored = services_pdf.certificate_pdf_store(certificate_id=certificate.pk)
    assert render_calls == [certificate.pk]
    assert stored.pdf.name == certificate.pdf.name
    assert hashlib.sha256(_pdf_bytes(stored)).hexdigest() == stored.pdf_sha256


def test_task_retries_a_transient_error(issued, monkeypatch):
    certificate = issued()
    calls = []

    def flaky(*, certificate_id):
        calls.append(certificate_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "certificate_pdf_store", flaky)
    # throw=False: with eager propagation Celery raises Retry instead of running the retry.
    result = tasks.certificate_render_pdf_task.apply(args=[certificate.pk], throw=False)
    assert calls == [certificate.pk, certificate.pk]
    assert result.successful()


def test_task_does_not_retry_a_bug(issued, monkeypatch):
    certificate = issued()
    calls = []

    def buggy(*, certificate_id):
        calls.append(certificate_id)
        raise KeyError("learner_name")

    monkeypatch.setattr(tasks, "certificate_pdf_store", buggy)
    with pytest.raises(KeyError):
        tasks.certificate_render_pdf_task.apply(args=[certificate.pk])
    assert calls == [certificate.pk]


def test_task_options_make_it_safe_to_redeliver():
    task = tasks.certificate_render_pdf_task
    assert task.acks_late and task.reject_on_worker_lost
    assert task.soft_time_limit < task.time_limit
    assert OSError in task.autoretry_for and Exception not in task.autoretry_for


def test_worker_start_warns_loudly_without_harfbuzz_subset(monkeypatch, caplog, capsys):
    monkeypatch.setattr(worker.ctypes.util, "find_library", lambda name: None)
    worker.harfbuzz_subset_check()
    assert "libharfbuzz-subset0" in capsys.readouterr().err
    assert any(r.levelname == "ERROR" and "harfbuzz" in r.getMessage() for r in caplog.records)


def test_worker_start_is_quiet_with_harfbuzz_subset(capsys):
    if not worker.harfbuzz_subset_available():
        pytest.skip("libharfbuzz-subset0 is not installed here")
    worker.harfbuzz_subset_check()
    assert capsys.readouterr().err == ""
