from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Site-wide pages (home, standard pages), shared blocks and the HTML sanitizer."""

    name = "content"
    default_auto_field = "django.db.models.BigAutoField"
