"""Question banks: one or more per course, questions with categories, choices and rubrics.

A bank belongs to a center or, with no center, to the programme (``assessments.ownership`` says
who may see, edit and publish which). Questions are drafted, reviewed and published like lesson
pages (``docs/decisions/0010-question-bank-review.md``): the row holds the published version,
drafts live in revisions. An attempt never reads them after it starts: it keeps a snapshot
(``assessments.snapshot``), so a published edit changes only attempts started later.
"""

from decimal import Decimal

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "code", "image"]

# The Urdu fields are typed and shown right to left whatever the editor's admin language.
URDU_ATTRS = {"dir": "rtl", "lang": "ur"}


def urdu_panel(field_name: str, *, multiline: bool = False, rich: bool = False) -> FieldPanel:
    """The editor's panel for an Urdu field: its input (or, for rich text, its whole panel,
    since Draftail builds its editor in the browser) is ``dir="rtl" lang="ur"``."""
    if rich:
        return FieldPanel(field_name, attrs=URDU_ATTRS)
    widget = forms.Textarea(attrs={**URDU_ATTRS, "rows": 3}) if multiline else None
    return FieldPanel(field_name, widget=widget or forms.TextInput(attrs=URDU_ATTRS))


# File types a project question may accept; the upload's content is checked, not its name.
FILE_TYPES = {
    "pdf": _("PDF document"),
    "png": _("PNG image"),
    "jpg": _("JPEG image"),
    "svg": _("SVG drawing"),
    "zip": _("ZIP archive"),
    "docx": _("Word document"),
    "html": _("HTML page"),
    "txt": _("plain text"),
}


class QuestionBank(models.Model):
    """The questions of one course that assessments draw from, owned by one center or, with no
    center, by the programme (shared by every center, edited by programme admins)."""

    center = models.ForeignKey(
        "lms.Center",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="question_banks",
        verbose_name=_("owner"),
        help_text=_(
            "The center whose trainers write this bank and whose managers review it. "
            "Empty: a programme bank, written and reviewed by programme admins."
        ),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="question_banks",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("center"),
        FieldPanel("course"),
        FieldPanel("title"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        return str(self.center) if self.center_id else str(_("the programme"))


class Question(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """One question with its choices and rubric (child rows, so a revision carries them).

    The row is what learners get: an edit is saved as a revision and reaches new attempts only
    when published, by a reviewer approving it in the "Question review" workflow or by a
    reviewer publishing it directly. A question never published (``live`` false) is never asked.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        TRUE_FALSE = "true_false", _("true / false")
        SHORT_TEXT = "short_text", _("short text")
        NUMERIC = "numeric", _("numeric")
        ESSAY = "essay", _("essay (graded by a trainer)")
        FILE = "file", _("file or project (graded by a trainer with a rubric)")

    class PartialCredit(models.TextChoices):
        ALL_OR_NOTHING = (
            "all_or_nothing",
            _("all or nothing: full points only for exactly the right choices"),
        )
        RIGHT_MINUS_WRONG = (
            "right_minus_wrong",
            _(
                "right minus wrong: each right choice earns its share, each wrong choice "
                "takes a share away, never below zero"
            ),
        )

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE}
    MANUAL_KINDS = {Kind.ESSAY, Kind.FILE}

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="questions", verbose_name=_("bank")
    )
    category = models.CharField(
        _("category"),
        max_length=100,
        blank=True,
        help_text=_("Assessments can draw a number of questions at random from one category."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    prompt = RichTextField(_("question"), features=RICH_TEXT_FEATURES)
    prompt_ur = RichTextField(
        _("question (Urdu)"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("The same question in Urdu. Until it is written, Urdu readers see English."),
    )
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    feedback = RichTextField(
        _("feedback"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Shown with the result, when the assessment shows feedback."),
    )
    feedback_ur = RichTextField(_("feedback (Urdu)"), features=RICH_TEXT_FEATURES, blank=True)
    partial_credit = models.CharField(
        _("partial credit (multiple choice)"),
        max_length=20,
        choices=PartialCredit.choices,
        default=PartialCredit.RIGHT_MINUS_WRONG,
    )
    accepted_answers = models.TextField(
        _("accepted answers (short text)"),
        blank=True,
        help_text=_("One per line. Spaces at either end are ignored."),
    )
    accepted_answers_ur = models.TextField(
        _("accepted answers in Urdu (short text)"),
        blank=True,
        help_text=_(
            "One per line. An answer from either list is right, whichever language the learner "
            "reads in."
        ),
    )
    case_sensitive = models.BooleanField(_("case sensitive (short text)"), default=False)
    numeric_answer = models.DecimalField(
        _("answer (numeric)"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    numeric_tolerance = models.DecimalField(
        _("tolerance (numeric)"),
        max_digits=18,
        decimal_places=6,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("An answer within this distance of the answer, either side, is right."),
    )
    allowed_file_types = models.CharField(
        _("allowed file types (file)"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated, from: %(types)s.") % {"types": ", ".join(FILE_TYPES)},
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="question")

    panels = [
        FieldRowPanel([FieldPanel("bank"), FieldPanel("category")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("points")]),
        FieldPanel("prompt"),
        urdu_panel("prompt_ur", rich=True),
        InlinePanel(
            "choices", heading=_("Choices (single, multiple, true / false)"), label=_("choice")
        ),
        FieldPanel("partial_credit"),
        MultiFieldPanel(
            [
                FieldPanel("accepted_answers"),
                urdu_panel("accepted_answers_ur", multiline=True),
                FieldPanel("case_sensitive"),
            ],
            heading=_("Short text"),
        ),
        FieldRowPanel(
            [FieldPanel("numeric_answer"), FieldPanel("numeric_tolerance")], heading=_("Numeric")
        ),
        FieldPanel("allowed_file_types"),
        InlinePanel("rubric", heading=_("Rubric (essay, file)"), label=_("criterion")),
        FieldPanel("feedback"),
        urdu_panel("feedback_ur", rich=True),
    ]

    class Meta:
        ordering = ["bank", "category", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        from django.utils.html import strip_tags
        from django.utils.text import Truncator

        return Truncator(strip_tags(self.prompt)).chars(80)

    @property
    def revisions(self):
        return self._revisions

    @property
    def is_manual(self) -> bool:
        return self.kind in self.MANUAL_KINDS

    @property
    def accepted_answer_list(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers.splitlines() if line.strip()]

    @property
    def accepted_answer_list_ur(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers_ur.splitlines() if line.strip()]

    @property
    def allowed_file_type_list(self) -> list[str]:
        return [t.strip().lower() for t in self.allowed_file_types.split(",") if t.strip()]

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.SHORT_TEXT and not self.accepted_answer_list:
            errors["accepted_answers"] = _(
                "A short-text question needs at least one accepted answer."
            )
        if self.kind == self.Kind.NUMERIC and self.numeric_answer is None:
            errors["numeric_answer"] = _("A numeric question needs its answer.")
        if self.kind == self.Kind.FILE:
            unknown = [t for t in self.allowed_file_type_list if t not in FILE_TYPES]
            if unknown:
                errors["allowed_file_types"] = _("Unknown file types: %(types)s.") % {
                    "types": ", ".join(unknown)
                }
            elif not self.allowed_file_type_list:
                errors["allowed_file_types"] = _("Say which file types learners may upload.")
        if errors:
            raise ValidationError(errors)

    def choice_problems(self, choices) -> list[str]:
        """What is wrong with ``choices`` (objects with ``is_correct``, e.g. Choice rows) for
        this question's type."""
        if self.kind not in self.CHOICE_KINDS:
            return []
        correct = sum(1 for c in choices if c.is_correct)
        if len(choices) < 2:
            return [_("Give at least two choices.")]
        if self.kind == self.Kind.TRUE_FALSE and len(choices) != 2:
            return [_("A true / false question has exactly two choices.")]
        if self.kind in (self.Kind.SINGLE, self.Kind.TRUE_FALSE) and correct != 1:
            return [_("Mark exactly one choice as correct.")]
        if self.kind == self.Kind.MULTIPLE and correct < 1:
            return [_("Mark at least one choice as correct.")]
        return []


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    text_ur = models.CharField(
        _("text (Urdu)"),
        max_length=500,
        blank=True,
        help_text=_("Until it is written, Urdu readers see the English (True / False excepted)."),
    )
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.CharField(
        _("feedback for this choice"),
        max_length=500,
        blank=True,
        help_text=_("Shown with the result when the learner picked this choice."),
    )
    feedback_ur = models.CharField(_("feedback for this choice (Urdu)"), max_length=500, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("text"), urdu_panel("text_ur")]),
        FieldRowPanel([FieldPanel("feedback"), urdu_panel("feedback_ur")]),
        FieldPanel("is_correct"),
    ]

    def __str__(self) -> str:
        return self.text


class RubricCriterion(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="rubric")
    title = models.CharField(_("criterion"), max_length=200)
    title_ur = models.CharField(_("criterion (Urdu)"), max_length=200, blank=True)
    description = models.TextField(_("what earns the points"), blank=True)
    description_ur = models.TextField(_("what earns the points (Urdu)"), blank=True)
    max_points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), urdu_panel("title_ur"), FieldPanel("max_points")]),
        FieldRowPanel([FieldPanel("description"), urdu_panel("description_ur", multiline=True)]),
    ]

    def __str__(self) -> str:
        return self.title
