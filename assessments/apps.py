from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _setup_review(sender, **kwargs):
    # post_migrate fires once per app; act once, after the last one, when every permission exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    from .review import question_review_setup

    question_review_setup()


class AssessmentsConfig(AppConfig):
    """Question banks, quizzes and projects, attempts and grading."""

    name = "assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from courses.staff import due_page_model
        from lms.roles import CENTER_MANAGER, PROGRAMME_ADMIN, TRAINER, role_grant

        from . import completion, ownership  # noqa: F401  (completion registers)
        from .models import AssessmentPage, Attempt, Question, QuestionBank

        due_page_model(AssessmentPage)  # trainers set per-cohort due dates for assessments

        # Per object, the policies narrow these to the banks each user may see, edit or publish
        # (assessments.ownership): trainers draft their centers' banks, managers also publish
        # them, programme admins everything.
        editing = [
            f"assessments.{action}_{model}"
            for action in ("view", "add", "change", "delete")
            for model in ("questionbank", "question")
        ]
        reviewing = [f"assessments.{action}_question" for action in ("publish", "lock", "unlock")]
        role_grant(TRAINER, *editing)
        role_grant(CENTER_MANAGER, *editing, *reviewing)
        role_grant(PROGRAMME_ADMIN, *editing, *reviewing)
        register_permission_policy(
            QuestionBank, ownership.QuestionBankPermissionPolicy(QuestionBank)
        )
        register_permission_policy(Question, ownership.QuestionPermissionPolicy(Question))
        post_migrate.connect(_setup_review, dispatch_uid="assessments.setup_review")
        from lms.privacy import privacy_eraser, privacy_exporter

        from . import privacy

        privacy_exporter(privacy.assessments_export, order=20)
        from courses.dashboard import dashboard_part, watch

        from .selectors import attempts_for_dashboard

        dashboard_part("attempts")(attempts_for_dashboard)
        # "My learning" shows each attempt's status and result; an autosave changes neither.
        watch(Attempt, lambda row: row.learner_id, fields=("status", "passed", "percent"))
        privacy_eraser(privacy.assessments_erase, order=400)
