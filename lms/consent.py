"""Guardian consent, and the one rule that decides whether a learner may be named publicly.

The rule (docs/privacy.md, "Naming learners in public"): a learner is named on the public
certificate page, its JSON and its PDF only when they are surely an adult, or a guardian's
consent is recorded and not withdrawn. "Surely an adult" with only a year of birth means 18 on
every day of this year: born at least 19 calendar years ago. An unknown year of birth, or no
learner profile, counts as a minor: most of Hunar's learners are school children, and a manager
can record the year or the consent.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import GuardianConsent, LearnerProfile

ADULT_AGE = 18

CONSENT_REFUSED = _("Only a manager of the learner's home center can record or withdraw consent.")
CONSENT_NOT_NEEDED = _("This learner is an adult: no guardian's consent is needed.")
CONSENT_EXISTS = _("A guardian's consent is already recorded for this learner.")
CONSENT_IN_FUTURE = _("The date the consent was given cannot be in the future.")
CONSENT_ALREADY_WITHDRAWN = _("This consent has already been withdrawn.")


class ConsentError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def year_is_surely_adult(year_of_birth: int | None, *, today: datetime.date) -> bool:
    """18 whatever the birthday: only the year is known, so one born in ``today.year - 18``
    may still be 17 today."""
    return year_of_birth is not None and today.year - year_of_birth > ADULT_AGE


def learner_is_minor(*, profile: LearnerProfile | None, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return profile is None or not year_is_surely_adult(profile.year_of_birth, today=today)


def _standing(user_ref) -> Exists:
    return Exists(GuardianConsent.objects.filter(learner=user_ref, withdrawn_at__isnull=True))


def learner_may_be_named_publicly(*, user_id: int, today: datetime.date | None = None) -> bool:
    """May anyone, signed in or not, read this learner's name next to a certificate? One query.

    Yes for a surely adult learner, or a minor with a standing guardian's consent; no otherwise
    (no profile, unknown year of birth, under 18 without consent, consent withdrawn).
    """
    row = (
        LearnerProfile.objects.filter(user_id=user_id)
        .annotate(consented=_standing(OuterRef("user_id")))
        .values("year_of_birth", "consented")
        .first()
    )
    if row is None:
        return False
    today = today or timezone.localdate()
    return row["consented"] or year_is_surely_adult(row["year_of_birth"], today=today)


def guardian_consent_current(*, learner_user) -> GuardianConsent | None:
    return GuardianConsent.objects.filter(learner=learner_user, withdrawn_at__isnull=True).first()


def consent_manage_allowed(*, manager, learner_user) -> bool:
    """Managers of the learner's home center (and programme admins) record consent."""
    profile = LearnerProfile.objects.select_related("home_center").filter(user=learner_user)
    profile = profile.first()
    return profile is not None and permissions.can_manage_center(manager, profile.home_center)


@transaction.atomic
def guardian_consent_record(
    *,
    manager,
    learner_user,
    guardian_name: str,
    relationship: str,
    method: str,
    given_on: datetime.date,
    note: str = "",
) -> GuardianConsent:
    """Record a guardian's consent for a minor; who recorded it and when are kept.

    Refuses (:class:`ConsentError`, nothing saved) a manager of another center, an adult
    learner, a date in the future, an unknown method, or a second standing consent.
    """
    if not consent_manage_allowed(manager=manager, learner_user=learner_user):
        raise ConsentError(CONSENT_REFUSED)
    profile = LearnerProfile.objects.select_for_update().get(user=learner_user)
    if not learner_is_minor(profile=profile):
        raise ConsentError(CONSENT_NOT_NEEDED)
    if given_on > timezone.localdate():
        raise ConsentError(CONSENT_IN_FUTURE)
    if method not in GuardianConsent.Method.values:
        raise ConsentError(_("Choose how the consent was given."))
    guardian_name, relationship = guardian_name.strip(), relationship.strip()
    if not guardian_name or not relationship:
        raise ConsentError(_("Give the guardian's name and relationship to the learner."))
    if guardian_consent_current(learner_user=learner_user) is not None:
        raise ConsentError(CONSENT_EXISTS)
    return GuardianConsent.objects.create(
        learner=learner_user,
        guardian_name=guardian_name,
        relationship=relationship,
        method=method,
        given_on=given_on,
        note=note.strip(),
        recorded_by=manager,
        recorded_at=timezone.now(),
    )


@transaction.atomic
def guardian_consent_withdraw(*, manager, consent: GuardianConsent) -> GuardianConsent:
    """The guardian withdrew consent: the learner's name is withheld again from now on."""
    consent = (
        GuardianConsent.objects.select_for_update().select_related("learner").get(pk=consent.pk)
    )
    if not consent_manage_allowed(manager=manager, learner_user=consent.learner):
        raise ConsentError(CONSENT_REFUSED)
    if consent.withdrawn_at is not None:
        raise ConsentError(CONSENT_ALREADY_WITHDRAWN)
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = manager
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return consent
