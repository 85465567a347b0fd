"""A frozen question (``assessments.snapshot``) in the reader's language, for display only.

Every text of a version 2 snapshot has its English under its own key and its Urdu under the
``_ur`` sibling; version 1 snapshots have English only. An Urdu reader gets the Urdu where it is
written and the English where it is not, marked ``*_fallback`` so the template can say
``lang="en" dir="ltr"`` on that element. Grading never calls this: it reads choice ids and both
answer lists, so the language a page was read in cannot change a score.
"""

from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import pgettext

URDU = "ur"
TRUE_FALSE_CONTEXT = "answer to a true / false question"


def reads_urdu(language: str | None = None) -> bool:
    """Is ``language`` (default: the active one) Urdu?"""
    language = language or translation.get_language() or ""
    return language.split("-")[0].lower() == URDU


def is_blank(text) -> bool:
    """No words in ``text`` (rich text with only empty tags counts as blank; an image does not)."""
    text = text or ""
    return not strip_tags(text).strip() and "<img" not in text


def true_false_label(text: str) -> str | None:
    """ "True" / "False" of a true / false question in the active language, else None."""
    key = (text or "").strip().lower()
    if key == "true":
        return pgettext(TRUE_FALSE_CONTEXT, "True")
    if key == "false":
        return pgettext(TRUE_FALSE_CONTEXT, "False")
    return None


def pick(item: dict, key: str, *, urdu: bool) -> tuple[str, bool]:
    """``(text, fallback)``: ``item[key]`` in the reader's language; ``fallback`` is true when
    an Urdu reader is given the English because the Urdu is not written."""
    english = item.get(key) or ""
    if not urdu:
        return english, False
    own = item.get(f"{key}_ur") or ""
    if not is_blank(own):
        return own, False
    return english, not is_blank(english)


def localized_choice(choice: dict, *, kind: str, urdu: bool) -> dict:
    label, fallback = pick(choice, "text", urdu=urdu)
    if kind == "true_false" and (fallback or not urdu):
        # An English "True" / "False" (no Urdu written) is shown in the reader's language.
        translated = true_false_label(choice.get("text") or "")
        if translated is not None:
            label, fallback = translated, False
    feedback, feedback_fallback = pick(choice, "feedback", urdu=urdu)
    return {
        "id": choice["id"],
        "correct": choice.get("correct", False),
        "text": label,
        "text_fallback": fallback,
        "feedback": feedback,
        "feedback_fallback": feedback_fallback,
    }


def localized_criterion(criterion: dict, *, urdu: bool) -> dict:
    title, title_fallback = pick(criterion, "title", urdu=urdu)
    description, description_fallback = pick(criterion, "description", urdu=urdu)
    return {
        **criterion,
        "title": title,
        "title_fallback": title_fallback,
        "description": description,
        "description_fallback": description_fallback,
    }


def localized_question(question: dict, language: str | None = None) -> dict:
    """A copy of the snapshot ``question`` with its texts in ``language`` (default: active).

    The copy keeps every other key (id, kind, points, answers); the snapshot is not changed.
    ``accepted`` lists the answers in the reader's language first, then the others.
    """
    urdu = reads_urdu(language)
    kind = question.get("kind", "")
    prompt, prompt_fallback = pick(question, "prompt", urdu=urdu)
    feedback, feedback_fallback = pick(question, "feedback", urdu=urdu)
    english, own = question.get("accepted") or [], question.get("accepted_ur") or []
    accepted = list(dict.fromkeys([*own, *english] if urdu else [*english, *own]))
    return {
        **question,
        "prompt": prompt,
        "prompt_fallback": prompt_fallback,
        "feedback": feedback,
        "feedback_fallback": feedback_fallback,
        "accepted": accepted,
        "choices": [
            localized_choice(c, kind=kind, urdu=urdu) for c in question.get("choices") or []
        ],
        "rubric": [localized_criterion(c, urdu=urdu) for c in question.get("rubric") or []],
    }
