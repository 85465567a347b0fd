"""Centers, cohorts and people: the ground floor every other app builds on.

This module names no other app of ours; a cohort points at the Wagtail page (track or course)
it follows through Wagtail's own ``Page`` model.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.documents.models import AbstractDocument
from wagtail.documents.models import Document as WagtailDocument

from .storage import private_storage


class Shift(models.TextChoices):
    SCHOOL_HOURS = "school_hours", _("school hours")
    SECOND_SHIFT = "second_shift", _("second shift")


class User(AbstractUser):
    """An account for anyone who signs in: learner, trainer, manager or programme admin.

    ``password_changed_at`` is stamped by :meth:`save` whenever the password hash changes (a
    new password, a one-time password, a re-hash at sign-in), unless the caller set it too (a
    lab node copying the server's account keeps the server's time): lab nodes send a learner's
    password change up by it, and the later change wins (docs/decisions/0024).
    """

    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_password = user.__dict__.get("password")
        user._loaded_password_changed_at = user.__dict__.get("password_changed_at")
        return user

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_password", None)
        deferred = "password" not in self.__dict__
        changed = not deferred and (self._state.adding or loaded != self.password)
        stamped_by_caller = (
            getattr(self, "_loaded_password_changed_at", None) != self.password_changed_at
        )
        if changed and self.password and not stamped_by_caller:
            self.password_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "password" in update_fields:
                kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        super().save(*args, **kwargs)
        self._loaded_password = self.__dict__.get("password")
        self._loaded_password_changed_at = self.password_changed_at


class Center(models.Model):
    """A training center: an IT lab in a school, or a software technology hub."""

    class Kind(models.TextChoices):
        SCHOOL_LAB = "school_lab", _("school IT lab")
        TECH_HUB = "tech_hub", _("software technology hub")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{2,12}$", _("Use 2 to 12 capital letters or digits."))
        ],
        help_text=_("Short code printed on certificates, e.g. GLT or HUB-DMR without the dash."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    district = models.CharField(_("district"), max_length=100, db_index=True)
    school_name = models.CharField(_("school name"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    offers_school_hours = models.BooleanField(_("offers school-hours shift"), default=True)
    offers_second_shift = models.BooleanField(_("offers second shift"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The center's own Wagtail collection for images and documents, and the group of its staff
    # that holds the collection's permissions (kept in step with CenterStaff by lms.media).
    media_collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("media collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("staff group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["district", "name"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def shifts(self) -> list[str]:
        offered = []
        if self.offers_school_hours:
            offered.append(Shift.SCHOOL_HOURS)
        if self.offers_second_shift:
            offered.append(Shift.SECOND_SHIFT)
        return offered

    def clean(self):
        if self.kind == self.Kind.SCHOOL_LAB and not self.school_name:
            raise ValidationError({"school_name": _("A school IT lab needs its school's name.")})
        if not (self.offers_school_hours or self.offers_second_shift):
            raise ValidationError(_("A center must offer at least one shift."))


class CenterStaff(models.Model):
    """Ties a trainer or a center manager to the center where they work."""

    class Role(models.TextChoices):
        TRAINER = "trainer", _("trainer")
        MANAGER = "manager", _("center manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="center_roles"
    )
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "center", "role"], name="unique_center_role")
        ]
        verbose_name = _("center staff member")
        verbose_name_plural = _("center staff")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.center.code}"


class Cohort(models.Model):
    """A class at one center, in one shift, following one track or course, with its trainers."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    shift = models.CharField(_("shift"), max_length=20, choices=Shift.choices)
    curriculum = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("track or course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="cohorts_trained",
    )

    class Meta:
        ordering = ["center", "-start_date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "name"], name="unique_cohort_name_per_center"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_start",
            ),
        ]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return f"{self.name} – {self.center.code}"

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date comes before the start date.")
        if self.center_id and self.shift and self.shift not in self.center.shifts:
            errors["shift"] = _("%(center)s does not offer the %(shift)s shift.") % {
                "center": self.center.name,
                "shift": self.get_shift_display(),
            }
        if errors:
            raise ValidationError(errors)


class AccountChangeRefused(ValidationError):
    """A learner profile's account cannot change once the profile exists (see ``lms.people``)."""


class LearnerProfile(models.Model):
    """What the programme knows about a learner: type, home center, names and language.

    Its ``user`` is fixed at creation (``lms.people.learner_create``); :meth:`save` refuses to
    point an existing profile at another account.
    """

    class LearnerType(models.TextChoices):
        STUDENT = "student", _("student (school hours)")
        YOUTH = "youth", _("youth (second shift)")

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        OTHER = "other", _("other")

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        URDU = "ur", "اردو"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    learner_type = models.CharField(_("learner type"), max_length=20, choices=LearnerType.choices)
    home_center = models.ForeignKey(
        Center, verbose_name=_("home center"), on_delete=models.PROTECT, related_name="learners"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    full_name = models.CharField(_("full name (Latin script)"), max_length=200)
    full_name_ur = models.CharField(_("full name (Urdu)"), max_length=200, blank=True)
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    must_change_password = models.BooleanField(
        _("must change password at next sign-in"),
        default=False,
        help_text=_("Set when a manager gives the learner a one-time password."),
    )
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1940), MaxValueValidator(2030)],
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        # Asked of the database, not of a copy loaded earlier: an instance built with an
        # existing pk and another user would otherwise overwrite the row unnoticed.
        if (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk).exclude(user_id=self.user_id).exists()
        ):
            raise AccountChangeRefused(_("A learner profile's account cannot be changed."))
        super().save(*args, **kwargs)


class CohortMembership(models.Model):
    """A learner in a cohort's class list."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "learner"], name="unique_cohort_member")
        ]
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")

    def __str__(self) -> str:
        return f"{self.learner} in {self.cohort}"


class CohortSession(models.Model):
    """One class meeting of a cohort, in its shift, on one day: what attendance is taken for."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=20, choices=Shift.choices)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["cohort", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "date", "shift"], name="one_session_per_cohort_day_shift"
            )
        ]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")

    def __str__(self) -> str:
        return f"{self.cohort} – {self.date}"


class AttendanceMark(models.Model):
    """Whether a learner came to a session. Corrections are kept in ``AttendanceChange``."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="marks")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance_marks"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Globally unique, so a mark taken on a lab node is one mark on the server (sync).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "learner"], name="one_mark_per_session")
        ]
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")

    def __str__(self) -> str:
        return f"{self.learner} {self.status} {self.session.date}"


class AttendanceChange(models.Model):
    """The audit trail of a mark: every status it had, who set it and when."""

    mark = models.ForeignKey(AttendanceMark, on_delete=models.CASCADE, related_name="changes")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status_before = models.CharField(
        max_length=10, choices=AttendanceMark.Status.choices, blank=True
    )
    status_after = models.CharField(max_length=10, choices=AttendanceMark.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")

    def __str__(self) -> str:
        return f"{self.status_before or '–'} → {self.status_after} at {self.changed_at}"


class SignInThrottle(models.Model):
    """Wrong passwords lately for one username, from any address (see :mod:`lms.signin`).

    A token bucket kept as one number: the time the bucket is full again. A missing row is a
    full bucket; a row whose time has passed is one too, and is deleted when next seen.
    """

    # SHA-256 of the username as typed: fixed length whatever is typed, no name in the table.
    key = models.CharField(max_length=64, unique=True)
    full_at_ms = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return self.key


class PrivateDocument(AbstractDocument):
    """Wagtail's document, its file kept in the private store (``STORAGES["private"]``).

    ``WAGTAILDOCS_DOCUMENT_MODEL`` names this model, so the admin, choosers and blocks use it.
    Its file has no public URL: it is served only by Wagtail's document view, which applies the
    collection's view restrictions first (docs/decisions/0012-collections-per-center.md).
    """

    file = models.FileField(upload_to="documents", storage=private_storage, verbose_name=_("file"))

    admin_form_fields = WagtailDocument.admin_form_fields

    class Meta(AbstractDocument.Meta):
        pass


class GuardianConsent(models.Model):
    """A parent's or guardian's consent that a learner under 18 may be named publicly (on the
    public certificate page, its JSON and its PDF). Recorded by a center manager with
    :func:`lms.consent.guardian_consent_record`; withdrawing keeps the row for the record."""

    class Method(models.TextChoices):
        PAPER_FORM = "paper_form", _("signed paper form")
        IN_PERSON = "in_person", _("in person at the center")
        PHONE = "phone", _("by phone")
        OTHER = "other", _("other (see note)")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardian_consents"
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=200)
    relationship = models.CharField(_("relationship to the learner"), max_length=100)
    method = models.CharField(_("how consent was given"), max_length=20, choices=Method.choices)
    given_on = models.DateField(_("given on"))
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Where the paper form is filed, or how the call was checked."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_standing_guardian_consent",
            )
        ]
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")

    def __str__(self) -> str:
        return f"{self.learner_id}: {self.get_method_display()} {self.given_on}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


_HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour as #RRGGBB, e.g. #0b6e4f."))


@register_setting(icon="site")
class ProgrammeSettings(BaseGenericSetting):
    """Who runs this Hunar: the programme's name, logo, colours, footer, contact and shift hours.

    One per installation, edited by programme admins in Settings → Programme. Read through
    ``lms.programme.programme_get`` (cached with the published content), never per request.
    """

    name = models.CharField(_("programme name"), max_length=120, default="Hunar")
    name_ur = models.CharField(_("programme name (Urdu)"), max_length=120, default="ہنر")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Shown in the site header and the admin. A square or wide image on white."),
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#0b6e4f",
        validators=[_HEX_COLOUR],
        help_text=_("Links, buttons and the name in the header: dark enough for white text."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#f59e0b",
        validators=[_HEX_COLOUR],
        help_text=_("The outline around the link or button the keyboard is on."),
    )
    footer_text = models.CharField(
        _("footer text"), max_length=300, default="Hunar — skills for every center.", blank=True
    )
    footer_text_ur = models.CharField(
        _("footer text (Urdu)"), max_length=300, default="ہنر — ہر مرکز کے لیے مہارتیں۔", blank=True
    )
    about = models.TextField(
        _("about the programme"),
        blank=True,
        help_text=_("Plain text, shown on the public About page. Blank lines start paragraphs."),
    )
    about_ur = models.TextField(_("about the programme (Urdu)"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("contact address"), blank=True)
    school_hours = models.CharField(
        _("school-hours shift"),
        max_length=40,
        default="08:00–13:00",
        help_text=_("When the school-hours shift runs, e.g. 08:00–13:00."),
    )
    second_shift_hours = models.CharField(
        _("second shift"),
        max_length=40,
        default="14:00–18:00",
        help_text=_("When the second (youth) shift runs, e.g. 14:00–18:00."),
    )

    panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("name"), FieldPanel("name_ur")]), FieldPanel("logo")],
            heading=_("Name and logo"),
        ),
        FieldRowPanel(
            [FieldPanel("primary_colour"), FieldPanel("accent_colour")], heading=_("Colours")
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                FieldPanel("footer_text_ur"),
                FieldPanel("about"),
                FieldPanel("about_ur"),
            ],
            heading=_("Footer and About page"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading=_("Contact"),
        ),
        FieldRowPanel(
            [FieldPanel("school_hours"), FieldPanel("second_shift_hours")],
            heading=_("Shift hours (public list of centers)"),
        ),
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programme")

    def __str__(self) -> str:
        return self.name


class StaffNotice(models.Model):
    """A line in a trainer's or manager's admin inbox ("a project was submitted", "your lesson
    was sent back"), shown in the admin home's to-do panel until read. See ``lms.notices``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notices"
    )
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("staff notice")
        verbose_name_plural = _("staff notices")

    def __str__(self) -> str:
        return self.message
