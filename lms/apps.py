from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from .roles import roles_sync

    roles_sync()


class LmsConfig(AppConfig):
    """The programme domain: centers, cohorts, people and their roles."""

    name = "lms"
    verbose_name = "programme"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After every migrate, so that permissions of newly migrated apps reach the role groups.
        post_migrate.connect(_sync_roles, dispatch_uid="lms.roles_sync")
