"""The "Dashboards" admin menu item and the report URLs under /admin/dashboards/.

Not /admin/reports/ nor a menu item named "reports": Wagtail's own Reports menu has both.
"""

from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.permissions import centers_managed_by, cohorts_visible_to

from . import admin_urls, gradebook_urls, todo_panel
from .gradebook_views import MENU_LABEL as GRADEBOOK_LABEL
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


class GradebookMenuItem(MenuItem):
    def is_shown(self, request):
        return cohorts_visible_to(request.user).exists()


@hooks.register("register_admin_urls")
def register_gradebook_urls():
    urls = (gradebook_urls.urlpatterns, gradebook_urls.app_name)
    return [path("gradebooks/", include(urls, namespace=gradebook_urls.app_name))]


@hooks.register("register_admin_menu_item")
def register_gradebook_menu_item():
    return GradebookMenuItem(
        GRADEBOOK_LABEL,
        reverse_lazy("gradebook:index"),
        name="gradebooks",
        icon_name="list-ul",
        order=365,
    )


@hooks.register("construct_homepage_panels")
def add_todo_panel(request, panels):
    panels.insert(0, todo_panel.TodoPanel())


@hooks.register("register_admin_urls")
def register_todo_urls():
    urls = (todo_panel.urlpatterns, todo_panel.app_name)
    return [path("todo/", include(urls, namespace=todo_panel.app_name))]
