from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    # post_migrate fires once per app; act once, after the last one, when every permission exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    from .media import media_collections_sync
    from .roles import roles_sync

    roles_sync()
    media_collections_sync()


class LmsConfig(AppConfig):
    """The programme domain: centers, cohorts, people and their roles."""

    name = "lms"
    verbose_name = "programme"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .accounts import SIGN_IN_RECEIVER_UID, session_start_on_sign_in

        user_logged_in.connect(session_start_on_sign_in, dispatch_uid=SIGN_IN_RECEIVER_UID)
        post_migrate.connect(_sync_roles, dispatch_uid="lms.roles_sync")

        from wagtail.signals import workflow_approved, workflow_rejected

        from .notices import workflow_approved_notice, workflow_rejected_notice

        workflow_approved.connect(workflow_approved_notice, dispatch_uid="lms.workflow_approved")
        workflow_rejected.connect(workflow_rejected_notice, dispatch_uid="lms.workflow_rejected")

        from .programme import connect_signals as programme_signals

        programme_signals()
