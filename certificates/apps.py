from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Certificate issuing, PDF rendering, signing and public verification."""

    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"
