"""Freelancing follow-ups: what a learner tells us 30, 90 and 180 days after completing.

A follow-up is created (due) when a freelancing enrollment completes; the daily task sends its
one-time link and fills ``token_hash``. The token itself is only ever in the e-mail: the database
keeps its SHA-256, so a leaked database gives no working links.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FollowUp(models.Model):
    """One follow-up question set for one completed freelancing enrollment."""

    class Day(models.IntegerChoices):
        D30 = 30, _("30 days")
        D90 = 90, _("90 days")
        D180 = 180, _("180 days")

    class IncomeBand(models.TextChoices):
        NONE = "none", _("no income from freelancing yet")
        UNDER_10K = "under_10k", _("under PKR 10,000 a month")
        FROM_10K = "10k_30k", _("PKR 10,000 to 30,000 a month")
        FROM_30K = "30k_60k", _("PKR 30,000 to 60,000 a month")
        OVER_60K = "over_60k", _("over PKR 60,000 a month")

    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="followups"
    )
    days_after = models.PositiveSmallIntegerField(_("days after completion"), choices=Day.choices)
    due_on = models.DateField(_("due on"), db_index=True)
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=5, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    has_marketplace_profile = models.BooleanField(_("marketplace profile created"), null=True)
    has_first_paid_job = models.BooleanField(_("first paid job"), null=True)
    income_band = models.CharField(
        _("income band"), max_length=20, choices=IncomeBand.choices, blank=True
    )
    still_looking = models.BooleanField(_("still looking for work"), null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "days_after"], name="one_followup_per_enrollment_day"
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="followup_token_unique"
            ),
        ]
        ordering = ["due_on", "pk"]
        verbose_name = _("freelancing follow-up")
        verbose_name_plural = _("freelancing follow-ups")

    def __str__(self) -> str:
        return f"{self.enrollment_id} +{self.days_after}d"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class WeeklyReportDelivery(models.Model):
    """One weekly report owed or sent: a center's (or, with no center, the programme's) for one
    ISO week. Beat records what is owed and sends what is not yet sent, hourly, so a report whose
    task was lost to a broker or worker outage goes out later, and never twice (reports.weekly).
    """

    week = models.CharField(max_length=8, help_text="ISO week, e.g. 2026-W48")
    center = models.ForeignKey(
        "lms.Center", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week", "center"],
                condition=Q(center__isnull=False),
                name="one_weekly_report_per_center_week",
            ),
            models.UniqueConstraint(
                fields=["week"],
                condition=Q(center__isnull=True),
                name="one_programme_report_per_week",
            ),
        ]
        verbose_name = _("weekly report delivery")
        verbose_name_plural = _("weekly report deliveries")

    def __str__(self) -> str:
        return f"{self.week} {self.center_id or 'programme'}"


class FigureSnapshot(models.Model):
    """One row of dashboard figures as the refresh computed them (``reports.summaries``): the
    unfiltered programme overview and center pages read these on PostgreSQL instead of counting
    every row of a large network on each request. Aggregates only, no personal data."""

    class Scope(models.TextChoices):
        CENTER = "center", _("center")
        COHORT = "cohort", _("cohort")
        CENTER_TOTAL = "center_total", _("center total over its cohorts")
        TOTAL = "total", _("programme total")
        OUTCOMES = "outcomes", _("freelancing outcomes of a center")
        # Weekly trends (reports.trends), refreshed hourly apart from the figures above.
        TREND_CENTER = "trend_center", _("weekly trend of a center")
        TREND_TOTAL = "trend_total", _("weekly trend of the programme")

    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    key = models.BigIntegerField(_("center or cohort id"), null=True, blank=True)
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        indexes = [models.Index(fields=["scope", "key"], name="figure_snapshot_scope_key")]
        verbose_name = _("figure snapshot")
        verbose_name_plural = _("figure snapshots")

    def __str__(self) -> str:
        return f"{self.scope} {self.key} @ {self.computed_at:%Y-%m-%d %H:%M}"
