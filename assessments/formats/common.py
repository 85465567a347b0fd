"""What every question file format shares: the parsed question, problems with their line, the
two languages in one text (Moodle's multilang convention) and the rich-text rules.

A format module turns a file into :class:`QuestionData` rows and :class:`Problem` rows and back;
it never touches the database (``assessments.importing`` does, all or nothing).
"""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from content.sanitize import clean_html

SINGLE, MULTIPLE, TRUE_FALSE = "single", "multiple", "true_false"
SHORT_TEXT, NUMERIC, ESSAY, FILE = "short_text", "numeric", "essay", "file"
ALL_OR_NOTHING, RIGHT_MINUS_WRONG = "all_or_nothing", "right_minus_wrong"

# True / false questions carry no labels in GIFT, Moodle XML or Aiken: these are the ones an
# imported question gets, and the ones an exported question is read by.
TRUE_LABELS = ("True", "درست")
FALSE_LABELS = ("False", "غلط")


@dataclass
class ChoiceData:
    text: str
    is_correct: bool = False
    text_ur: str = ""
    feedback: str = ""
    feedback_ur: str = ""


@dataclass
class CriterionData:
    title: str
    max_points: Decimal
    title_ur: str = ""
    description: str = ""
    description_ur: str = ""


@dataclass
class QuestionData:
    """One question as a file holds it; ``line`` is where it starts (1-based)."""

    kind: str
    prompt: str
    line: int = 0
    prompt_ur: str = ""
    category: str = ""
    points: Decimal = Decimal(1)
    feedback: str = ""
    feedback_ur: str = ""
    partial_credit: str = RIGHT_MINUS_WRONG
    accepted_answers: str = ""
    accepted_answers_ur: str = ""
    case_sensitive: bool = False
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)
    allowed_file_types: str = ""
    choices: list[ChoiceData] = field(default_factory=list)
    rubric: list[CriterionData] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Parsed:
    questions: list[QuestionData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class FormatError(Exception):
    """The file cannot be read at all (not UTF-8, not XML); ``line`` where known."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


# --- two languages in one text ---------------------------------------------------------------

_SPAN_OPEN = re.compile(
    r'<span\s+(?:lang="(?P<a>[\w-]+)"\s+class="multilang"|class="multilang"\s+lang="(?P<b>[\w-]+)")'
    r"\s*>",
    re.I,
)
_MLANG_OPEN = re.compile(r"\{mlang\s+(?P<a>[\w-]+)\}", re.I)


def _blocks(text: str, opening: re.Pattern, closing: str):
    """(language, text) of each block; linear in the text, whatever a hostile file repeats (a
    lazy ``.*?`` up to the closing tag would rescan the rest of the text for every opening)."""
    position, lowered = 0, text.lower()
    while match := opening.search(text, position):
        end = lowered.find(closing, match.end())
        if end < 0:
            return
        lang = (match.group("a") or match.groupdict().get("b") or "").lower()
        yield lang.replace("_", "-").split("-")[0], text[match.end() : end]
        position = end + len(closing)


def split_languages(text: str) -> tuple[str, str]:
    """(English, Urdu) from a text in Moodle's multilang form (``<span lang="ur"
    class="multilang">`` or ``{mlang ur}``); a text with neither is all English. A language
    other than Urdu counts as English when no English is given (Moodle's "other")."""
    parts: dict[str, str] = {}
    for lang, block in [
        *_blocks(text, _SPAN_OPEN, "</span>"),
        *_blocks(text, _MLANG_OPEN, "{mlang}"),
    ]:
        parts.setdefault(lang, block)
    if not parts:
        return text, ""
    urdu = parts.pop("ur", "")
    english = parts.pop("en", "") or next(iter(parts.values()), "")
    return english, urdu


def join_languages(english: str, urdu: str) -> str:
    """The multilang text Moodle's core filter shows per language; English alone when there is
    no Urdu, so a file without Urdu stays plain."""
    if not urdu:
        return english
    return (
        f'<span lang="en" class="multilang">{english}</span>'
        f'<span lang="ur" class="multilang">{urdu}</span>'
    )


# --- rich and plain text ----------------------------------------------------------------------

_EMBEDDED = re.compile(r"@@PLUGINFILE@@|\bsrc\s*=\s*[\"']?\s*data:", re.I)


def embedded_file_problem(text: str) -> str | None:
    if _EMBEDDED.search(text):
        return _(
            "The question embeds a file (an image uploaded into Moodle or a data: URL). Hunar "
            "does not import embedded files: upload the image to Hunar's images and link it, "
            "or remove it, then import again."
        )
    return None


def rich(text: str) -> str:
    """A rich-text field's value: sanitized HTML, with a bare text wrapped in a paragraph."""
    text = text.strip()
    if not text:
        return ""
    if "<" not in text:
        text = "<p>" + html.escape(html.unescape(text), quote=False).replace("\n", "<br/>") + "</p>"
    return clean_html(text)


def plain(text: str) -> str:
    """A plain field's value (choice text, choice feedback) from HTML or text."""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    return html.unescape(strip_tags(text)).strip()


def plain_to_html(text: str) -> str:
    return html.escape(text, quote=False)


URDU_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def split_answers_by_script(answers: list[str]) -> tuple[str, str]:
    """Accepted answers (short text) go to the Urdu list when written in Urdu script: both lists
    are right in either language, so this decides only where a trainer sees them."""
    english = [a for a in answers if not URDU_SCRIPT.search(a)]
    urdu = [a for a in answers if URDU_SCRIPT.search(a)]
    return "\n".join(english), "\n".join(urdu)


def decimal_or_none(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def number_text(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 1024.000000 -> "1024", 0.50 -> "0.5"."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def true_choice_first(choices: list[ChoiceData]) -> bool | None:
    """Which of a true / false question's two choices is the statement "true"."""
    for index, choice in enumerate(choices):
        if choice.text.strip().lower() in {t.lower() for t in TRUE_LABELS}:
            return index == 0
    return True


def true_false_choices(answer_true: bool, fb_true="", fb_false="", fb_true_ur="", fb_false_ur=""):
    return [
        ChoiceData(TRUE_LABELS[0], answer_true, TRUE_LABELS[1], fb_true, fb_true_ur),
        ChoiceData(FALSE_LABELS[0], not answer_true, FALSE_LABELS[1], fb_false, fb_false_ur),
    ]


def question_data_of(question) -> QuestionData:
    """A saved question as a format writes it."""
    return QuestionData(
        kind=question.kind,
        prompt=question.prompt,
        prompt_ur=question.prompt_ur,
        category=question.category,
        points=question.points,
        feedback=question.feedback,
        feedback_ur=question.feedback_ur,
        partial_credit=question.partial_credit,
        accepted_answers="\n".join(question.accepted_answer_list),
        accepted_answers_ur="\n".join(
            a.strip() for a in question.accepted_answers_ur.splitlines() if a.strip()
        ),
        case_sensitive=question.case_sensitive,
        numeric_answer=question.numeric_answer,
        numeric_tolerance=question.numeric_tolerance,
        allowed_file_types=",".join(question.allowed_file_type_list),
        choices=[
            ChoiceData(c.text, c.is_correct, c.text_ur, c.feedback, c.feedback_ur)
            for c in question.choices.all()
        ],
        rubric=[
            CriterionData(r.title, r.max_points, r.title_ur, r.description, r.description_ur)
            for r in question.rubric.all()
        ],
    )
