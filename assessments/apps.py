from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Question banks, quizzes and projects, attempts and grading."""

    name = "assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.demo import demo_seeder
        from lms.roles import CENTER_MANAGER, PROGRAMME_ADMIN, TRAINER, role_grant

        from . import completion, demo  # noqa: F401  (completion registers its requirement)

        bank_models = ("questionbank", "question")
        for role in (TRAINER, PROGRAMME_ADMIN):
            role_grant(
                role,
                *(
                    f"assessments.{action}_{model}"
                    for action in ("view", "add", "change", "delete")
                    for model in bank_models
                ),
            )
        role_grant(CENTER_MANAGER, *(f"assessments.view_{model}" for model in bank_models))
        demo_seeder(demo.demo_assessments_seed, order=35)
        from lms.privacy import privacy_eraser, privacy_exporter

        from . import privacy

        privacy_exporter(privacy.assessments_export, order=20)
        privacy_eraser(privacy.assessments_erase, order=400)
