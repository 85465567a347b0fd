"""Celery tasks of the certificates app (the PDF rendering task is being written)."""

from celery import shared_task


@shared_task(name="certificates.certificate_render_pdf_task")
def certificate_render_pdf_task(certificate_id: int) -> None:
    """Render and store a certificate's PDF (placeholder until rendering lands)."""
