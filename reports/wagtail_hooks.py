"""The "Dashboards" admin menu item and the report URLs under /admin/dashboards/.

Not /admin/reports/ nor a menu item named "reports": Wagtail's own Reports menu has both.
"""

from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.permissions import centers_managed_by

from . import admin_urls
from .views import MENU_LABEL


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return centers_managed_by(request.user).exists()


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("dashboards/", include((admin_urls.urlpatterns, admin_urls.app_name)))]


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        MENU_LABEL,
        reverse_lazy("reports:overview"),
        name="dashboards",
        icon_name="table",
        order=370,
    )
