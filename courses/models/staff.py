"""What trainers and managers set for their learners: due dates per cohort and announcements.

Both attach to cohorts (and announcements to a whole center too), so both are scoped through
``lms.permissions`` like every cohort record. A due date attaches to the source-locale page
(docs/decisions/0013), as learner records do, and shows in whichever language is read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CohortDueDate(models.Model):
    """When a cohort is expected to have done an assessment (or a lesson) of its curriculum.

    Set by the cohort's trainers and its center's managers (``courses.staff`` services);
    learners see it on "My learning", trainers see what is overdue in their gradebook and to-do.
    """

    cohort = models.ForeignKey(
        "lms.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="due_dates"
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("assessment or lesson"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "page"], name="one_due_date_per_cohort_page")
        ]
        verbose_name = _("due date")
        verbose_name_plural = _("due dates")

    def __str__(self) -> str:
        return f"{self.page_id} due {self.due_at:%Y-%m-%d} for cohort {self.cohort_id}"


class Announcement(models.Model):
    """A message from a trainer or manager to one cohort or to a whole center, in English and
    Urdu. Learners see their language (falling back to the other) on "My learning" until they
    mark it read; those with an e-mail address get it by e-mail too."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.ForeignKey(
        "lms.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    center = models.ForeignKey(
        "lms.Center",
        verbose_name=_("whole center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    title_ur = models.CharField(_("title (Urdu)"), max_length=200, blank=True)
    body_ur = models.TextField(_("message (Urdu)"), blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cohort__isnull=True, center__isnull=False)
                | Q(cohort__isnull=False, center__isnull=True),
                name="announcement_to_a_cohort_or_a_center",
            ),
        ]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title_en or self.title_ur

    def in_language(self, language: str) -> tuple[str, str]:
        """(title, body) in ``language``, falling back to the other language's text."""
        if language == "ur" and (self.title_ur or self.body_ur):
            return self.title_ur or self.title_en, self.body_ur or self.body_en
        return self.title_en or self.title_ur, self.body_en or self.body_ur


class AnnouncementRead(models.Model):
    """A learner marked an announcement read: it no longer shows on their "My learning"."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_reads"
    )
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="one_read_per_user")
        ]
        verbose_name = _("announcement read")
        verbose_name_plural = _("announcement reads")

    def __str__(self) -> str:
        return f"{self.user_id} read {self.announcement_id}"
