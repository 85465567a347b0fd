from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from . import (  # noqa: F401  (they register their own hooks)
    admin_accounts,
    admin_attendance,
    admin_outages,
    admin_privacy,
)
from .admin_csp import choosers_without_inline_scripts
from .admin_exports import spreadsheet_exports_neutralize
from .viewsets import ProgrammeViewSetGroup

# Wagtail imports every app's wagtail_hooks before it serves any admin URL, exports included.
spreadsheet_exports_neutralize()
choosers_without_inline_scripts()


@hooks.register("insert_global_admin_js")
def admin_csp_init_script():
    # Before the page content: it watches for the markers that replace inline scripts.
    return format_html('<script src="{}"></script>', static("js/admin-csp-init.js"))


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()
