"""The dashboard filters: one form, one frozen value, and the Q objects each figure needs.

Every figure of a dashboard, of its exports and of the weekly report is filtered by the same
:class:`ReportFilters`, so the same filters always give the same numbers wherever they are shown.

The period (``date_from`` to ``date_to``, both inclusive, in the programme's time zone):

- an enrollment counts when it began on or before the last day and had not been completed
  before the first day (it was open at some point in the period);
- lessons completed, certificates issued and attendance count when they happened in the period;
- "active this week" is the seven days ending on the last day (today when no end is given).
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import TrackPage
from lms.models import Center, LearnerProfile, Shift


@dataclass(frozen=True)
class AgeBand:
    key: str
    label: str
    youngest: int | None
    oldest: int | None


AGE_BANDS = (
    AgeBand("under_15", _("under 15"), None, 14),
    AgeBand("15_17", _("15 to 17"), 15, 17),
    AgeBand("18_24", _("18 to 24"), 18, 24),
    AgeBand("25_up", _("25 and over"), 25, None),
    AgeBand("unknown", _("not recorded"), None, None),
)
_BANDS = {band.key: band for band in AGE_BANDS}

INVALID_RANGE = _("The first day comes after the last day.")


@dataclass(frozen=True)
class ReportFilters:
    """What a dashboard shows; empty fields mean "all". ``track_path`` is the track page's tree
    path: its courses are the pages under it."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    track_id: int | None = None
    track_path: str = ""
    shift: str = ""
    district: str = ""
    learner_type: str = ""
    gender: str = ""
    age_band: str = ""
    labels: dict = field(default_factory=dict, compare=False, hash=False)

    # --- the period --------------------------------------------------------------------------

    @staticmethod
    def _start_of(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    @property
    def start(self) -> datetime.datetime | None:
        return self._start_of(self.date_from) if self.date_from else None

    @property
    def end(self) -> datetime.datetime | None:
        """The first instant after the period (exclusive)."""
        if self.date_to is None:
            return None
        return self._start_of(self.date_to + datetime.timedelta(days=1))

    @property
    def last_day(self) -> datetime.date:
        return self.date_to or timezone.localdate()

    def week_window(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The seven days ending on the period's last day: "active this week"."""
        end = self._start_of(self.last_day + datetime.timedelta(days=1))
        return end - datetime.timedelta(days=7), end

    def in_period(self, lookup: str) -> Q:
        q = Q()
        if self.start:
            q &= Q(**{f"{lookup}__gte": self.start})
        if self.end:
            q &= Q(**{f"{lookup}__lt": self.end})
        return q

    # --- who and what ------------------------------------------------------------------------

    def _learner_q(self, learner: str) -> Q:
        """Filters on the learner's profile; ``learner`` is the path to the user."""
        profile = f"{learner}__learner_profile"
        q = Q()
        if self.learner_type:
            q &= Q(**{f"{profile}__learner_type": self.learner_type})
        if self.gender:
            q &= Q(**{f"{profile}__gender": self.gender})
        band = _BANDS.get(self.age_band)
        if band is not None:
            if band.key == "unknown":
                q &= Q(**{f"{profile}__year_of_birth__isnull": True})
            else:
                year = self.last_day.year
                if band.youngest is not None:
                    q &= Q(**{f"{profile}__year_of_birth__lte": year - band.youngest})
                if band.oldest is not None:
                    q &= Q(**{f"{profile}__year_of_birth__gte": year - band.oldest})
        return q

    def enrollment_q(self, prefix: str = "") -> Q:
        """Who and what, for an Enrollment reached through ``prefix`` (e.g. "enrollment__")."""
        q = self._learner_q(f"{prefix}learner")
        if self.track_path:
            q &= Q(**{f"{prefix}course__path__startswith": self.track_path})
        if self.shift:
            q &= Q(**{f"{prefix}cohort__shift": self.shift})
        if self.district:
            q &= Q(**{f"{prefix}center__district": self.district})
        return q

    def open_in_period_q(self, prefix: str = "") -> Q:
        """Enrollments open at some point in the period (see the module docstring)."""
        q = Q()
        if self.end:
            q &= Q(**{f"{prefix}enrolled_at__lt": self.end})
        if self.start:
            q &= Q(**{f"{prefix}completed_at__isnull": True}) | Q(
                **{f"{prefix}completed_at__gte": self.start}
            )
        return q

    def membership_q(self) -> Q:
        """Who and what, for a CohortMembership (attendance)."""
        q = self._learner_q("learner")
        if self.track_path:
            q &= Q(cohort__curriculum__path__startswith=self.track_path)
        if self.shift:
            q &= Q(cohort__shift=self.shift)
        if self.district:
            q &= Q(cohort__center__district=self.district)
        return q

    def as_query(self) -> dict:
        """The filters as GET parameters (for export links that repeat them)."""
        values = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "track": self.track_id or "",
            "shift": self.shift,
            "district": self.district,
            "learner_type": self.learner_type,
            "gender": self.gender,
            "age_band": self.age_band,
        }
        return {key: value for key, value in values.items() if value}

    def describe(self) -> list[tuple[str, str]]:
        """(filter, value) pairs for the filters in use, for people to read (exports, PDF)."""
        return list(self.labels.items())


def _track_choices():
    tracks = TrackPage.objects.filter(locale__language_code="en").order_by("path")
    return [("", _("all tracks"))] + [(str(t.pk), t.title) for t in tracks]


def _district_choices(centers):
    districts = centers.order_by("district").values_list("district", flat=True).distinct()
    return [("", _("all districts"))] + [(d, d) for d in districts]


class ReportFilterForm(forms.Form):
    """The filter bar above every dashboard; GET, so a filtered view is a link to share."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    track = forms.ChoiceField(label=_("Track"), required=False)
    shift = forms.ChoiceField(
        label=_("Shift"), required=False, choices=[("", _("all shifts")), *Shift.choices]
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    learner_type = forms.ChoiceField(
        label=_("Learner type"),
        required=False,
        choices=[("", _("all learners")), *LearnerProfile.LearnerType.choices],
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", _("all genders")), *LearnerProfile.Gender.choices],
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("all ages")), *((band.key, band.label) for band in AGE_BANDS)],
    )

    def __init__(self, *args, centers=None, personal=True, **kwargs):
        """``centers``: the centers the user may see (their districts are the choices).
        ``personal=False`` (a trainer's view) drops the filters on details that are for managers
        only (gender, age: lms.privacy.MANAGER_ONLY_FIELDS), which would single learners out."""
        super().__init__(*args, **kwargs)
        if not personal:
            del self.fields["gender"], self.fields["age_band"]
        self.fields["track"].choices = _track_choices()
        centers = Center.objects.none() if centers is None else centers
        self.fields["district"].choices = _district_choices(centers)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(INVALID_RANGE)
        return data

    def filters(self) -> ReportFilters:
        """The valid filters; an invalid form gives no filters at all (and shows its errors)."""
        if not self.is_valid():
            return ReportFilters()
        data = self.cleaned_data
        track_path, track_id = "", None
        if data.get("track"):
            track = TrackPage.objects.filter(pk=int(data["track"])).only("path").first()
            if track is not None:
                track_id, track_path = track.pk, track.path
        labels = {}
        for name, bound in self.fields.items():
            value = data.get(name)
            if value in (None, ""):
                continue
            if isinstance(bound, forms.ChoiceField):
                value = dict(bound.choices).get(str(value), value)
            labels[str(bound.label)] = str(value)
        return ReportFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            track_id=track_id,
            track_path=track_path,
            shift=data.get("shift") or "",
            district=data.get("district") or "",
            learner_type=data.get("learner_type") or "",
            gender=data.get("gender") or "",
            age_band=data.get("age_band") or "",
            labels=labels,
        )
