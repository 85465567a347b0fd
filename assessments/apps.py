from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Question banks, quizzes, attempts and grading."""

    name = "assessments"
    default_auto_field = "django.db.models.BigAutoField"
