"""Aiken: single-choice questions as plain lines, the simplest format Moodle reads.

    Which key saves a file?
    A. Ctrl+S
    B. Ctrl+P
    ANSWER: A

A question's text is one line; choices are ``A.`` or ``A)`` lines; ``ANSWER:`` names the right
one. Only single-choice questions (and true / false, written as two choices) fit; nothing else
Hunar holds (feedback, points, Urdu) does, so export says which questions it left out.
"""

import re
import string

from django.utils.translation import gettext as _

from .common import SINGLE, TRUE_FALSE, ChoiceData, Parsed, Problem, QuestionData, plain, rich

CHOICE = re.compile(r"^([A-Z])[.)]\s+(.*)$")
ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def parse(text: str, limit: int | None = None) -> Parsed:
    """The questions of ``text``; reading stops one question past ``limit``."""
    parsed = Parsed()
    current: QuestionData | None = None
    letters: list[str] = []
    for number, raw in enumerate([*text.splitlines(), ""], start=1):
        if limit is not None and len(parsed.questions) > limit:
            break
        line = raw.strip()
        if not line:
            if current is not None:
                parsed.problems.append(Problem(current.line, _("No ANSWER: line.")))
                parsed.questions.append(current)
                current = None
            continue
        if current is None:
            current = QuestionData(kind=SINGLE, prompt=rich(line), line=number)
            letters = []
            continue
        choice, answer = CHOICE.match(line), ANSWER.match(line)
        if answer:
            letter = answer.group(1)
            if letter not in letters:
                parsed.problems.append(
                    Problem(number, _("ANSWER: %(letter)s names no choice.") % {"letter": letter})
                )
            else:
                current.choices[letters.index(letter)].is_correct = True
            parsed.questions.append(current)
            current = None
        elif choice:
            letters.append(choice.group(1))
            current.choices.append(ChoiceData(choice.group(2).strip()))
        else:
            parsed.problems.append(
                Problem(number, _("Expected a choice (A. text) or ANSWER: line."))
            )
    return parsed


def fits(question: QuestionData) -> bool:
    return question.kind in (SINGLE, TRUE_FALSE) and len(question.choices) <= 26


def write(questions: list[QuestionData]) -> str:
    out = []
    for question in questions:
        out.append(" ".join(plain(question.prompt).split()))
        right = "A"
        for letter, choice in zip(string.ascii_uppercase, question.choices, strict=False):
            out.append(f"{letter}. {' '.join(choice.text.split())}")
            if choice.is_correct:
                right = letter
        out += [f"ANSWER: {right}", ""]
    return "\n".join(out)
