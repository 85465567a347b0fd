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
