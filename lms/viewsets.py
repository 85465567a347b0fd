"""Wagtail admin viewsets for centers, cohorts, learners and staff, scoped by center.

Every list and every object view goes through :mod:`lms.permissions`, so a center manager who
types another center's id into the URL gets a 404, not the record.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import permissions
from .admin_privacy import LearnerInspectView, ManagerOnlyFiltersMixin, learner_privacy_button
from .forms import CenterScopedForm, CohortForm
from .models import Center, CenterStaff, Cohort, LearnerProfile


class ScopedViewMixin:
    """Restricts a generic admin view to the objects the viewset's scope gives the user."""

    scope = None  # set by ScopedModelViewSet: a function user -> queryset

    def get_scoped_queryset(self):
        return type(self).scope(self.request.user)

    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=self.get_scoped_queryset().values("pk"))

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.get_scoped_queryset().filter(pk=obj.pk).exists():
            raise Http404
        return obj


def _scoped(view_class, scope):
    return type(f"Scoped{view_class.__name__}", (ScopedViewMixin, view_class), {"scope": scope})


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose views only ever reach ``scope(request.user)``."""

    scope = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = staticmethod(type(self).scope)
        self.index_view_class = _scoped(generic.IndexView, scope)
        self.edit_view_class = _scoped(generic.EditView, scope)
        self.delete_view_class = _scoped(generic.DeleteView, scope)
        self.inspect_view_class = _scoped(generic.InspectView, scope)
        self.history_view_class = _scoped(history.HistoryView, scope)
        self.usage_view_class = _scoped(usage.UsageView, scope)
        self.copy_view_class = _scoped(generic.CopyView, scope)


class CenterViewSet(ScopedModelViewSet):
    name = "centers"
    url_prefix = "programme/centers"
    model = Center
    scope = staticmethod(permissions.centers_visible_to)
    icon = "site"
    menu_order = 100
    inspect_view_enabled = True
    list_display = ["name", "code", "kind", "district", "is_active"]
    list_filter = ["kind", "district", "is_active", "offers_school_hours", "offers_second_shift"]
    search_fields = ["name", "code", "district", "school_name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("district")]),
            FieldPanel("school_name"),
            FieldPanel("address"),
            MultiFieldPanel(
                [FieldPanel("offers_school_hours"), FieldPanel("offers_second_shift")],
                heading="Shifts offered",
            ),
            FieldPanel("is_active"),
        ]
    )


class CohortViewSet(ScopedModelViewSet):
    name = "cohorts"
    url_prefix = "programme/cohorts"
    model = Cohort
    scope = staticmethod(permissions.cohorts_visible_to)
    icon = "group"
    inspect_view_enabled = True
    list_display = ["name", "center", "shift", "start_date", "end_date"]
    list_filter = ["center", "shift", "start_date"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("center"),
            FieldPanel("name"),
            FieldPanel("shift"),
            FieldPanel("curriculum"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldPanel("trainers"),
        ],
        base_form_class=CohortForm,
    )


class LearnerIndexView(ManagerOnlyFiltersMixin, generic.IndexView):
    """The learner listing, with "One-time password" in each row a manager may reset."""

    @cached_property
    def managed_center_ids(self):
        return set(permissions.centers_managed_by(self.request.user).values_list("pk", flat=True))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.home_center_id in self.managed_center_ids:
            url = reverse("learner_one_time_password", args=[instance.pk])
            buttons.append(MenuItem(_("One-time password"), url=url, icon_name="key", priority=40))
            buttons.append(learner_privacy_button(profile=instance))
        return buttons


class LearnerProfileViewSet(ScopedModelViewSet):
    name = "learners"
    url_prefix = "programme/learners"
    model = LearnerProfile
    scope = staticmethod(permissions.learners_visible_to)
    icon = "user"
    menu_label = "Learners"
    inspect_view_enabled = True
    list_display = ["full_name", "user", "learner_type", "home_center", "preferred_language"]
    list_filter = ["learner_type", "home_center", "gender", "preferred_language"]
    search_fields = ["full_name", "full_name_ur"]
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldRowPanel([FieldPanel("full_name"), FieldPanel("full_name_ur")]),
            FieldPanel("father_name"),
            FieldRowPanel([FieldPanel("learner_type"), FieldPanel("home_center")]),
            FieldPanel("preferred_language"),
            FieldRowPanel([FieldPanel("gender"), FieldPanel("year_of_birth")]),
        ],
        base_form_class=CenterScopedForm,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = _scoped(LearnerIndexView, type(self).scope)
        self.inspect_view_class = _scoped(LearnerInspectView, type(self).scope)


class CenterStaffViewSet(ScopedModelViewSet):
    name = "staff"
    url_prefix = "programme/staff"
    model = CenterStaff
    scope = staticmethod(permissions.staff_visible_to)
    icon = "user"
    menu_label = "Staff"
    list_display = ["user", "role", "center"]
    list_filter = ["role", "center"]
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("center"), FieldPanel("role")],
        base_form_class=CenterScopedForm,
    )


class ProgrammeViewSetGroup(ModelViewSetGroup):
    menu_label = "Programme"
    menu_icon = "site"
    menu_order = 200
    items = (CenterViewSet, CohortViewSet, LearnerProfileViewSet, CenterStaffViewSet)
