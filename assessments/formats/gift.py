"""GIFT, Moodle's plain-text question format, read and written.

Read: questions separated by blank lines, ``//`` comments, ``$CATEGORY:``, ``::title::``,
``[html]`` / ``[plain]`` / ``[moodle]`` text, the escapes ``\\~ \\= \\# \\{ \\} \\: \\n \\\\``,
``{=right ~wrong#feedback}``, weights ``~%50%``, ``{T}`` / ``{FALSE#wrong#right}``, ``{=a =b}``
short answers, ``{#5:0.1}`` / ``{#5..7}`` / ``{#=5:0 =%0%6}`` numbers, ``{}`` essays and
``####general feedback``. What Hunar holds and GIFT does not (points, all-or-nothing partial
credit, case sensitivity, file questions and their types, rubrics) rides in one comment line
before the question, ``// hunar: {"points": "2", ...}`` (JSON), which Moodle ignores.
Urdu rides in Moodle's multilang spans (``common.split_languages``).
"""

import html
import json
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .common import (
    ALL_OR_NOTHING,
    ESSAY,
    FILE,
    MULTIPLE,
    NUMERIC,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    ChoiceData,
    CriterionData,
    Parsed,
    Problem,
    QuestionData,
    decimal_or_none,
    embedded_file_problem,
    join_languages,
    number_text,
    plain,
    plain_to_html,
    rich,
    split_answers_by_script,
    split_languages,
    true_choice_first,
    true_false_choices,
)

SPECIALS = "~=#{}:"
# Escaped characters stand in as private-use characters while the text is split.
_HOLD = {c: chr(0xE000 + i) for i, c in enumerate(SPECIALS + "\\")}
_RELEASE = {v: k for k, v in _HOLD.items()}
META = re.compile(r"^//\s*hunar:\s*(?P<json>.*)$")
META_KEYS = {"kind", "points", "partial_credit", "case_sensitive", "file_types", "rubric"}
CRITERION_KEYS = {"title", "title_ur", "description", "description_ur", "points"}
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def _hold(text: str) -> str:
    text = "".join(c for c in text if not 0xE000 <= ord(c) <= 0xE00F)
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _HOLD:
                out.append(_HOLD[nxt])
                i += 2
                continue
            if nxt == "n":
                out.append("\n")
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _release(text: str) -> str:
    return "".join(_RELEASE.get(c, c) for c in text).strip()


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for c in SPECIALS:
        text = text.replace(c, "\\" + c)
    return text.replace("\r", "").replace("\n", "\\n")


def parse(text: str, limit: int | None = None) -> Parsed:
    """The questions of ``text``; reading stops one question past ``limit``."""
    parsed = Parsed()
    category = ""
    block: list[tuple[int, str]] = []
    lines = text.splitlines()
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            block.append((number, line))
            continue
        if block:
            category = _block(block, category, parsed)
            block = []
            if limit is not None and len(parsed.questions) > limit:
                break
    return parsed


def _block(block, category, parsed: Parsed) -> str:
    meta, meta_line, body = {}, 0, []
    for number, line in block:
        stripped = line.strip()
        match = META.match(stripped)
        if match:
            meta_line = number
            try:
                meta = json.loads(match.group("json"))
                if not isinstance(meta, dict):
                    raise ValueError
            except ValueError:
                parsed.problems.append(Problem(number, _("The hunar: comment is not valid JSON.")))
                meta = {"invalid": True}
            continue
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            path = stripped[len("$CATEGORY:") :].strip()
            category = path.rstrip("/").split("/")[-1].strip() if path else ""
            continue
        body.append((number, line))
    if not body:
        return category
    start = body[0][0]
    question = _question(start, "\n".join(line for _n, line in body), category, parsed)
    if question is not None:
        if meta:
            _apply_meta(question, meta, meta_line or start, parsed)
        # Listed in the preview even with problems, beside them.
        parsed.questions.append(question)
    return category


def _question(line: int, raw: str, category: str, parsed: Parsed) -> QuestionData | None:
    def problem(message):
        parsed.problems.append(Problem(line, message))

    text = _hold(raw).strip()
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            problem(_("The question's title has no closing '::'."))
            return None
        text = text[end + 2 :].strip()
    fmt = "moodle"
    match = re.match(r"^\[(html|moodle|plain|markdown)\]", text)
    if match:
        fmt = match.group(1)
        text = text[match.end() :].strip()
    opening = text.find("{")
    closing = text.find("}", opening + 1)
    if opening < 0:
        problem(_("This question has no answer part in { }: descriptions are not questions."))
        return None
    if closing < 0:
        problem(_("The answer part opened with '{' is never closed with '}'."))
        return None
    if "{" in text[opening + 1 : closing] or "{" in text[closing + 1 :]:
        problem(_("Only one answer part in { } per question (escape a literal brace as \\{)."))
        return None
    before, body, after = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
    prompt_text = _release(before)
    if _release(after):
        prompt_text = f"{prompt_text} _____ {_release(after)}"
    embedded = embedded_file_problem(prompt_text)
    if embedded:
        problem(embedded)
    as_rich = (lambda t: rich(t)) if fmt == "html" else (lambda t: rich(html.escape(t) or ""))
    as_plain = plain if fmt == "html" else (lambda t: t.strip())
    english, urdu = split_languages(prompt_text)
    question = QuestionData(
        kind=ESSAY, prompt=as_rich(english), prompt_ur=as_rich(urdu), line=line, category=category
    )
    body = body.strip()
    if "####" in body:
        body, general = body.split("####", 1)
        question.feedback, question.feedback_ur = (
            as_rich(part) for part in split_languages(_release(general))
        )
        body = body.strip()
    if not body:
        return question
    if body.startswith("#"):
        return _numeric(question, body[1:], problem)
    tf = re.match(r"^(T|TRUE|F|FALSE)\s*(#|$)", body, re.I)
    if tf:
        feedbacks = [split_languages(_release(p)) for p in body.split("#")[1:3]]
        wrong = [as_plain(p) for p in feedbacks[0]] if feedbacks else ["", ""]
        right = [as_plain(p) for p in feedbacks[1]] if len(feedbacks) > 1 else ["", ""]
        answer = tf.group(1).upper().startswith("T")
        fb_true, fb_false = (right, wrong) if answer else (wrong, right)
        question.kind = TRUE_FALSE
        question.choices = true_false_choices(
            answer, fb_true[0], fb_false[0], fb_true[1], fb_false[1]
        )
        return question
    return _choices(question, body, as_plain, problem)


def _numeric(question: QuestionData, body: str, problem) -> QuestionData:
    question.kind = NUMERIC
    body = body.strip()
    tokens = [t for t in body.split("=")] if body.startswith("=") else [body]
    best = None
    for token in tokens:
        token = token.strip()
        if not token:
            continue
        weight = Decimal(100)
        match = WEIGHT.match(token)
        if match:
            weight = Decimal(match.group(1))
            token = token[match.end() :]
        value = _release(token.split("#", 1)[0])
        if ".." in value:
            low, high = (decimal_or_none(v) for v in value.split("..", 1))
            if low is None or high is None or high < low:
                problem(_("'%(value)s' is not a range of numbers.") % {"value": value})
                continue
            answer, tolerance = (low + high) / 2, (high - low) / 2
        else:
            number, _sep, tol = value.partition(":")
            answer, tolerance = decimal_or_none(number), decimal_or_none(tol or "0")
            if answer is None or tolerance is None:
                problem(_("'%(value)s' is not a number.") % {"value": value})
                continue
        if weight == 100 and best is None:
            best = (answer, abs(tolerance))
        elif 0 < weight < 100:
            problem(_("Hunar gives no partial credit for a near number: remove the % answers."))
    if best is None:
        problem(_("A numeric question needs an answer worth 100%."))
    else:
        question.numeric_answer, question.numeric_tolerance = best
    return question


def _choices(question: QuestionData, body: str, as_plain, problem) -> QuestionData:
    tokens = [t for t in re.split(r"(?=[=~])", body) if t.strip()]
    if tokens and tokens[0][0] not in "=~":
        problem(_("Each answer starts with = (right) or ~ (wrong)."))
        return question
    options = []
    for token in tokens:
        marker, rest = token[0], token[1:].strip()
        weight = Decimal(100) if marker == "=" else Decimal(0)
        match = WEIGHT.match(rest)
        if match:
            weight = Decimal(match.group(1))
            rest = rest[match.end() :]
        text, _sep, feedback = rest.partition("#")
        options.append((marker, weight, _release(text), _release(feedback)))
    if all(marker == "=" and "->" in text for marker, _w, text, _f in options):
        problem(_("Matching questions are not a Hunar question type."))
        return question
    if all(marker == "=" for marker, *_rest in options):
        if any(weight != 100 for _m, weight, *_rest in options):
            problem(_("Hunar gives no partial credit for a short answer: remove the % weights."))
        question.kind = SHORT_TEXT
        question.accepted_answers, question.accepted_answers_ur = split_answers_by_script(
            [as_plain(text) for _m, _w, text, _f in options]
        )
        return question
    equals = sum(1 for marker, *_rest in options if marker == "=")
    weighted = any(m == "~" and w > 0 for m, w, *_rest in options)
    question.kind = SINGLE if equals == 1 and not weighted else MULTIPLE
    for _marker, weight, text, feedback in options:
        text_en, text_ur = (as_plain(p) for p in split_languages(text))
        fb_en, fb_ur = (as_plain(p) for p in split_languages(feedback))
        question.choices.append(ChoiceData(text_en, weight > 0, text_ur, fb_en, fb_ur))
    return question


def _apply_meta(question: QuestionData, meta: dict, line: int, parsed: Parsed) -> None:
    def problem(message):
        parsed.problems.append(Problem(line, message))

    if meta.get("invalid"):
        return
    unknown = set(meta) - META_KEYS
    if unknown:
        problem(_("Unknown hunar: keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    if "points" in meta:
        points = decimal_or_none(str(meta["points"]))
        if points is None:
            problem(_("points must be a number."))
        else:
            question.points = points
    kind = meta.get("kind")
    if kind == FILE and question.kind == ESSAY:
        question.kind = FILE
    elif kind not in (None, question.kind):
        problem(_("hunar: says %(kind)s, the answers say otherwise.") % {"kind": kind})
    if meta.get("partial_credit") == ALL_OR_NOTHING:
        question.partial_credit = ALL_OR_NOTHING
    question.case_sensitive = bool(meta.get("case_sensitive", False))
    question.allowed_file_types = str(meta.get("file_types", ""))
    rubric = meta.get("rubric", [])
    if not isinstance(rubric, list):
        problem(_("rubric must be a list."))
        return
    for item in rubric:
        if not isinstance(item, dict) or set(item) - CRITERION_KEYS:
            problem(_("Each rubric criterion has title, description and points."))
            continue
        points = decimal_or_none(str(item.get("points", "")))
        if points is None:
            problem(_("A rubric criterion's points must be a number."))
            continue
        question.rubric.append(
            CriterionData(
                title=str(item.get("title", "")),
                max_points=points,
                title_ur=str(item.get("title_ur", "")),
                description=str(item.get("description", "")),
                description_ur=str(item.get("description_ur", "")),
            )
        )


# --- writing ----------------------------------------------------------------------------------


def _weight(value: Decimal) -> str:
    return f"%{number_text(value.quantize(Decimal('0.00001')))}%"


def _title(question: QuestionData, number: int) -> str:
    words = plain(question.prompt).split()
    return escape(" ".join(words)[:40] or f"Q{number}")


def _choice_text(choice: ChoiceData) -> str:
    text = escape(join_languages(plain_to_html(choice.text), plain_to_html(choice.text_ur)))
    if choice.feedback or choice.feedback_ur:
        fb = join_languages(plain_to_html(choice.feedback), plain_to_html(choice.feedback_ur))
        text += "#" + escape(fb)
    return text


def _meta(question: QuestionData) -> dict:
    meta = {}
    if question.points != 1:
        meta["points"] = number_text(question.points)
    if question.kind == FILE:
        meta["kind"] = FILE
        meta["file_types"] = question.allowed_file_types
    if question.kind == MULTIPLE and question.partial_credit == ALL_OR_NOTHING:
        meta["partial_credit"] = ALL_OR_NOTHING
    if question.kind == SHORT_TEXT and question.case_sensitive:
        meta["case_sensitive"] = True
    if question.rubric:
        meta["rubric"] = [
            {
                "title": r.title,
                "title_ur": r.title_ur,
                "description": r.description,
                "description_ur": r.description_ur,
                "points": number_text(r.max_points),
            }
            for r in question.rubric
        ]
    return meta


def _answers(question: QuestionData) -> str:
    kind = question.kind
    if kind == SINGLE:
        return " ".join(("=" if c.is_correct else "~") + _choice_text(c) for c in question.choices)
    if kind == MULTIPLE:
        right = [c for c in question.choices if c.is_correct]
        wrong = [c for c in question.choices if not c.is_correct]
        parts = []
        for c in question.choices:
            share = Decimal(100) / (len(right) if c.is_correct else -len(wrong))
            parts.append("~" + _weight(share) + _choice_text(c))
        return " ".join(parts)
    if kind == TRUE_FALSE:
        first_is_true = true_choice_first(question.choices)
        true_choice, false_choice = question.choices if first_is_true else question.choices[::-1]
        answer = true_choice.is_correct
        right, wrong = (true_choice, false_choice) if answer else (false_choice, true_choice)

        def fb(c):
            return escape(join_languages(plain_to_html(c.feedback), plain_to_html(c.feedback_ur)))

        text = "TRUE" if answer else "FALSE"
        if wrong.feedback or right.feedback or wrong.feedback_ur or right.feedback_ur:
            text += f"#{fb(wrong)}#{fb(right)}"
        return text
    if kind == SHORT_TEXT:
        answers = [
            *question.accepted_answers.splitlines(),
            *question.accepted_answers_ur.splitlines(),
        ]
        return " ".join("=" + escape(plain_to_html(a)) for a in answers if a.strip())
    if kind == NUMERIC:
        return f"#{number_text(question.numeric_answer)}:{number_text(question.numeric_tolerance)}"
    return ""


def write(questions: list[QuestionData]) -> str:
    out = ["// Exported from Hunar. Urdu text is in Moodle multilang spans.", ""]
    category = ""
    for number, question in enumerate(questions, start=1):
        if question.category != category:
            category = question.category
            out += [f"$CATEGORY: {category}", ""]
        meta = _meta(question)
        if meta:
            out.append("// hunar: " + json.dumps(meta, ensure_ascii=False))
        prompt = escape(join_languages(question.prompt, question.prompt_ur))
        answers = _answers(question)
        if question.feedback or question.feedback_ur:
            answers += "####" + escape(join_languages(question.feedback, question.feedback_ur))
        out.append(f"::{_title(question, number)}::[html]{prompt}{{{answers}}}")
        out.append("")
    return "\n".join(out)
