"""Attempts and their responses; who changed a grade, when and why."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.storage import private_storage, upload_path


class Attempt(models.Model):
    """One learner's go at an assessment, with the questions it was given frozen in ``snapshot``.

    ``sequence`` grows with every save; a form carries the sequence it was rendered with, so a
    stale form (another tab, a replayed request) is recognised and cannot overwrite newer answers.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        SUBMITTED = "submitted", _("awaiting grading")
        GRADED = "graded", _("graded")

    assessment = models.ForeignKey(
        "assessments.AssessmentPage", on_delete=models.PROTECT, related_name="attempts"
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="attempts"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField()
    # Globally unique, so an attempt made on a lab node is one attempt on the server (sync).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    snapshot = models.JSONField(help_text=_("The questions, choices and rules as started."))
    sequence = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_late = models.BooleanField(
        default=False, help_text=_("Submitted by the server when the time ran out.")
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "learner", "number"], name="attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["assessment", "learner"],
                condition=Q(status="in_progress"),
                name="one_attempt_in_progress",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["enrollment", "status"]),
        ]
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self) -> str:
        return f"{self.learner} #{self.number} on {self.assessment_id}"

    @property
    def questions(self) -> list[dict]:
        return self.snapshot["questions"]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class Response(models.Model):
    """The learner's answer to one question of an attempt (``position`` in the snapshot)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    answer = models.JSONField(null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to=upload_path, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=20, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    rubric_scores = models.JSONField(null=True, blank=True)
    feedback = models.TextField(blank=True, help_text=_("The grader's feedback (sanitized HTML)."))
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="one_response_per_question"
            )
        ]
        ordering = ["attempt", "position"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"

    @property
    def question(self) -> dict:
        return self.attempt.questions[self.position]


class GradeChange(models.Model):
    """Every manual grade and every later change to it: who, when, from what, to what, why."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="grade_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    old_score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=8, decimal_places=2)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.old_score} -> {self.new_score}"
