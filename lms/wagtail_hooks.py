from wagtail import hooks

from . import admin_accounts, admin_attendance, admin_privacy  # noqa: F401  (they register their own hooks)
from .viewsets import ProgrammeViewSetGroup


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()
