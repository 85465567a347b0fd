"""Certificate PDFs: an HTML template through WeasyPrint, A4 landscape, PDF/A-3b.

``certificate_pdf_render`` is pure: it reads the certificate's frozen snapshot, its signed payload
and its template's images, and returns bytes, identical for identical inputs (the PDF dates come
from ``issued_at`` and the file identifier is a hash of the content). Fonts ship in
``certificates/fonts``; nothing is fetched from the network. The font configuration, the stylesheet
and the images are built once per process and reused.
"""

import atexit
import base64
import functools
import json
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from django.template.loader import render_to_string

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
TEMPLATE = "certificates/pdf/certificate.html"
STYLESHEET = "certificates/pdf/certificate.css"
PDF_VARIANT = "pdf/a-3b"
AUTHOR = "Hunar"
# Printed 35 mm wide. Error correction M: a typical payload gives version 19 (93 modules,
# 0.38 mm each), which a phone or a 200-dpi scan reads; H would shrink modules to 0.29 mm.
QR_MM = 35
QR_ERROR = "m"
QR_BORDER = 2  # the white page around the image supplies the rest of the quiet zone
# A fixed mask: segno's automatic choice scores all eight in pure Python (18 of its 23 ms at
# version 20). The payload is base64, as good as random, so no mask is better for it than
# another; all eight decode alike at 150 and 200 dpi (checked with zbarimg).
QR_MASK = 0
IMAGE_RENDITION = "max-600x240"


def verify_url(certificate) -> str:
    """The QR code's text: one definition, shared with the verifier (``qr_link``)."""
    from .verification import qr_link

    return qr_link(certificate)


def credential_json(certificate) -> str:
    """The signed credential attached to the PDF as ``credential.json``."""
    credential = {
        "payload": certificate.payload,
        "signature": certificate.signature,
        "kid": certificate.kid,
        "alg": "EdDSA",
        "canonicalization": "RFC8785",
    }
    return json.dumps(credential, ensure_ascii=False, indent=2, sort_keys=True)


def qr_data_uri(text: str, *, kind: str = "png") -> str:
    """The QR code as a data URI: PNG (4 pixels a module, drawn without smoothing) or SVG.

    Not ``scale=1``: WeasyPrint 70 garbles that one-pixel-per-module PNG (checked with zbarimg).
    """
    qr = segno.make(text, error=QR_ERROR, micro=False, mask=QR_MASK)
    if kind == "svg":
        return qr.svg_data_uri(border=QR_BORDER, omitsize=True)
    return qr.png_data_uri(scale=4, border=QR_BORDER)


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        """Data URIs and the shipped fonts only: a PDF of ours never touches the network."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_relative_to(FONTS_DIR):
                    return super().fetch(url, headers)
            raise ValueError(f"Our PDFs load no external resources: {url[:80]}")

    return LocalFetcher


@functools.cache
def pdf_resources(stylesheet_template: str):
    """(font configuration, stylesheet, URL fetcher) for one stylesheet, built once per process;
    certificates and the reports' weekly PDF each have theirs.

    WeasyPrint only uses ``@font-face`` fonts when the same FontConfiguration is given to the
    stylesheet and to ``write_pdf``.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fetcher = _fetcher_class()()
    stylesheet = CSS(
        string=render_to_string(stylesheet_template),
        base_url=FONTS_DIR.as_uri() + "/",
        font_config=font_config,
        url_fetcher=fetcher,
    )
    return font_config, stylesheet, fetcher


def resources():
    """The certificate's (font configuration, stylesheet, URL fetcher)."""
    return pdf_resources(STYLESHEET)


atexit.register(pdf_resources.cache_clear)


@functools.lru_cache(maxsize=32)
def _image_data_uri(file_name: str) -> str:
    """A stored image file as a data URI; keyed by file name, so a new upload is a new key."""
    from django.core.files.storage import default_storage

    with default_storage.open(file_name, "rb") as handle:
        data = handle.read()
    mime = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def image_data_uri(image) -> str:
    """A Wagtail image, resized once (rendition), as a data URI; empty when there is none."""
    if image is None:
        return ""
    return _image_data_uri(image.get_rendition(IMAGE_RENDITION).file.name)


def certificate_html(certificate, *, qr_kind: str = "png") -> str:
    snapshot = certificate.snapshot
    template = certificate.template
    language = snapshot.get("language") or "both"
    context = {
        "c": snapshot,
        "certificate": certificate,
        "code": certificate.display_code,
        "serial": certificate.serial,
        "english": language in ("en", "both"),
        "urdu": language in ("ur", "both"),
        "name_ur": snapshot.get("learner_name_ur") if language in ("ur", "both") else "",
        "layout": template.layout if template else "classic",
        "logo": image_data_uri(template.logo if template else None),
        "signature_image": image_data_uri(template.signature_image if template else None),
        "qr": qr_data_uri(verify_url(certificate), kind=qr_kind),
        "qr_mm": QR_MM,
        "created": certificate.issued_at.isoformat(timespec="seconds"),
        "author": AUTHOR,
    }
    return render_to_string(TEMPLATE, context)


def html_to_pdf(html: str, *, attachments=(), variant: str | None = PDF_VARIANT) -> bytes:
    """Any certificate-like page through the shared fonts, stylesheet and fetcher."""
    from weasyprint import HTML

    font_config, stylesheet, fetcher = resources()
    document = HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[stylesheet],
        font_config=font_config,
        pdf_variant=variant,
        attachments=list(attachments),
    )


def certificate_pdf_render(certificate, *, qr_kind: str = "png") -> bytes:
    """The certificate's PDF/A-3b bytes, with the signed credential attached."""
    from weasyprint import Attachment

    issued = certificate.issued_at
    attachment = Attachment(
        string=credential_json(certificate),
        name="credential.json",
        description="Signed credential (Ed25519 over RFC 8785 canonical JSON)",
        created=issued,
        modified=issued,
        relationship="Data",
    )
    return html_to_pdf(certificate_html(certificate, qr_kind=qr_kind), attachments=[attachment])
