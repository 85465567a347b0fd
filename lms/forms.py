"""Admin forms that only offer the centers, trainers and accounts the signed-in user may use.

Every choice is limited when the form is built, so a forged POST naming an object outside the
editor's centers fails validation like any unknown value ("Select a valid choice").
``tests/security/test_admin_choice_scoping.py`` walks every admin form and holds this.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import people, permissions
from .models import Center, CenterStaff

# The profile fields the admin's learner forms edit (the account is not one of them).
LEARNER_PROFILE_FIELDS = (
    "full_name",
    "full_name_ur",
    "father_name",
    "learner_type",
    "home_center",
    "preferred_language",
    "gender",
    "year_of_birth",
)


class CenterScopedForm(WagtailAdminModelForm):
    """Limits every center choice to the centers the user manages: a form writes, and only a
    center's managers (or programme admins) write its records."""

    center_fields = ("center", "home_center")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        managed = permissions.centers_managed_by(self.for_user)
        for name in self.center_fields:
            if name in self.fields:
                self.fields[name].queryset = managed


class LearnerCreateForm(CenterScopedForm):
    """A new learner: a new account (its username) and the profile, made by
    :func:`lms.people.learner_create`. It never offers an existing account to attach to."""

    username = forms.CharField(
        label=_("username"),
        max_length=150,
        help_text=_("The name the learner signs in with; letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

    one_time_password = None  # set by save(): shown once to the manager

    def clean_username(self):
        try:
            return people.learner_username_check(username=self.cleaned_data["username"])
        except people.PeopleError as error:
            raise forms.ValidationError(str(error)) from None

    def save(self, commit=True):
        data = self.cleaned_data
        created = people.learner_create(
            by=self.for_user,
            username=data["username"],
            **{name: data[name] for name in LEARNER_PROFILE_FIELDS if name in data},
        )
        self.instance = created.profile
        self.one_time_password = created.password
        return created.profile


ACCOUNT_FIXED = _("A learner profile's account cannot be changed; create a new learner instead.")


class LearnerEditForm(CenterScopedForm):
    """A learner's profile. It has no account field: a profile's account never changes
    (``LearnerProfile.save`` refuses it as well), and a POST that names another account is
    refused with :data:`ACCOUNT_FIXED`. Only a manager of the learner's present home center may
    move the learner to another center."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        home = self.fields.get("home_center")
        current = self.instance.home_center_id if self.instance.pk else None
        if home is None or current is None or self.for_user is None:
            return
        if not permissions.centers_managed_by(self.for_user).filter(pk=current).exists():
            home.queryset = Center.objects.filter(pk=current)
            home.disabled = True

    def clean(self):
        cleaned = super().clean()
        posted = self.data.get("user")
        if posted not in (None, "") and posted != str(self.instance.user_id):
            # The form never shows this field; only a forged request sends another account.
            self.add_error(None, ACCOUNT_FIXED)
        return cleaned


class CohortForm(CenterScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "trainers" in self.fields and self.for_user is not None:
            centers = permissions.centers_managed_by(self.for_user)
            self.fields["trainers"].queryset = (
                get_user_model()
                .objects.filter(
                    center_roles__role=CenterStaff.Role.TRAINER, center_roles__center__in=centers
                )
                .distinct()
                .order_by("username")
            )

    def clean(self):
        cleaned = super().clean()
        center = cleaned.get("center")
        trainers = cleaned.get("trainers")
        if center and trainers:
            outside = [
                t.username
                for t in trainers
                if not t.center_roles.filter(center=center, role=CenterStaff.Role.TRAINER).exists()
            ]
            if outside:
                raise forms.ValidationError(
                    _("Not trainers at %(center)s: %(names)s.")
                    % {"center": center.name, "names": ", ".join(outside)}
                )
        return cleaned


class CenterStaffForm(CenterScopedForm):
    """Who works where: the account is chosen among those the editor may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields and self.for_user is not None:
            self.fields["user"].queryset = permissions.users_visible_to(self.for_user).order_by(
                "username"
            )
