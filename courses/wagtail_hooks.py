from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

# Admin views of the courses app register their own hooks when imported here.
from . import admin_roster  # noqa: F401
from .admin_staff import CohortWorkViewSetGroup


class ProgressMenuItem(MenuItem):
    """Links staff to the cohort progress pages, which live on the light public site."""

    def is_shown(self, request):
        return request.user.has_perm("lms.view_cohort")


@hooks.register("register_admin_menu_item")
def register_progress_menu_item():
    return ProgressMenuItem(_("Progress"), reverse("cohort_list"), icon_name="tasks", order=210)


@hooks.register("register_admin_viewset")
def register_cohort_work_viewsets():
    return CohortWorkViewSetGroup()
