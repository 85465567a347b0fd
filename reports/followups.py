"""Freelancing follow-ups: schedule them at completion, send their one-time links, take answers,
and add up the outcomes per center and track.

A course is a freelancing course when its track's audience is youth (the second-shift
freelancing track). The link's token is random (``secrets``), sent once, and stored only as its
SHA-256; the form answers without signing in, once, within :data:`ANSWER_WINDOW_DAYS` of its
sending, in the language of the link (English at /followup/…, Urdu at /ur/followup/…).
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, Enrollment, TrackPage

from .filters import ReportFilters
from .models import FollowUp
from .selectors import percent

ANSWER_WINDOW_DAYS = 60
LINK_INVALID = _("This link is not valid. Please use the link from your latest e-mail.")
LINK_ANSWERED = _("Thank you: this follow-up has already been answered.")
LINK_EXPIRED = _("This follow-up has closed. Thank you all the same.")


class FollowUpError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def freelancing_track_paths() -> list[str]:
    return list(
        TrackPage.objects.filter(audience=TrackPage.Audience.YOUTH).values_list("path", flat=True)
    )


def is_freelancing_course(course: CoursePage) -> bool:
    return any(course.path.startswith(path) for path in freelancing_track_paths())


def _freelancing_q(paths, prefix="course__") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def followups_schedule_for(*, enrollment: Enrollment) -> int:
    """Create the 30/90/180-day follow-ups of a completed freelancing enrollment (idempotent);
    the number created."""
    if enrollment.status != Enrollment.Status.COMPLETED or enrollment.completed_at is None:
        return 0
    if not is_freelancing_course(enrollment.course):
        return 0
    completed_on = timezone.localtime(enrollment.completed_at).date()
    existing = set(enrollment.followups.values_list("days_after", flat=True))
    missing = [day for day in FollowUp.Day.values if day not in existing]
    # ignore_conflicts: two workers scheduling the same completion at once create one set.
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                enrollment=enrollment,
                days_after=day,
                due_on=completed_on + datetime.timedelta(days=day),
            )
            for day in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing)


def followups_schedule_missing() -> int:
    """Follow-ups for every completed freelancing enrollment that has none yet (catch-up for
    completions from before this app, or a missed signal)."""
    paths = freelancing_track_paths()
    if not paths:
        return 0
    enrollments = (
        Enrollment.objects.filter(_freelancing_q(paths), status=Enrollment.Status.COMPLETED)
        .filter(completed_at__isnull=False)
        .exclude(followups__isnull=False)
        .select_related("course")
    )
    return sum(followups_schedule_for(enrollment=e) for e in enrollments.iterator())


def followup_link(followup: FollowUp, token: str) -> str:
    with translation.override(followup.language or settings.LANGUAGE_CODE):
        return settings.HUNAR_PUBLIC_URL + reverse("followup_answer", args=[token])


def followup_send(*, followup: FollowUp) -> bool:
    """Give the follow-up a fresh one-time link and e-mail it to the learner in their language;
    False (and nothing changed) when the learner has no e-mail address."""
    learner = followup.enrollment.learner
    if not learner.email:
        return False
    profile = getattr(learner, "learner_profile", None)
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    for _attempt in range(3):
        token = secrets.token_urlsafe(24)
        try:
            with transaction.atomic():
                FollowUp.objects.filter(pk=followup.pk).update(
                    token_hash=_hash(token), language=language, sent_at=timezone.now()
                )
            break
        except IntegrityError:  # the same token twice: astronomically rare, try another
            continue
    followup.refresh_from_db()
    with translation.override(language):
        context = {
            "followup": followup,
            "name": profile.full_name if profile else learner.get_username(),
            "course": followup.enrollment.course.title,
            "link": followup_link(followup, token),
            "days": ANSWER_WINDOW_DAYS,
        }
        subject = render_to_string("reports/email/followup_subject.txt", context).strip()
        body = render_to_string("reports/email/followup_body.txt", context)
    send_mail(subject, body, None, [learner.email])
    return True


def followups_send_due(*, today: datetime.date | None = None) -> int:
    """Send every due, unsent, unanswered follow-up; the number sent."""
    today = today or timezone.localdate()
    due = (
        FollowUp.objects.filter(due_on__lte=today, sent_at__isnull=True, answered_at__isnull=True)
        .filter(due_on__gte=today - datetime.timedelta(days=ANSWER_WINDOW_DAYS))
        .select_related("enrollment__learner__learner_profile", "enrollment__course")
    )
    return sum(followup_send(followup=f) for f in due.iterator(chunk_size=200))


def followup_for_token(token: str) -> FollowUp:
    """The follow-up a link opens, or FollowUpError saying why it cannot be answered."""
    if not token or len(token) > 64:
        raise FollowUpError(LINK_INVALID)
    followup = (
        FollowUp.objects.select_related(
            "enrollment__course", "enrollment__learner__learner_profile"
        )
        .filter(token_hash=_hash(token))
        .first()
    )
    if followup is None:
        raise FollowUpError(LINK_INVALID)
    if followup.is_answered:
        raise FollowUpError(LINK_ANSWERED)
    if followup.sent_at and timezone.now() > followup.sent_at + datetime.timedelta(
        days=ANSWER_WINDOW_DAYS
    ):
        raise FollowUpError(LINK_EXPIRED)
    return followup


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, widget=forms.RadioSelect, coerce=lambda v: v == "yes"
    )


class FollowUpForm(forms.Form):
    has_marketplace_profile = _yes_no(
        _("Have you made a profile on a freelancing marketplace (such as Fiverr or Upwork)?")
    )
    has_first_paid_job = _yes_no(_("Have you been paid for a freelance job yet?"))
    income_band = forms.ChoiceField(
        label=_("About how much do you earn from freelancing in a month?"),
        choices=FollowUp.IncomeBand.choices,
        widget=forms.RadioSelect,
    )
    still_looking = _yes_no(_("Are you still looking for (more) work?"))


@transaction.atomic
def followup_answer(*, token: str, answers: dict) -> FollowUp:
    """Record the answers of a link once; a second answer raises FollowUpError."""
    followup = followup_for_token(token)
    updated = FollowUp.objects.filter(pk=followup.pk, answered_at__isnull=True).update(
        answered_at=timezone.now(),
        has_marketplace_profile=answers["has_marketplace_profile"],
        has_first_paid_job=answers["has_first_paid_job"],
        income_band=answers["income_band"],
        still_looking=answers["still_looking"],
    )
    if not updated:  # answered in another request a moment ago
        raise FollowUpError(LINK_ANSWERED)
    followup.refresh_from_db()
    return followup


# --- Outcomes -----------------------------------------------------------------------------------


@dataclass
class OutcomeRow:
    center: str
    track: str
    days_after: int
    sent: int
    answered: int
    with_profile: int
    with_paid_job: int
    still_looking_count: int
    earning_10k: int

    @property
    def profile_rate(self):
        return percent(self.with_profile, self.answered)

    @property
    def paid_rate(self):
        return percent(self.with_paid_job, self.answered)

    @property
    def looking_rate(self):
        return percent(self.still_looking_count, self.answered)


EARNING_10K = [
    FollowUp.IncomeBand.FROM_10K,
    FollowUp.IncomeBand.FROM_30K,
    FollowUp.IncomeBand.OVER_60K,
]


def outcome_rows(*, centers, filters: ReportFilters) -> list[OutcomeRow]:
    """Follow-up outcomes per center, track and day, in one grouped query (answers as shares of
    the follow-ups answered). Filtered by who (not by the period: a follow-up looks back).
    Unfiltered, on PostgreSQL, the rows stored by the last refresh (:mod:`reports.summaries`)."""
    from .summaries import outcome_snapshot_read

    stored = outcome_snapshot_read(centers=centers, filters=filters)
    if stored is not None:
        return stored
    return [row for _center_id, row in outcome_rows_counted(centers=centers, filters=filters)]


def outcome_rows_counted(
    *, centers, filters: ReportFilters, per_center_id=False
) -> list[tuple[int | None, OutcomeRow]]:
    """(center id or None, row) for :func:`outcome_rows`, counted now; ``per_center_id`` keeps
    centers that share a name apart (for storing them per center)."""
    track_len = TrackPage.steplen * 3  # tracks sit at depth 3: root > home > track
    answered = Q(answered_at__isnull=False)
    group = ["enrollment__center__name", "track_path", "days_after"]
    if per_center_id:
        group.append("enrollment__center_id")
    rows = (
        FollowUp.objects.filter(enrollment__center__in=centers, sent_at__isnull=False)
        .filter(filters.enrollment_q("enrollment__"))
        .annotate(track_path=Substr("enrollment__course__path", 1, track_len))
        .values(*group)
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=answered),
            profile=Count("pk", filter=answered & Q(has_marketplace_profile=True)),
            paid=Count("pk", filter=answered & Q(has_first_paid_job=True)),
            looking=Count("pk", filter=answered & Q(still_looking=True)),
            earning=Count("pk", filter=answered & Q(income_band__in=EARNING_10K)),
        )
        .order_by("enrollment__center__name", "track_path", "days_after")
    )
    rows = list(rows)
    titles = dict(
        TrackPage.objects.filter(path__in={r["track_path"] for r in rows}).values_list(
            "path", "title"
        )
    )
    return [
        (
            r.get("enrollment__center_id"),
            OutcomeRow(
                center=r["enrollment__center__name"],
                track=titles.get(r["track_path"], ""),
                days_after=r["days_after"],
                sent=r["sent"],
                answered=r["answered"],
                with_profile=r["profile"],
                with_paid_job=r["paid"],
                still_looking_count=r["looking"],
                earning_10k=r["earning"],
            ),
        )
        for r in rows
    ]
