"""Forms of the assessments admin: the bank and question editors and the grade of one manual
answer. The bank and owner choices are those of ``assessments.ownership``, so a forged POST
naming another center's bank or center is refused by validation."""

import html
import re
from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.utils.html import linebreaks, strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.permissions import centers_visible_to, is_programme_admin

from .models import Question, Response
from .ownership import banks_editable_by

CHOICES_NOT_USED = _("Only single choice, multiple choice and true / false questions have choices.")
RUBRIC_NOT_USED = _("Only essay and file questions are graded with a rubric.")
RUBRIC_WITHOUT_POINTS = _("The rubric's criteria must be worth more than 0 points together.")
SCORE_MISSING = _("Give a score.")
REASON_REQUIRED = _("Say why the grade is changed.")
OWNER_CHANGE_REFUSED = _(
    "A question stays with its bank's owner: copy it into a bank of the other owner instead."
)


def _kept_rows(formset) -> list[dict]:
    """The inline rows that will be saved: filled in and not marked for deletion."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not formset._should_delete_form(form)
    ]


class QuestionBankForm(WagtailAdminModelForm):
    """The bank editor: the owner is one of the editor's centers; only a programme admin may
    leave it empty (a programme bank) or pick any center."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        if is_programme_admin(self.for_user):
            field.empty_label = _("The programme (shared by every center)")
        else:
            field.queryset = centers_visible_to(self.for_user)
            field.required = True


class QuestionForm(WagtailAdminModelForm):
    """The question editor. Besides the question's own checks (``Question.clean``) it checks the
    choices and the rubric together with the type, so an inconsistent question is never saved.
    The bank is one the editor may edit, with the same owner as before."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks_editable_by(self.for_user).order_by("title")

    def clean_bank(self):
        bank = self.cleaned_data["bank"]
        current = self.instance.bank if self.instance.pk else None
        if current is not None and bank.center_id != current.center_id:
            raise forms.ValidationError(OWNER_CHANGE_REFUSED)
        return bank

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        choices, rubric = self.formsets.get("choices"), self.formsets.get("rubric")
        if not kind or choices is None or rubric is None:
            return cleaned
        if not (choices.is_valid() and rubric.is_valid()):
            return cleaned  # the rows' own errors are shown first
        choice_rows = [SimpleNamespace(**row) for row in _kept_rows(choices)]
        if kind in Question.CHOICE_KINDS:
            for problem in Question(kind=kind).choice_problems(choice_rows):
                self.add_error(None, problem)
        elif choice_rows:
            self.add_error(None, CHOICES_NOT_USED)
        criteria = _kept_rows(rubric)
        if criteria and kind not in Question.MANUAL_KINDS:
            self.add_error(None, RUBRIC_NOT_USED)
        elif criteria and sum(row["max_points"] or 0 for row in criteria) <= 0:
            self.add_error(None, RUBRIC_WITHOUT_POINTS)
        return cleaned


def feedback_html(text: str) -> str:
    """The grader's plain-text feedback as HTML paragraphs (escaped)."""
    return linebreaks(text.strip(), autoescape=True) if text.strip() else ""


def feedback_text(stored_html: str) -> str:
    """Stored feedback HTML back to the text a grader edits."""
    text = re.sub(r"<br\s*/?>", "\n", stored_html or "")
    text = re.sub(r"</p>\s*", "\n\n", text)
    return html.unescape(strip_tags(text)).strip()


class TextField(forms.CharField):
    """A textarea's text with the browser's CRLF line ends made LF, so unchanged text compares
    equal to what the form was rendered with."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class ResponseGradeForm(forms.Form):
    """The grade of one essay or file answer: a score per rubric criterion (or one score when
    the question has no rubric), feedback, and a reason whenever an existing grade changes.

    After validation, ``to_save`` says whether there is anything to save: an ungraded answer
    left blank, or a graded one left as it was, is skipped.
    """

    feedback = TextField(
        label=_("Feedback"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the learner with the result."),
    )
    reason = TextField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you change a grade already given."),
    )

    def __init__(self, data=None, *, response: Response, question: dict):
        # ``question``: the snapshot question, in the grader's language (assessments.localize).
        self.response = response
        self.question = question
        self.rubric = question.get("rubric") or []
        self.to_save = False
        super().__init__(data, prefix=f"r{response.position}", initial=self._current())
        fields = {}
        if self.rubric:
            for index, criterion in enumerate(self.rubric):
                fields[f"criterion_{index}"] = forms.DecimalField(
                    label=criterion["title"],
                    help_text=criterion.get("description", ""),
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(criterion["max_points"]),
                    decimal_places=2,
                )
        else:
            fields["score"] = forms.DecimalField(
                label=_("Score"),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(question["points"]),
                decimal_places=2,
            )
        # Scores first, then feedback and reason.
        self.fields = {**fields, **self.fields}

    @property
    def score_names(self) -> list[str]:
        if self.rubric:
            return [f"criterion_{index}" for index in range(len(self.rubric))]
        return ["score"]

    @property
    def score_fields(self):
        return [self[name] for name in self.score_names]

    @property
    def criteria_fields(self):
        """``(field, criterion)`` per rubric criterion, for the criterion's language marks."""
        return list(zip(self.score_fields, self.rubric, strict=False))

    @property
    def is_graded(self) -> bool:
        return self.response.score is not None

    def _current(self) -> dict:
        response = self.response
        if response.score is None:
            return {}
        initial = {"feedback": feedback_text(response.feedback)}
        if self.rubric and response.rubric_scores:
            for index, value in enumerate(response.rubric_scores):
                initial[f"criterion_{index}"] = Decimal(value)
        elif not self.rubric:
            initial["score"] = response.score
        return initial

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in self.score_names):
            return cleaned
        values = [cleaned.get(name) for name in self.score_names]
        blank = all(value is None for value in values)
        if blank and not self.is_graded and not cleaned.get("feedback", "").strip():
            return cleaned  # not graded yet, and left blank: nothing to save
        for name, value in zip(self.score_names, values, strict=True):
            if value is None:
                self.add_error(name, SCORE_MISSING)
        changed = [name for name in self.changed_data if name != "reason"]
        if self.is_graded and not changed:
            return cleaned
        if self.is_graded and not cleaned.get("reason", "").strip():
            self.add_error("reason", REASON_REQUIRED)
        self.to_save = not self.errors
        return cleaned

    def grade_arguments(self) -> dict:
        """Keyword arguments for ``services.response_grade``."""
        data = self.cleaned_data
        scores = [data[name] for name in self.score_names]
        arguments = {"feedback": feedback_html(data["feedback"]), "reason": data["reason"]}
        if self.rubric:
            arguments["rubric_scores"] = scores
        else:
            arguments["score"] = scores[0]
        return arguments
