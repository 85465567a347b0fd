"""Wagtail admin viewsets for centers, cohorts, learners and staff, scoped by center.

Every list and every object view goes through :mod:`lms.permissions`, so a center manager who
types another center's id into the URL gets a 404, not the record.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import media, people, permissions
from .admin_privacy import LearnerInspectView, ManagerOnlyFiltersMixin, learner_privacy_button
from .forms import CenterStaffForm, CohortForm, LearnerCreateForm, LearnerEditForm
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


def _center_filter(field_name, label):
    """A list filter offering only the centers the user may see."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        label=label,
        queryset=lambda request: permissions.centers_visible_to(request.user),
    )


class CohortFilterSet(WagtailFilterSet):
    center = _center_filter("center", _("center"))

    class Meta:
        model = Cohort
        fields = ["center", "shift", "start_date"]


class LearnerFilterSet(WagtailFilterSet):
    home_center = _center_filter("home_center", _("home center"))

    class Meta:
        model = LearnerProfile
        fields = ["learner_type", "home_center", "gender", "preferred_language"]


class CenterStaffFilterSet(WagtailFilterSet):
    center = _center_filter("center", _("center"))

    class Meta:
        model = CenterStaff
        fields = ["role", "center"]


class CenterMediaMixin:
    """A center saved in the admin gets (or renames) its collection and staff group."""

    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            media.center_media_setup(center=instance)
        return instance


class StaffMediaMixin:
    """A staff row saved or deleted in the admin brings its users' staff groups in step."""

    def _users_before(self, obj) -> set:
        return set(CenterStaff.objects.filter(pk=obj.pk).values_list("user", flat=True))

    def _sync(self, user_ids) -> None:
        for user in get_user_model().objects.filter(pk__in=user_ids):
            media.staff_media_access_sync(user=user)

    def save_instance(self):
        with transaction.atomic():
            users = self._users_before(self.form.instance)
            instance = super().save_instance()
            self._sync(users | {instance.user_id})
        return instance

    def delete_action(self):
        with transaction.atomic():
            users = self._users_before(self.object)
            super().delete_action()
            self._sync(users)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for attr in ("add_view_class", "edit_view_class"):
            view_class = getattr(self, attr)
            setattr(self, attr, type(view_class.__name__, (CenterMediaMixin, view_class), {}))


class CohortViewSet(ScopedModelViewSet):
    name = "cohorts"
    url_prefix = "programme/cohorts"
    model = Cohort
    scope = staticmethod(permissions.cohorts_visible_to)
    icon = "group"
    inspect_view_enabled = True
    list_display = ["name", "center", "shift", "start_date", "end_date"]
    filterset_class = CohortFilterSet
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


class LearnerCreateView(generic.CreateView):
    """Creates the learner through :mod:`lms.people`, then shows the new account's one-time
    password once, like the one-time-password page (never cached, never redirected)."""

    # The password is shown in the page that answers the POST; a JSON answer would lose it.
    expects_json_response = False

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except people.PeopleError as error:  # e.g. the username was taken a moment ago
            form.add_error(None, str(error))
            return self.form_invalid(form)

    def save_action(self):
        context = {
            "profile": self.object,
            "password": self.form.one_time_password,
            "learners_url": reverse("learners:index"),
        }
        response = TemplateResponse(self.request, "lms/admin/one_time_password_done.html", context)
        add_never_cache_headers(response)
        return response


_LEARNER_PANELS = [
    FieldRowPanel([FieldPanel("full_name"), FieldPanel("full_name_ur")]),
    FieldPanel("father_name"),
    FieldRowPanel([FieldPanel("learner_type"), FieldPanel("home_center")]),
    FieldPanel("preferred_language"),
    FieldRowPanel([FieldPanel("gender"), FieldPanel("year_of_birth")]),
]


class LearnerProfileViewSet(ScopedModelViewSet):
    """Learners. Creating one makes a new account (``LearnerCreateForm``); editing never shows
    an account to choose (``LearnerEditForm``): the account is fixed once the profile exists."""

    name = "learners"
    url_prefix = "programme/learners"
    model = LearnerProfile
    scope = staticmethod(permissions.learners_visible_to)
    icon = "user"
    menu_label = "Learners"
    inspect_view_enabled = True
    list_display = ["full_name", "user", "learner_type", "home_center", "preferred_language"]
    filterset_class = LearnerFilterSet
    search_fields = ["full_name", "full_name_ur"]
    add_view_class = LearnerCreateView
    edit_handler = ObjectList(
        [FieldPanel("user", read_only=True), *_LEARNER_PANELS], base_form_class=LearnerEditForm
    )
    create_handler = ObjectList(
        [FieldPanel("username"), *_LEARNER_PANELS], base_form_class=LearnerCreateForm
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = _scoped(LearnerIndexView, type(self).scope)
        self.inspect_view_class = _scoped(LearnerInspectView, type(self).scope)
        self.copy_view_class = _scoped(
            type("LearnerCopyView", (generic.CopyViewMixin, LearnerCreateView), {}),
            type(self).scope,
        )

    @cached_property
    def _create_handler(self):
        return self.create_handler.bind_to_model(self.model)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(
            **{
                "panel": self._create_handler,
                "form_class": self._create_handler.get_form_class(),
                **kwargs,
            }
        )


class CenterStaffViewSet(ScopedModelViewSet):
    name = "staff"
    url_prefix = "programme/staff"
    model = CenterStaff
    scope = staticmethod(permissions.staff_visible_to)
    icon = "user"
    menu_label = "Staff"
    list_display = ["user", "role", "center"]
    filterset_class = CenterStaffFilterSet
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("center"), FieldPanel("role")],
        base_form_class=CenterStaffForm,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for attr in ("add_view_class", "edit_view_class", "delete_view_class"):
            view_class = getattr(self, attr)
            setattr(self, attr, type(view_class.__name__, (StaffMediaMixin, view_class), {}))


class ProgrammeViewSetGroup(ModelViewSetGroup):
    menu_label = "Programme"
    menu_icon = "site"
    menu_order = 200
    items = (CenterViewSet, CohortViewSet, LearnerProfileViewSet, CenterStaffViewSet)
