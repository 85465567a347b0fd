"""A class roster uploaded by a center manager: parsed and checked first, committed on confirm.

The parsed rows live in the database between the preview and the confirmation, so the
confirmation can be served by any web process.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("checked, waiting for confirmation")
        COMMITTED = "committed", _("imported")
        DISCARDED = "discarded", _("discarded")

    center = models.ForeignKey("lms.Center", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list, help_text="Parsed rows, one dict per data row.")
    problems = models.JSONField(default=list, help_text="[{row, field, message}, ...]")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    committed_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
