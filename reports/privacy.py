"""Reports' part of a learner's data export and erasure (registered with ``lms.privacy``), and
the formula-safe CSV cell that ``lms.privacy`` writes its CSV files with.

A follow-up's answers (income band, paid work) are the learner's own words about their life:
erasure clears them and the link, and the follow-up no longer counts as answered. The other
outcome figures (sent) keep it.
"""

from collections.abc import Iterable

from lms.privacy import PersonalData

from .models import FollowUp

ANSWER_FIELDS = ("has_marketplace_profile", "has_first_paid_job", "income_band", "still_looking")


def reports_export(*, user) -> Iterable[PersonalData]:
    yield PersonalData(
        "followups",
        list(
            FollowUp.objects.filter(enrollment__learner=user)
            .order_by("due_on")
            .values(
                "enrollment__course__title", "days_after", "due_on", "sent_at", "answered_at",
                *ANSWER_FIELDS,
            )
        ),
    )  # fmt: skip


def reports_erase(*, user) -> None:
    followups = FollowUp.objects.filter(enrollment__learner=user)
    followups.filter(sent_at__isnull=True).delete()
    followups.update(
        token_hash="",
        language="",
        answered_at=None,
        has_marketplace_profile=None,
        has_first_paid_job=None,
        income_band="",
        still_looking=None,
    )


def followup_links_purge(*, now=None) -> int:
    """Forget the link (its token's hash) of follow-ups answered, or closed unanswered, more
    than ``FOLLOWUP_LINK_RETENTION_DAYS`` ago: such a link can never be used again. How many."""
    import datetime

    from django.conf import settings
    from django.db.models import Q

    from lms.retention import retention_cutoff

    from .followups import ANSWER_WINDOW_DAYS

    cutoff = retention_cutoff(settings.FOLLOWUP_LINK_RETENTION_DAYS, now)
    closed = cutoff - datetime.timedelta(days=ANSWER_WINDOW_DAYS)
    spent = Q(answered_at__lt=cutoff) | Q(answered_at__isnull=True, sent_at__lt=closed)
    return FollowUp.objects.exclude(token_hash="").filter(spent).update(token_hash="")
