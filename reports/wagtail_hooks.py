"""The "Dashboards" admin menu item and the report URLs under /admin/dashboards/.

Not /admin/reports/ nor a menu item named "reports": Wagtail's own Reports menu has both.
"""

import datetime

from django.db.models import Q
from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

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


# A manager's center may run many cohorts: the menu lists the first ones, then "All gradebooks".
MY_COHORTS_SHOWN = 8
# A cohort stays in the menu for a while after it ends (the last grades, the certificates).
MY_COHORTS_ENDED_DAYS = 30


class MyCohortsMenu(Menu):
    """Per request: each running cohort the user teaches or manages, to its dashboard and its
    gradebook (``cohorts_visible_to``: a trainer's own cohorts, a manager's center's)."""

    def menu_items_for_request(self, request):
        since = timezone.localdate() - datetime.timedelta(days=MY_COHORTS_ENDED_DAYS)
        cohorts = list(
            cohorts_visible_to(request.user)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
            .select_related("center")
            .order_by("center__name", "name")[: MY_COHORTS_SHOWN + 1]
        )
        items = []
        for order, cohort in enumerate(cohorts[:MY_COHORTS_SHOWN]):
            items.append(
                MenuItem(
                    _("%(cohort)s: dashboard") % {"cohort": cohort.name},
                    reverse("reports:cohort", args=[cohort.pk]),
                    name=f"cohort-{cohort.pk}-dashboard",
                    icon_name="table",
                    order=2 * order,
                )
            )
            items.append(
                MenuItem(
                    _("%(cohort)s: gradebook") % {"cohort": cohort.name},
                    reverse("gradebook:cohort", args=[cohort.pk]),
                    name=f"cohort-{cohort.pk}-gradebook",
                    icon_name="list-ul",
                    order=2 * order + 1,
                )
            )
        if len(cohorts) > MY_COHORTS_SHOWN:
            items.append(
                MenuItem(
                    _("All gradebooks"),
                    reverse("gradebook:index"),
                    name="all-gradebooks",
                    icon_name="list-ul",
                    order=1000,
                )
            )
        return items


class MyCohortsMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return cohorts_visible_to(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_my_cohorts_menu_item():
    return MyCohortsMenuItem(
        _("My cohorts"), MyCohortsMenu(), name="my-cohorts", icon_name="group", order=360
    )


@hooks.register("construct_homepage_panels")
def add_todo_panel(request, panels):
    panels.insert(0, todo_panel.TodoPanel())


@hooks.register("register_admin_urls")
def register_todo_urls():
    urls = (todo_panel.urlpatterns, todo_panel.app_name)
    return [path("todo/", include(urls, namespace=todo_panel.app_name))]
