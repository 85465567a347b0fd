"""Admin pieces for a learner's privacy: the guardian-consent, export and erasure page, and the
learner views that keep manager-only details (father's name, year of birth, gender) from
trainers.

The page lives at ``/admin/programme/learners/<profile id>/privacy/``. Only a manager of the
learner's home center (or a programme admin), for a plain learner account, reaches it
(:func:`lms.privacy.learner_data_allowed`); anyone else gets a 404.
"""

import datetime
import tempfile

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic

from . import consent, permissions, privacy
from .models import GuardianConsent, LearnerProfile

ERASE_CONFIRM_MISMATCH = _("Type the learner's username exactly to confirm the erasure.")


class ConsentForm(forms.Form):
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200)
    relationship = forms.CharField(label=_("Relationship to the learner"), max_length=100)
    method = forms.ChoiceField(label=_("How consent was given"), choices=GuardianConsent.Method)
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class EraseForm(forms.Form):
    confirm_username = forms.CharField(label=_("Type the learner's username to confirm"))


# --- Views for trainers and managers ------------------------------------------------------------


class LearnerInspectView(generic.InspectView):
    """Shows father's name, year of birth and gender only to the home center's managers."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)  # sets the fields, then the object
        if not privacy.learner_details_visible(user=request.user, profile=self.object):
            self.fields = [name for name in self.fields if name not in privacy.MANAGER_ONLY_FIELDS]


class ManagerOnlyFiltersMixin:
    """For a learner listing: filtering by a manager-only detail (gender) is offered to managers
    only, and then reaches only the learners of the centers they manage."""

    @cached_property
    def managed_centers(self):
        return permissions.centers_managed_by(self.request.user)

    @cached_property
    def filters(self):
        filterset = super().filters
        if filterset is not None and not self.managed_centers.exists():
            for name in privacy.MANAGER_ONLY_FIELDS:
                filterset.form.fields.pop(name, None)
                filterset.filters.pop(name, None)
        return filterset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        offered = self.filters.form.fields if self.filters is not None else {}
        used = any(
            name in offered and self.request.GET.get(name) for name in privacy.MANAGER_ONLY_FIELDS
        )
        if used and not permissions.is_programme_admin(self.request.user):
            queryset = queryset.filter(home_center__in=self.managed_centers)
        return queryset


def learner_privacy_button(*, profile) -> MenuItem:
    """The "Privacy and consent" item of a learner's row, for the home center's managers (the
    page itself checks in full)."""
    url = reverse("learner_privacy", args=[profile.pk])
    return MenuItem(_("Privacy and consent"), url=url, icon_name="lock", priority=50)


# --- The privacy page ---------------------------------------------------------------------------


def _export_response(request, profile) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    privacy.learner_data_export(by=request.user, learner_user=profile.user, target=spool)
    spool.seek(0)
    name = f"hunar-data-{profile.user.get_username()}-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(spool, as_attachment=True, filename=name)
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "private, no-store"
    return response


def _post(request, profile, context):
    action = request.POST.get("action")
    if action == "export":
        return _export_response(request, profile)
    if action == "record_consent":
        form = ConsentForm(request.POST)
        context["consent_form"] = form
        if not form.is_valid():
            return None
        try:
            consent.guardian_consent_record(
                manager=request.user, learner_user=profile.user, **form.cleaned_data
            )
        except consent.ConsentError as error:
            form.add_error(None, error.message)
            return None
        messages.success(request, _("Guardian's consent recorded."))
    elif action == "withdraw_consent":
        current = consent.guardian_consent_current(learner_user=profile.user)
        if current is None:
            raise Http404
        consent.guardian_consent_withdraw(manager=request.user, consent=current)
        messages.success(request, _("Consent withdrawn: the learner's name is withheld again."))
    elif action == "erase":
        form = EraseForm(request.POST)
        context["erase_form"] = form
        if not form.is_valid():
            return None
        if form.cleaned_data["confirm_username"] != profile.user.get_username():
            form.add_error("confirm_username", ERASE_CONFIRM_MISMATCH)
            return None
        privacy.learner_erase(by=request.user, learner_user=profile.user)
        messages.success(request, _("The learner's personal data was erased."))
        return redirect("learners:index")
    else:
        raise Http404
    return redirect("learner_privacy", profile.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def learner_privacy(request, profile_id):
    profile = get_object_or_404(
        LearnerProfile.objects.select_related("user", "home_center"), pk=profile_id
    )
    if not privacy.learner_data_allowed(by=request.user, learner_user=profile.user):
        raise Http404
    context = {
        "profile": profile,
        "consent_form": ConsentForm(initial={"given_on": datetime.date.today()}),
        "erase_form": EraseForm(),
    }
    if request.method == "POST":
        response = _post(request, profile, context)
        if response is not None:
            return response
    context.update(
        {
            "is_minor": consent.learner_is_minor(profile=profile),
            "named_publicly": consent.learner_may_be_named_publicly(user_id=profile.user_id),
            "current_consent": consent.guardian_consent_current(learner_user=profile.user),
            "consents": GuardianConsent.objects.filter(learner=profile.user).select_related(
                "recorded_by", "withdrawn_by"
            ),
            "learners_url": reverse("learners:index"),
            "action_url": reverse("learner_privacy", args=[profile.pk]),
        }
    )
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "lms/admin/learner_privacy.html", context, status=status)


@hooks.register("register_admin_urls")
def register_learner_privacy_url():
    return [
        path(
            "programme/learners/<int:profile_id>/privacy/",
            learner_privacy,
            name="learner_privacy",
        )
    ]
