"""Due dates and announcements in the Wagtail admin, for trainers and center managers.

Scoped like every cohort record (``lms.viewsets.ScopedModelViewSet``): a trainer reaches the
due dates and announcements of the cohorts they teach, a manager those of their centers. Every
choice a form offers is narrowed to the same scope, and saving goes through ``courses.staff``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSetGroup

from lms import permissions
from lms.viewsets import ScopedModelViewSet

from . import staff
from .models import Announcement, CohortDueDate


def due_dates_visible_to(user):
    return CohortDueDate.objects.filter(cohort__in=permissions.cohorts_visible_to(user))


def announcements_visible_to(user):
    return Announcement.objects.filter(
        Q(cohort__in=permissions.cohorts_visible_to(user))
        | Q(center__in=permissions.centers_managed_by(user))
    )


class CohortDueDateForm(WagtailAdminModelForm):
    """A cohort the user teaches or manages, a page of the network's curriculum (checked
    against the cohort's course or track on save), and when it is due."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "cohort" in self.fields:
            self.fields["cohort"].queryset = permissions.cohorts_visible_to(
                self.for_user
            ).select_related("center")
        if "page" in self.fields:
            # A plain list of the curriculum's lessons and assessments, not the page chooser
            # (which would browse the whole tree, homes and help pages included).
            self.fields["page"].widget = forms.Select()
            self.fields["page"].queryset = staff.due_pages().order_by("path")

    def clean(self):
        cleaned = super().clean()
        cohort, page = cleaned.get("cohort"), cleaned.get("page")
        if cohort and page:
            try:
                cleaned["page"] = staff.due_date_check(cohort=cohort, page=page)
            except ValidationError as error:
                self.add_error("page", error)
        return cleaned

    def save(self, commit=True):
        data = self.cleaned_data
        if self.instance.pk:
            self.instance.set_by = self.for_user
            return super().save(commit=commit)
        self.instance = staff.due_date_set(
            cohort=data["cohort"], page=data["page"], due_at=data["due_at"], by=self.for_user
        )
        return self.instance


class AnnouncementForm(WagtailAdminModelForm):
    """One cohort the user teaches or manages, or a whole center they manage; the texts in
    English and Urdu (bodies sanitized). A new announcement is sent through
    ``courses.staff.announcement_create`` (which e-mails it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            if "cohort" in self.fields:
                self.fields["cohort"].queryset = permissions.cohorts_visible_to(
                    self.for_user
                ).select_related("center")
            if "center" in self.fields:
                self.fields["center"].queryset = permissions.centers_managed_by(self.for_user)

    def clean(self):
        cleaned = super().clean()
        texts = {k: cleaned.get(k) for k in ("title_en", "body_en", "title_ur", "body_ur")}
        try:
            cleaned.update(staff.announcement_clean_texts(**texts))
            staff.announcement_audience_check(
                by=self.for_user, cohort=cleaned.get("cohort"), center=cleaned.get("center")
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def save(self, commit=True):
        data = self.cleaned_data
        texts = {k: data[k] for k in ("title_en", "body_en", "title_ur", "body_ur")}
        if self.instance.pk:
            for name, value in texts.items():
                setattr(self.instance, name, value)
            self.instance.save()
            return self.instance
        self.instance = staff.announcement_create(
            by=self.for_user, cohort=data.get("cohort"), center=data.get("center"), **texts
        )
        return self.instance


class CohortDueDateViewSet(ScopedModelViewSet):
    name = "due_dates"
    url_prefix = "programme/due-dates"
    model = CohortDueDate
    scope = staticmethod(due_dates_visible_to)
    icon = "date"
    menu_label = _("Due dates")
    list_display = ["page", "cohort", "due_at"]
    list_filter = ["due_at"]
    edit_handler = ObjectList(
        [FieldPanel("cohort"), FieldPanel("page"), FieldPanel("due_at")],
        base_form_class=CohortDueDateForm,
    )


class AnnouncementViewSet(ScopedModelViewSet):
    name = "announcements"
    url_prefix = "programme/announcements"
    model = Announcement
    scope = staticmethod(announcements_visible_to)
    icon = "mail"
    menu_label = _("Announcements")
    list_display = ["__str__", "cohort", "center", "created_at"]
    list_filter = ["created_at"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("cohort"), FieldPanel("center")])],
                heading=_("To one cohort, or to a whole center"),
            ),
            FieldPanel("title_en"),
            FieldPanel("body_en"),
            FieldPanel("title_ur"),
            FieldPanel("body_ur"),
        ],
        base_form_class=AnnouncementForm,
    )


class CohortWorkViewSetGroup(ModelViewSetGroup):
    menu_label = _("Cohort work")
    menu_icon = "date"
    menu_order = 220
    items = (CohortDueDateViewSet, AnnouncementViewSet)
