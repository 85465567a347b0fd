"""Where certificate PDFs and batch ZIPs live: the private storage, under names nobody can guess.

``STORAGES["private"]`` has no URL (a folder outside ``MEDIA_ROOT``, or a private S3 prefix), so
no web server or bucket policy can hand these files out; they are streamed only by views that
check a verification code (rate limited) or the requester's permission. The names carry no
serial, code or learner name: knowing one certificate's name tells nothing about another's.
"""

import secrets

from django.utils.crypto import salted_hmac

from lms.storage import private_storage

__all__ = ["batch_zip_new_name", "certificate_pdf_name", "pdf_upload_to", "private_storage"]

PDF_FOLDER = "certificates"
BATCH_FOLDER = "certificates/batches"
_PDF_NAME_SALT = "hunar.certificates.pdf-name"


def certificate_pdf_name(certificate) -> str:
    """The stored name of a certificate's PDF: a keyed hash of its serial.

    Unguessable without ``SECRET_KEY`` yet the same on every render of the same certificate, so
    a render retried after a crash overwrites the file it left rather than leaving a second one.
    """
    digest = salted_hmac(_PDF_NAME_SALT, certificate.serial, algorithm="sha256").hexdigest()
    return f"{PDF_FOLDER}/{digest[:32]}.pdf"


def pdf_upload_to(certificate, filename: str) -> str:
    """``upload_to`` of ``Certificate.pdf``: whatever name a caller offers, the hidden one."""
    return certificate_pdf_name(certificate)


def batch_zip_new_name() -> str:
    """A fresh, random name for a batch's ZIP (each build is a new file)."""
    return f"{BATCH_FOLDER}/{secrets.token_hex(16)}.zip"
