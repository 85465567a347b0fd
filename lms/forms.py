"""Admin forms that only offer the centers (and trainers) the signed-in user may use."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import permissions
from .models import CenterStaff


class CenterScopedForm(WagtailAdminModelForm):
    """Limits every center choice to the user's centers, so a forged POST cannot escape them."""

    center_fields = ("center", "home_center")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        visible = permissions.centers_visible_to(self.for_user)
        for name in self.center_fields:
            if name in self.fields:
                self.fields[name].queryset = visible


class CohortForm(CenterScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "trainers" in self.fields and self.for_user is not None:
            centers = permissions.centers_visible_to(self.for_user)
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
