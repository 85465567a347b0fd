"""Question import and export use-cases: a file of questions into a bank, all or nothing, and a
bank into a file. The admin's import view and the ``import_questions`` / ``export_questions``
commands call these (``docs/decisions/0021-question-import-formats.md``).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from . import ownership
from .formats import aiken, gift, moodlexml
from .formats.common import FormatError, Problem, QuestionData, question_data_of
from .models import Choice, Question, QuestionBank, RubricCriterion

FORMATS = {
    "gift": gettext_lazy("GIFT"),
    "moodlexml": gettext_lazy("Moodle XML"),
    "aiken": gettext_lazy("Aiken"),
}
EXTENSIONS = {"gift": "gift.txt", "moodlexml": "xml", "aiken": "aiken.txt"}


class ImportRefused(Exception):
    """The user may not import into this bank (or publish there)."""


@dataclass
class ImportOutcome:
    """What a file holds and what is wrong with it; ``saved`` is empty unless all was saved."""

    questions: list[QuestionData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    saved: list[Question] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.questions) and not self.problems


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FormatError(_("The file is not UTF-8 text."), line) from None


def _parse(data: bytes, fmt: str, limit: int):
    if fmt == "moodlexml":
        return moodlexml.parse(data, limit)
    if fmt == "gift":
        return gift.parse(_decode(data), limit)
    if fmt == "aiken":
        return aiken.parse(_decode(data), limit)
    raise FormatError(_("Unknown format: %(format)s.") % {"format": fmt})


def _build(bank: QuestionBank, data: QuestionData) -> tuple[Question, list, list, list[str]]:
    question = Question(
        bank=bank,
        **{
            name: getattr(data, name)
            for name in (
                *("kind", "category", "prompt", "prompt_ur", "points", "feedback", "feedback_ur"),
                *("partial_credit", "accepted_answers", "accepted_answers_ur", "case_sensitive"),
                *("numeric_answer", "numeric_tolerance", "allowed_file_types"),
            )
        },
    )
    choices = [
        Choice(question=question, sort_order=i, **vars(c)) for i, c in enumerate(data.choices)
    ]
    rubric = [
        RubricCriterion(question=question, sort_order=i, **vars(r))
        for i, r in enumerate(data.rubric)
    ]
    messages = []
    for obj, exclude in [(question, ["bank"])] + [(c, ["question"]) for c in choices + rubric]:
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                label = obj._meta.get_field(name).verbose_name if name != "__all__" else ""
                messages += [f"{label}: {e}" if label else e for e in errors]
    messages += [str(m) for m in question.choice_problems(choices)]
    return question, choices, rubric, messages


def questions_preview(*, bank: QuestionBank, data: bytes, fmt: str) -> ImportOutcome:
    """Read ``data`` in ``fmt`` and check every question against Hunar's rules; saves nothing.
    Refuses a file over ``QUESTION_IMPORT_MAX_BYTES`` before reading it and one of more than
    ``QUESTION_IMPORT_MAX_QUESTIONS`` questions before checking them."""
    outcome = ImportOutcome()
    if len(data) > settings.QUESTION_IMPORT_MAX_BYTES:
        outcome.problems.append(
            Problem(
                0,
                _("The file is larger than %(size)s KB; split it into smaller files.")
                % {"size": settings.QUESTION_IMPORT_MAX_BYTES // 1024},
            )
        )
        return outcome
    try:
        parsed = _parse(data, fmt, settings.QUESTION_IMPORT_MAX_QUESTIONS)
    except FormatError as error:
        outcome.problems.append(Problem(error.line, str(error)))
        return outcome
    outcome.questions, outcome.problems = parsed.questions, list(parsed.problems)
    if len(parsed.questions) > settings.QUESTION_IMPORT_MAX_QUESTIONS:
        outcome.problems.insert(
            0,
            Problem(
                0,
                _("The file holds more than %(max)s questions; split it into smaller files.")
                % {"max": settings.QUESTION_IMPORT_MAX_QUESTIONS},
            ),
        )
        return outcome
    for data_question in parsed.questions:
        *_objs, messages = _build(bank, data_question)
        outcome.problems += [Problem(data_question.line, m) for m in messages]
    if not parsed.questions and not outcome.problems:
        outcome.problems.append(Problem(0, _("The file holds no questions.")))
    outcome.problems.sort(key=lambda p: p.line)
    return outcome


def _check_permission(user, bank: QuestionBank, publish: bool) -> None:
    if user is None:  # a management command: the operator holds the server
        return
    if not ownership.banks_editable_by(user).filter(pk=bank.pk).exists():
        raise ImportRefused(_("You may not add questions to this bank."))
    if publish and not ownership.banks_publishable_by(user).filter(pk=bank.pk).exists():
        raise ImportRefused(_("You may not publish questions in this bank."))


@transaction.atomic
def questions_import(
    *, bank: QuestionBank, user, data: bytes, fmt: str, publish: bool = False
) -> ImportOutcome:
    """Import every question of the file into ``bank``, or none: with any problem nothing is
    saved and the outcome lists the problems with their lines. Questions arrive as drafts, each
    with a revision, for the bank's reviewers (decision 0010); ``publish`` publishes them
    instead, for a user who may publish in the bank. ``user`` None is the server operator (a
    management command). Raises :class:`ImportRefused` for a user who may not edit the bank."""
    _check_permission(user, bank, publish)
    outcome = questions_preview(bank=bank, data=data, fmt=fmt)
    if not outcome.ok:
        return outcome
    # Wagtail indexes references on every save (three a question); once a question is enough.
    with disable_reference_index_auto_update():
        for data_question in outcome.questions:
            question, choices, rubric, _messages = _build(bank, data_question)
            question.choices = choices
            question.rubric = rubric
            question.live = False
            question.save()
            log(instance=question, action="wagtail.create", user=user)
            revision = question.save_revision(user=user, log_action=True)
            if publish:
                revision.publish(user=user, skip_permission_checks=True)
            outcome.saved.append(question)
    for question in outcome.saved:
        ReferenceIndex.create_or_update_for_object(question)
    return outcome


def bank_export(*, bank: QuestionBank, fmt: str, user=None) -> tuple[str, list[Question]]:
    """The bank's questions (each as its row holds it: the published version, or the draft of
    one never published) as a file in ``fmt``, and the questions the format cannot hold (Aiken
    holds only single choice and true / false), which are left out."""
    if user is not None and not ownership.banks_visible_to(user).filter(pk=bank.pk).exists():
        raise ImportRefused(_("You may not see this bank."))
    questions = (
        bank.questions.order_by("category", "pk").prefetch_related("choices", "rubric").all()
    )
    datas, left_out = [], []
    for question in questions:
        data = question_data_of(question)
        if fmt == "aiken" and not aiken.fits(data):
            left_out.append(question)
            continue
        datas.append(data)
    writer = {"gift": gift.write, "moodlexml": moodlexml.write, "aiken": aiken.write}[fmt]
    return writer(datas), left_out
