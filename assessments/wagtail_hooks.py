"""The "Assessments" admin menu: question banks and questions (viewsets), the grading queue
and item analysis (admin views, shown to whoever grades somebody)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .viewsets import AssessmentsViewSetGroup


@hooks.register("register_admin_viewset")
def register_assessments_viewsets():
    return AssessmentsViewSetGroup()


@hooks.register("register_admin_urls")
def register_assessments_admin_urls():
    urls = (admin_views.urlpatterns, admin_views.app_name)
    return [path("assessments/", include(urls, namespace=admin_views.app_name))]


class GraderMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.is_grader(request.user)


@hooks.register("register_assessments_menu_item")
def register_grading_queue_item():
    return GraderMenuItem(
        _("Grading queue"), reverse("assessments_admin:queue"), icon_name="tasks", order=30
    )


@hooks.register("register_assessments_menu_item")
def register_item_analysis_item():
    return GraderMenuItem(
        _("Item analysis"),
        reverse("assessments_admin:item_analysis_index"),
        icon_name="table",
        order=40,
    )
