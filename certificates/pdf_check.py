"""Checking an uploaded certificate PDF: genuine, altered, or not a Hunar certificate.

A file Hunar issued is answered by its SHA-256 alone, with no parsing. Any other file is read
by ``pdf_probe.py`` in a child process with a page, decompressed-size, memory and time budget
(``docs/decisions/0008-bounded-hostile-input.md``): a file over budget gets ``PdfTooComplex``
and its message, never a stalled web worker. The verification views and the
``verify_certificate`` command call these.
"""

import hashlib
import json
import logging
import math
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import signing, verification
from .codes import code_normalize
from .models import Certificate
from .verification import certificate_count_verification, certificate_get, code_problem

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CREDENTIAL_ATTACHMENT = "credential.json"
PROBE = Path(__file__).with_name("pdf_probe.py")

# What reading a certificate-shaped PDF may take. An issued certificate is one page whose
# content stream is a few kilobytes of a few hundred operators, with a credential of about one.
PAGES = 2  # only the first pages' text is read: the code is printed on the first
STREAM_BYTES = 2 * 1024 * 1024  # largest decompressed stream
OPERATORS = 50_000  # content-stream tokens per stream
FORM_INVOCATIONS = 20  # form XObjects drawn while extracting one page's text
PAGE_TREE_ENTRIES = 100
CREDENTIAL_BYTES = 64 * 1024
TEXT_CHARS = 20_000

UPLOAD_MISSING = _("Choose the certificate's PDF file first.")
UPLOAD_TOO_LARGE = _("This file is larger than 10 MB; a Hunar certificate is much smaller.")
UPLOAD_NOT_PDF = _("This file is not a PDF.")
UPLOAD_TOO_COMPLEX = _(
    "This PDF is too large or too complex to check here: a Hunar certificate is one simple "
    "page. If it is a certificate, open the QR code's link or type the code printed on it."
)

_DISPLAYED_CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]{2}")
_LINKED_CODE = re.compile(r"/verify/([0-9A-Za-z*~$=-]{14,20})/")

UPLOAD_BUSY = _(
    "Too many PDFs are being checked right now. Please try again in a minute, or open the QR "
    "code's link or type the code printed on the certificate."
)


class PdfNotChecked(Exception):
    """The file was not read; ``str(error)`` is the message to show."""


class PdfTooComplex(PdfNotChecked):
    """Reading the PDF would take more pages, bytes, memory or time than the check allows."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(str(UPLOAD_TOO_COMPLEX))


class PdfCheckBusy(PdfNotChecked):
    """The site has read ``PDF_CHECK_PARSES_PER_MINUTE`` files this minute already."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(str(UPLOAD_BUSY))


@dataclass(frozen=True)
class UploadCheck:
    """``genuine``: byte-identical to an issued file; ``altered``: differs from the file of the
    certificate it claims to be; ``unknown``: not a Hunar certificate."""

    verdict: str
    certificate: Certificate | None = None
    sha256: str = ""


@dataclass(frozen=True)
class PdfContents:
    """What the probe read: the attached credential's text (or None) and the first pages' text."""

    credential: str | None
    text: str


def upload_problem(upload) -> str | None:
    """The message for an upload that cannot be checked at all (missing, too big, not a PDF)."""
    if upload is None:
        return str(UPLOAD_MISSING)
    if upload.size > MAX_UPLOAD_BYTES:
        return str(UPLOAD_TOO_LARGE)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    return None if head == b"%PDF-" else str(UPLOAD_NOT_PDF)


def pdf_check(*, data: bytes) -> UploadCheck:
    """Whether a PDF is a file Hunar issued, an altered copy of one, or something else.

    An issued file is found by its hash and counted as a verification; nothing parses it.
    Another file is read only while the site-wide ``PDF_CHECK_PARSES_PER_MINUTE`` lasts
    (``PdfCheckBusy`` after), and ``PdfTooComplex`` when it is over the reading budget.
    """
    digest = hashlib.sha256(data).hexdigest()
    certificate = (
        Certificate.objects.select_related("superseded_by").filter(pdf_sha256=digest).first()
    )
    if certificate is not None:
        certificate_count_verification(certificate=certificate)
        return UploadCheck("genuine", certificate, digest)
    _parse_slot_take()
    claimed = pdf_claimed_code(data)
    certificate = certificate_get(code=claimed) if claimed else None
    return UploadCheck("altered" if certificate else "unknown", certificate, digest)


def _parse_slot_take() -> None:
    """Count one parse against this minute's site-wide budget, or raise ``PdfCheckBusy``.

    Site-wide, not per client: every parse may cost a worker ``PDF_CHECK_SECONDS``, so this
    bounds the share of the web workers that strangers' files can take, however many addresses
    they come from. Issued files never count: they are answered by their hash.
    """
    now = time.time()
    count = verification._window_count(f"pdf-check-parses:{int(now // 60)}")
    # Fails shut: with the shared counter unreachable nothing bounds strangers' parses, so none
    # is read until it is back (issued files are still answered by their hash; decision 0018).
    if count is None or count > settings.PDF_CHECK_PARSES_PER_MINUTE:
        raise PdfCheckBusy(max(1, 60 - int(now % 60)))


def pdf_read(data: bytes, *, text: bool = True) -> PdfContents:
    """Read the credential attachment (and, with ``text``, the first pages' text) in a child
    process within the budgets; an unreadable PDF reads as empty. Raises ``PdfTooComplex``."""
    seconds = settings.PDF_CHECK_SECONDS
    budget = {
        "cpu_seconds": max(1, math.ceil(seconds)),
        "memory_bytes": settings.PDF_CHECK_MEMORY_BYTES,
        "input_bytes": MAX_UPLOAD_BYTES,
        "pages": PAGES,
        "stream_bytes": STREAM_BYTES,
        "operators": OPERATORS,
        "form_invocations": FORM_INVOCATIONS,
        "page_tree_entries": PAGE_TREE_ENTRIES,
        "credential_bytes": CREDENTIAL_BYTES,
        "text_chars": TEXT_CHARS,
        "attachment": CREDENTIAL_ATTACHMENT,
        "want_text": text,
    }
    try:
        # -I: no PYTHON* variables, no user site, not the script's folder on the path; env={}:
        # the child sees none of this process's secrets.
        finished = subprocess.run(  # noqa: S603 (our interpreter, our script, no shell)
            [sys.executable, "-I", str(PROBE), json.dumps(budget)],
            input=data[: MAX_UPLOAD_BYTES + 1],
            capture_output=True,
            timeout=seconds,
            env={},
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise PdfTooComplex("time") from None
    if finished.returncode < 0:  # SIGXCPU past the CPU budget, or SIGKILL
        raise PdfTooComplex("cpu")
    try:
        result = json.loads(finished.stdout)
    except ValueError:
        logger.error("pdf_probe failed (exit %s): %s", finished.returncode, finished.stderr[-2000:])
        raise PdfTooComplex("failed") from None
    if result.get("status") == "over_budget":
        raise PdfTooComplex("limit")
    if result.get("status") != "ok":
        return PdfContents(credential=None, text="")
    return PdfContents(credential=result.get("credential"), text=result.get("text") or "")


def _credential_parse(content: str | None) -> dict | None:
    if not content:
        return None
    try:
        credential = json.loads(content)
    except ValueError:
        return None
    return credential if isinstance(credential, dict) else None


def pdf_credential(data: bytes) -> dict | None:
    """The ``credential.json`` attached to a certificate PDF, parsed, or None.
    Raises ``PdfTooComplex``."""
    return _credential_parse(pdf_read(data, text=False).credential)


def credential_signed(credential: dict) -> tuple[bytes, str] | None:
    """The signed bytes and the signature in a credential: ``{"payload": {...} or
    "<b64url canonical bytes>", "signature": "..."}``, or a bare payload with a signature."""
    payload = credential.get("payload", credential)
    signature = credential.get("signature")
    if not isinstance(signature, str):
        return None
    if isinstance(payload, str):
        try:
            return signing.b64url_decode(payload), signature
        except ValueError:
            return None
    if isinstance(payload, dict):
        payload = {key: value for key, value in payload.items() if key != "signature"}
        return signing.canonical(payload), signature
    return None


def pdf_claimed_code(data: bytes) -> str | None:
    """The code a PDF claims: from its attached credential, else from its printed text.
    Raises ``PdfTooComplex``."""
    contents = pdf_read(data, text=True)
    credential = _credential_parse(contents.credential)
    if credential:
        payload = credential.get("payload", credential)
        if isinstance(payload, str):
            try:
                payload = json.loads(signing.b64url_decode(payload))
            except ValueError:
                payload = {}
        code = payload.get("code") if isinstance(payload, dict) else None
        if isinstance(code, str) and not code_problem(code):
            return code_normalize(code)
    for candidate in _DISPLAYED_CODE.findall(contents.text) + _LINKED_CODE.findall(contents.text):
        if not code_problem(candidate):
            return code_normalize(candidate)
    return None
