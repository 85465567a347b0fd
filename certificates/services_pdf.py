"""Storing a certificate's PDF: render once, save privately under its hidden name, record its
SHA-256. Reading it back is ``certificate_pdf_open``, for the views that checked who asks."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from . import rendering
from .models import Certificate
from .storage import certificate_pdf_name


def certificate_pdf_is_current(certificate: Certificate) -> bool:
    """The stored file exists under its hidden name and still hashes to ``pdf_sha256``."""
    if not (certificate.pdf and certificate.pdf_sha256):
        return False
    if certificate.pdf.name != certificate_pdf_name(certificate):
        return False  # an older layout (or another SECRET_KEY's name): store it again
    storage = certificate.pdf.storage
    if not storage.exists(certificate.pdf.name):
        return False
    with storage.open(certificate.pdf.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == certificate.pdf_sha256


@transaction.atomic
def certificate_pdf_store(*, certificate_id: int, force: bool = False) -> Certificate:
    """Render and store the certificate's PDF unless a good copy is already stored.

    Runs under the certificate's row lock, so two workers given the same certificate (a
    redelivered task, a batch and the on-issue task) render it once. The rendered bytes depend
    only on the frozen snapshot, the signed payload and the template's images, so a stored file
    whose hash still matches is the current one; ``force`` re-renders anyway (a new logo).
    """
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("template__logo", "template__signature_image")
        .get(pk=certificate_id)
    )
    if not force and certificate_pdf_is_current(certificate):
        return certificate
    data = rendering.certificate_pdf_render(certificate)
    name = certificate_pdf_name(certificate)
    storage = certificate.pdf.storage
    previous = certificate.pdf.name
    # The name is fixed per certificate: a crash between saving the file and committing the row
    # leaves a file under this very name, replaced here rather than forked by the storage.
    if storage.exists(name):
        storage.delete(name)
    certificate.pdf.name = storage.save(name, ContentFile(data))
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.save(update_fields=["pdf", "pdf_sha256"])
    if previous and previous != certificate.pdf.name:
        transaction.on_commit(lambda: storage.delete(previous))
    return certificate


def certificate_pdf_open(certificate: Certificate):
    """The stored PDF opened for reading, or None when there is none (never rendered, or lost).

    Callers decide who may read it; this only keeps a missing file from becoming a server error.
    """
    if not certificate.pdf:
        return None
    try:
        return certificate.pdf.storage.open(certificate.pdf.name, "rb")
    except FileNotFoundError:
        return None
