"""A learner's place in a course: the enrollment and the progress through its lessons."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    """A learner in a course, at the center (and usually the cohort) where they train.

    ``center`` is kept on the row, not only through the cohort, so that a self-enrolled learner
    without a cohort is still scoped to a center and center queries need no join.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("in progress")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrollments"
    )
    cohort = models.ForeignKey(
        "lms.Cohort", null=True, blank=True, on_delete=models.PROTECT, related_name="enrollments"
    )
    center = models.ForeignKey("lms.Center", on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Globally unique, so a lab node's record and the server's are recognised as one (sync).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="one_enrollment_per_course")
        ]
        indexes = [models.Index(fields=["center", "status"])]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")

    def __str__(self) -> str:
        return f"{self.learner} in {self.course_id}"


class LessonProgress(models.Model):
    """How far a learner got with one lesson. Completed stays completed, whatever later edits."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    # SET_NULL keeps the learner's history if a lesson is ever deleted; such rows stop counting.
    lesson = models.ForeignKey(
        "courses.LessonPage", null=True, on_delete=models.SET_NULL, related_name="progress"
    )
    lesson_title = models.CharField(max_length=255, help_text=_("The title when first opened."))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    time_spent_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="one_progress_row_per_lesson"
            )
        ]
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.lesson_title}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
