"""Automatic scoring of one answer against one snapshot question. Pure: no database, no clock.

Rules (stated to trainers in the question form, and tested as properties):
- single choice, true / false: full points for the correct choice, else 0.
- multiple choice, all or nothing: full points for exactly the set of correct choices, else 0.
- multiple choice, right minus wrong: each correct choice picked earns points / (number of
  correct choices); each wrong choice picked takes away points / (number of wrong choices);
  the total is never below 0. Picking everything therefore scores 0, picking nothing scores 0.
- short text: trimmed, inner runs of spaces collapsed, compared case-insensitively unless the
  question is case sensitive; any accepted answer, English or Urdu (``accepted`` and
  ``accepted_ur``), earns full points whichever language the learner read in. Both sides are
  Unicode-normalised (NFKC), Urdu and Arabic-Indic digits read as 0-9, the Arabic letters an
  Arabic keyboard types (ي ى ك ه) as their Urdu forms (ی ی ک ہ), and optional Arabic
  diacritics, tatweel and zero-width joiners dropped.
- numeric: full points when |answer - expected| <= tolerance (the same either side), else 0;
  Urdu and Arabic-Indic digits and the Arabic decimal mark are read; something that is not a
  number scores 0.
- essay, file: ``None`` (a trainer grades them).
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MANUAL_KINDS = frozenset({"essay", "file"})
CHOICE_KINDS = frozenset({"single", "multiple", "true_false"})
CENT = Decimal("0.01")


def _points(question: dict) -> Decimal:
    return Decimal(str(question["points"]))


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Extended Arabic-Indic (Urdu) and Arabic-Indic digits, the Arabic decimal and thousands marks,
# and the Arabic letters an Arabic keyboard types where Urdu has its own (yeh, alef maksura,
# kaf, heh): the same answer typed on either keyboard compares equal.
_DIGITS = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
_URDU_LETTERS = {"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0647": "\u06c1"}
_TEXT_MAP = {**_DIGITS, **{ord(k): v for k, v in _URDU_LETTERS.items()}}
_NUMBER_MAP = {**_DIGITS, ord("\u066b"): ".", ord("\u066c"): "", ord("\u2212"): "-"}
# Harakat, superscript alef, tatweel, zero-width (non-)joiners: optional in written Urdu.
_OPTIONAL_MARKS = re.compile("[\u064b-\u0652\u0670\u0640\u200c\u200d]")


def normalize_text(text: str, *, case_sensitive: bool) -> str:
    text = unicodedata.normalize("NFKC", str(text)).translate(_TEXT_MAP)
    # An answer made only of such marks is kept as typed rather than becoming empty.
    text = _OPTIONAL_MARKS.sub("", text) if _OPTIONAL_MARKS.sub("", text).strip() else text
    collapsed = " ".join(text.split())
    if case_sensitive:
        return collapsed
    return unicodedata.normalize("NFKC", collapsed.casefold())


def parse_number(text) -> Decimal | None:
    """A learner's number: accepts spaces, a comma or the Arabic mark as decimal mark, Urdu
    and Arabic-Indic digits; None when not a number."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", str(text)).translate(_NUMBER_MAP)
    cleaned = "".join(cleaned.split()).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def chosen_ids(answer) -> set[int]:
    if answer is None:
        return set()
    values = answer if isinstance(answer, list) else [answer]
    ids = set()
    for value in values:
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            continue
    return ids


def score_answer(question: dict, answer) -> Decimal | None:
    """Points earned, within [0, points]; ``None`` for a question a trainer grades."""
    kind = question["kind"]
    if kind in MANUAL_KINDS:
        return None
    points = _points(question)
    if kind in CHOICE_KINDS:
        return _quantize(_score_choices(question, chosen_ids(answer), points))
    if kind == "short_text":
        if answer is None:
            return Decimal(0)
        case_sensitive = bool(question.get("case_sensitive"))
        given = normalize_text(answer, case_sensitive=case_sensitive)
        answers = [*question["accepted"], *(question.get("accepted_ur") or [])]
        accepted = {normalize_text(a, case_sensitive=case_sensitive) for a in answers}
        return points if given and given in accepted else Decimal(0)
    if kind == "numeric":
        given = parse_number(answer)
        if given is None:
            return Decimal(0)
        expected = Decimal(str(question["numeric_answer"]))
        tolerance = abs(Decimal(str(question.get("tolerance") or 0)))
        return points if abs(given - expected) <= tolerance else Decimal(0)
    raise ValueError(f"unknown question kind {kind!r}")


def _score_choices(question: dict, chosen: set[int], points: Decimal) -> Decimal:
    choices = question["choices"]
    correct = {c["id"] for c in choices if c["correct"]}
    wrong = {c["id"] for c in choices if not c["correct"]}
    chosen = chosen & (
        correct | wrong
    )  # ids that are not choices of this question count for nothing
    if question["kind"] in ("single", "true_false"):
        return points if len(chosen) == 1 and chosen <= correct else Decimal(0)
    if question.get("partial_credit") == "all_or_nothing":
        return points if chosen == correct else Decimal(0)
    earned = points * len(chosen & correct) / len(correct)
    if wrong:
        earned -= points * len(chosen & wrong) / len(wrong)
    return min(points, max(Decimal(0), earned))


def rubric_score(question: dict, criterion_scores: list) -> Decimal:
    """A trainer's rubric marks turned into the question's points (scaled to its total)."""
    rubric = question.get("rubric") or []
    if not rubric:
        raise ValueError("question has no rubric")
    if len(criterion_scores) != len(rubric):
        raise ValueError("one score per rubric criterion is needed")
    total_max = sum(Decimal(str(c["max_points"])) for c in rubric)
    total = Decimal(0)
    for criterion, given in zip(rubric, criterion_scores, strict=True):
        value = Decimal(str(given))
        maximum = Decimal(str(criterion["max_points"]))
        if value < 0 or value > maximum:
            raise ValueError(f"{criterion['title']}: between 0 and {maximum}")
        total += value
    if total_max == 0:
        return Decimal(0)
    return _quantize(_points(question) * total / total_max)


def rubric_scaling(question: dict, criterion_scores: list) -> dict | None:
    """How a rubric's marks became the question's points, when the rubric's total is not the
    question's (11 of 14 on the rubric → 7.86 of 10): the numbers a result page explains.
    None when the totals are equal (nothing to explain) or the rubric is not fully marked."""
    rubric = question.get("rubric") or []
    if not rubric or len(criterion_scores) != len(rubric) or None in criterion_scores:
        return None
    total_max = sum(Decimal(str(c["max_points"])) for c in rubric)
    points = _points(question)
    if total_max == points:
        return None
    return {
        "given": sum((Decimal(str(s)) for s in criterion_scores), Decimal(0)),
        "rubric_total": total_max,
        "points": points,
        "score": rubric_score(question, criterion_scores),
    }


def attempt_percent(score: Decimal, max_score: Decimal) -> Decimal:
    if max_score <= 0:
        return Decimal(100)
    return _quantize(Decimal(100) * score / max_score)
