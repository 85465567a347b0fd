"""The public PDF check under hostile files: answered within a budget, never a stalled worker.

The bounds below (5 s) are correctness bounds, not benchmarks: without the budgets the bomb
below holds a process for tens of seconds.
"""

import hashlib
import io
import json
import time
import zlib

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils.html import escape
from pypdf import PdfWriter

from certificates import pdf_check
from certificates.services import certificate_issue

pytestmark = pytest.mark.django_db

TEXT_OPERATORS = b"BT /F1 12 Tf 72 700 Td (A) Tj ET\n"


def hostile_pdf(*, form_mb: float = 2, invocations: int = 5, pages: int = 2) -> bytes:
    """A PDF of a few kilobytes whose pages draw a form XObject (a Flate stream that inflates to
    megabytes of text operators) ``invocations`` times each: tens of MB to extract."""
    operators = TEXT_OPERATORS * int(form_mb * 1024 * 1024 // len(TEXT_OPERATORS))
    form = zlib.compress(operators, 9)
    page_content = zlib.compress(b"q /Fm0 Do Q\n" * invocations, 9)
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R"
        b" >> /XObject << /Fm0 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 4 0 R"
        b" >> >> /Length %d /Filter /FlateDecode >>\nstream\n" % len(form) + form + b"\nendstream",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(page_content)
        + page_content
        + b"\nendstream",
    ]
    return _pdf_file(objects)


def inflating_page_pdf(*, mb: int = 20) -> bytes:
    """One page whose own content stream inflates to ``mb`` megabytes."""
    content = zlib.compress(TEXT_OPERATORS * (mb * 1024 * 1024 // len(TEXT_OPERATORS)), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R"
        b" >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
    ]
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def upload(client, data: bytes):
    return client.post("/verify/", {"pdf": ContentFile(data, name="certificate.pdf")})


def test_a_deflate_bomb_pdf_gets_a_clear_answer_within_the_budget(client):
    data = hostile_pdf()
    assert len(data) < 16 * 1024
    started = time.perf_counter()
    response = upload(client, data)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"the check held the request for {elapsed:.1f} s"
    assert response.status_code == 400
    assert escape(str(pdf_check.UPLOAD_TOO_COMPLEX)) in response.content.decode()


def test_the_process_limits_hold_even_where_pypdf_s_own_limits_would_not(monkeypatch, settings):
    # pypdf's defaults, as if its limits were all we had: the child's time limit still answers.
    monkeypatch.setattr(pdf_check, "OPERATORS", 2_000_000)
    monkeypatch.setattr(pdf_check, "FORM_INVOCATIONS", 5_000)
    monkeypatch.setattr(pdf_check, "STREAM_BYTES", 75_000_000)
    settings.PDF_CHECK_SECONDS = 1.0
    started = time.perf_counter()
    with pytest.raises(pdf_check.PdfTooComplex) as caught:
        pdf_check.pdf_read(hostile_pdf(), text=True)
    assert time.perf_counter() - started < 5
    assert caught.value.reason in {"time", "cpu"}


def test_a_stream_inflating_past_the_size_budget_is_refused_by_size(settings):
    settings.PDF_CHECK_SECONDS = 10  # generous: the size budget answers, not the clock
    data = inflating_page_pdf(mb=20)
    with pytest.raises(pdf_check.PdfTooComplex) as caught:
        pdf_check.pdf_read(data, text=True)
    assert caught.value.reason == "limit"


def test_an_issued_file_is_answered_by_its_hash_without_parsing(
    client, completed_enrollment, monkeypatch
):
    certificate = certificate_issue(enrollment=completed_enrollment())
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    credential = {"payload": certificate.payload, "signature": certificate.signature}
    writer.add_attachment(pdf_check.CREDENTIAL_ATTACHMENT, json.dumps(credential).encode())
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(data), save=False)
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.save(update_fields=["pdf", "pdf_sha256"])

    parsed = []

    def no_parsing(*args, **kwargs):
        parsed.append(args)
        raise AssertionError("an issued file must not be parsed")

    monkeypatch.setattr(pdf_check, "pdf_read", no_parsing)
    monkeypatch.setattr(pdf_check.subprocess, "run", no_parsing)
    html = upload(client, data).content.decode()
    assert "GENUINE FILE" in html and certificate.display_code in html
    assert parsed == []
    # The spy is live: any other file would be parsed.
    with pytest.raises(AssertionError):
        upload(client, data + b"\n%")
    assert parsed


def test_reading_strangers_pdfs_has_a_site_wide_budget_per_minute(client, settings, monkeypatch):
    settings.PDF_CHECK_PARSES_PER_MINUTE = 2
    reads = []

    def counted_read(data, *, text=True):
        reads.append(data)
        return pdf_check.PdfContents(credential=None, text="")

    monkeypatch.setattr(pdf_check, "pdf_read", counted_read)
    for number in range(2):
        assert upload(client, b"%%PDF-1.7\n%% file %d\n" % number).status_code == 200
    # From another address too: the budget protects the workers, whoever sends the files.
    response = client.post(
        "/verify/",
        {"pdf": ContentFile(b"%PDF-1.7\n% file 3\n", name="c.pdf")},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 429
    assert escape(str(pdf_check.UPLOAD_BUSY)) in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 60
    assert len(reads) == 2
