from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Tracks, courses and lessons as Wagtail pages; enrollment and progress."""

    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"
