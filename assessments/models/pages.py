"""AssessmentPage: a quiz or a practical project under a CoursePage."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.ordering import CourseChildPagePermissionsMixin

from ..page_forms import AssessmentPageForm
from .questions import Question


class AssessmentPage(CourseChildPagePermissionsMixin, Page):
    class Kind(models.TextChoices):
        QUIZ = "quiz", _("quiz")
        PROJECT = "project", _("practical project")

    class FeedbackTiming(models.TextChoices):
        AFTER_SUBMIT = "after_submit", _("as soon as the attempt is graded")
        AFTER_CLOSE = "after_close", _("after the assessment closes")
        NEVER = "never", _("never (score only)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUIZ)
    intro = RichTextField(_("instructions"), blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=False)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0 means no time limit.")
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    feedback_timing = models.CharField(
        _("show feedback"),
        max_length=20,
        choices=FeedbackTiming.choices,
        default=FeedbackTiming.AFTER_SUBMIT,
    )
    show_correct_answers = models.BooleanField(
        _("show the correct answers with the feedback"), default=True
    )
    required_for_completion = models.BooleanField(
        _("required for course completion"),
        default=True,
        help_text=_("The course is complete only when the learner has passed this."),
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=5, validators=[MinValueValidator(1)]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        InlinePanel("fixed_questions", heading=_("Questions (always asked)"), label=_("question")),
        InlinePanel("draws", heading=_("Questions drawn at random per attempt"), label=_("draw")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("questions_per_page"),
            ],
            heading=_("Order"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("max_attempts")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel(
                    [FieldPanel("pass_mark_percent"), FieldPanel("required_for_completion")]
                ),
                FieldRowPanel([FieldPanel("feedback_timing"), FieldPanel("show_correct_answers")]),
            ],
            heading=_("Rules"),
        ),
    ]
    # Question and bank choices scoped to the editor (assessments.ownership).
    base_form_class = AssessmentPageForm
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "assessments/assessment_page.html"

    class Meta:
        verbose_name = _("assessment")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("An assessment must close after it opens.")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    def feedback_visible(self, now=None) -> bool:
        if self.feedback_timing == self.FeedbackTiming.NEVER:
            return False
        if self.feedback_timing == self.FeedbackTiming.AFTER_CLOSE:
            return bool(self.closes_at) and (now or timezone.now()) >= self.closes_at
        return True

    def get_context(self, request, *args, **kwargs):
        from assessments.selectors import assessment_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(assessment_page_context(page=self, user=request.user))
        return context


class AssessmentQuestion(Orderable):
    """A question every attempt of the assessment asks."""

    page = ParentalKey(AssessmentPage, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )

    panels = [FieldPanel("question")]


class AssessmentDraw(Orderable):
    """``count`` questions drawn at random, per attempt, from one category of a bank."""

    page = ParentalKey(AssessmentPage, on_delete=models.CASCADE, related_name="draws")
    bank = models.ForeignKey(
        "assessments.QuestionBank",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bank"),
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    count = models.PositiveSmallIntegerField(_("how many"), validators=[MinValueValidator(1)])

    panels = [FieldRowPanel([FieldPanel("bank"), FieldPanel("category"), FieldPanel("count")])]
