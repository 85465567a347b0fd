from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network and its texts, for `make run` and the tests.

    Installed only by the development and test settings (never by production): nothing in the
    product imports it, and it builds everything through the other apps' services.
    """

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"
