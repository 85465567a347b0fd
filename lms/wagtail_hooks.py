from wagtail import hooks

from . import admin_accounts, admin_attendance  # noqa: F401  (they register their own hooks)
from .admin_exports import spreadsheet_exports_neutralize
from .viewsets import ProgrammeViewSetGroup

# Wagtail imports every app's wagtail_hooks before it serves any admin URL, exports included.
spreadsheet_exports_neutralize()


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()
