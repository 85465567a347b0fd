from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.models import Page

# Admin views of the courses app register their own hooks when imported here.
from . import admin_roster  # noqa: F401
from .admin_staff import CohortWorkViewSetGroup
from .models import CoursePage
from .ordering import course_child_place


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


@hooks.register("after_create_page")
def place_new_lesson(request, page):
    """A lesson added to a course comes after its last lesson, before its assessments."""
    course_child_place(page=page)


@hooks.register("register_page_listing_buttons")
def order_course_button(page, user, next_url=None):
    """An "Order lessons" button on each course a user may reorder (Wagtail's own ordering)."""
    if issubclass(page.specific_class or Page, CoursePage) and (
        page.permissions_for_user(user).can_reorder_children()
    ):
        yield ListingButton(
            _("Order lessons"),
            reverse("wagtailadmin_explore", args=[page.pk]) + "?ordering=ord",
            icon_name="list-ul",
            attrs={"title": _("Order the lessons and assessments of this course")},
            priority=5,
        )
