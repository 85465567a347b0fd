"""Certificates: what was issued to whom, frozen as printed, signed, and its status.

Statuses are two (issued, revoked), as Open edX ended up with after growing fifteen: a revoked
certificate keeps its row and its code, so the public page can say it was revoked. Re-issuing
revokes the old certificate and creates a new one (new code) that points to it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from .codes import code_display
from .storage import pdf_upload_to, private_storage


class CertificateTemplate(ClusterableModel):
    """How a course's certificates look and who signs them; managed in the Wagtail admin."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        URDU = "ur", _("Urdu")
        BOTH = "both", _("English and Urdu")

    class Layout(models.TextChoices):
        CLASSIC = "classic", _("classic (border, centred)")
        MODERN = "modern", _("modern (side band)")

    name = models.CharField(_("name"), max_length=120, unique=True)
    language = models.CharField(
        _("language"), max_length=4, choices=Language.choices, default=Language.BOTH
    )
    layout = models.CharField(
        _("layout"), max_length=20, choices=Layout.choices, default=Layout.CLASSIC
    )
    signatory_name = models.CharField(_("signatory name"), max_length=120)
    signatory_title = models.CharField(_("signatory title"), max_length=160)
    signature_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_default = models.BooleanField(
        _("default template"), default=False, help_text=_("Used by courses that pick none.")
    )
    courses = ParentalManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="+",
        verbose_name=_("courses"),
        help_text=_("The courses whose certificates use this template."),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("language"), FieldPanel("layout")]),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title"),
                FieldPanel("signature_image"),
            ],
            heading=_("Signatory"),
        ),
        FieldPanel("logo"),
        FieldPanel("is_default"),
        FieldPanel("courses"),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.name


class SigningKey(models.Model):
    """The public half of a signing key and when it was valid; the private half is a file."""

    kid = models.CharField(max_length=64, unique=True)
    public_x = models.CharField(max_length=64, help_text="base64url raw Ed25519 public key")
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.kid


class Certificate(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("valid")
        REVOKED = "revoked", _("revoked")

    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(max_length=14, unique=True, help_text="normalized, without hyphens")
    serial = models.CharField(max_length=40, unique=True)
    template = models.ForeignKey(
        CertificateTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    center = models.ForeignKey("lms.Center", on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(help_text="Everything printed, frozen at issue.")
    payload = models.JSONField(help_text="The signed payload (canonicalized with RFC 8785).")
    signature = models.CharField(max_length=100)
    kid = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(max_length=300, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    # Private storage under an unguessable name (certificates.storage): never a public URL.
    pdf = models.FileField(storage=private_storage, upload_to=pdf_upload_to, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    verification_count = models.PositiveIntegerField(default=0)
    # When the learner was told (or found to have no address): the sweep e-mails a certificate
    # whose follow-up was lost to a broker outage, and never twice (certificates.pending).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One valid certificate per enrollment; revoked ones stay for the record.
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=models.Q(status="issued"),
                name="one_valid_certificate_per_enrollment",
            )
        ]
        indexes = [
            models.Index(fields=["center", "issued_at"]),
            # The few certificates whose PDF or e-mail is still owed (certificates.pending).
            models.Index(
                fields=["issued_at"],
                condition=models.Q(pdf_sha256="") | models.Q(notified_at__isnull=True),
                name="certificate_follow_up_owed",
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.serial} ({self.get_status_display()})"

    @property
    def display_code(self) -> str:
        return code_display(self.code)

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.ISSUED


class SerialCounter(models.Model):
    """The last serial number used per center and year (locked while a serial is taken)."""

    center = models.ForeignKey("lms.Center", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="one_counter_per_center_year")
        ]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.year}: {self.last}"
