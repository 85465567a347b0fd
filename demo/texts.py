"""The demo texts: YAML files under ``demo/data/``, read into the shapes the seeders use.

``en/tracks.yaml`` lists the tracks and their courses; ``en/<course>.yaml`` holds a course, its
lessons, its question bank, quiz and project; ``ur/`` holds the Urdu of the same things, keyed
by slug (lessons) and id (questions), and ``ur/tracks.yaml`` the home page and tracks.
``documents.yaml`` holds the files lessons offer for download. The format of a lesson body and
of a question is in docs/decisions/0015-demo-app.md; this module turns it into the raw
StreamField form of ``courses.blocks.LessonStreamBlock`` and into question fields.
"""

import functools
from decimal import Decimal
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"

PARTIAL_CREDIT_NOTE = {
    "en": "<p><i>Choose every answer that is right. Each right choice earns its share of the "
    "points; each wrong choice takes a share away (never below zero).</i></p>",
    "ur": "<p><i>ہر درست جواب چنیں۔ ہر درست انتخاب پر اپنے حصے کے نمبر ملتے ہیں، اور ہر غلط "
    "انتخاب پر اتنا حصہ کٹ جاتا ہے (لیکن اسکور صفر سے کم نہیں ہوتا)۔</i></p>",
}
TRUE_FALSE = {"en": ("True", "False"), "ur": ("درست", "غلط")}
DEFAULT_POINTS = {
    "single": 1,
    "multiple": 2,
    "true_false": 1,
    "short_text": 1,
    "numeric": 1,
    "essay": 3,
    "file": 10,
}
PROJECT_FILE_TYPES = "pdf,png,jpg,html,docx,zip"


@functools.cache
def load(name: str) -> dict:
    """One data file, e.g. ``load("en/computer-basics")``; a missing Urdu file reads as empty."""
    path = DATA / f"{name}.yaml"
    if not path.exists() and name.startswith("ur/"):
        return {}
    with path.open(encoding="utf-8") as file:
        return yaml.safe_load(file) or {}


def tracks() -> list[dict]:
    return load("en/tracks")["tracks"]


def course(slug: str) -> dict:
    return load(f"en/{slug}")


def course_ur(slug: str) -> dict:
    return load(f"ur/{slug}")


def documents() -> dict:
    return load("documents")["documents"]


# --- Lesson bodies ------------------------------------------------------------------------------


def html(text: str) -> str:
    """A paragraph of rich text: plain text is wrapped in <p>; text that starts with a tag stays."""
    return text if text.startswith("<") else f"<p>{text}</p>"


def _part(part) -> str:
    if isinstance(part, dict):
        (kind, items), *_ = part.items()  # {"ul": [...]} or {"ol": [...]}
        return f"<{kind}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{kind}>"
    return html(part)


def rich(parts) -> str:
    """Rich text HTML from one part or a list of parts (strings and ``ul``/``ol`` lists)."""
    return "".join(_part(part) for part in (parts if isinstance(parts, list) else [parts]))


def block(item: dict) -> dict:
    """One lesson block, from its short form (``- h2: text``) to the raw StreamField form."""
    (kind, value), *_ = item.items()
    if kind in ("h2", "h3"):
        return {"type": "heading", "value": {"text": value, "level": kind}}
    if kind == "p":
        return {"type": "paragraph", "value": rich(value)}
    if kind in ("tip", "warning", "note"):
        return {"type": "callout", "value": {"kind": kind, "text": rich(value)}}
    if kind == "image":
        return {
            "type": "image",
            "value": {
                "image": value["key"],
                "alt_text": value["alt"],
                "caption": value.get("caption", ""),
            },
        }
    if kind == "document":
        return {
            "type": "document",
            "value": {"document": value["key"], "label": value.get("label", "")},
        }
    if kind == "code":
        return {
            "type": "code",
            "value": {"language": value["language"], "code": value["code"].strip("\n")},
        }
    if kind == "video":
        return {
            "type": "video",
            "value": {
                "title": value["title"],
                "embed_url": value["embed_url"],
                "transcript": rich(value["transcript"]),
            },
        }
    if kind == "exercise":
        return {
            "type": "exercise",
            "value": {
                "title": value["title"],
                "goal": value["goal"],
                "steps": [rich(s) for s in value["steps"]],
            },
        }
    raise ValueError(f"Unknown demo lesson block {kind!r}")


def body(items: list[dict]) -> list[dict]:
    return [block(item) for item in items]


# --- Questions ----------------------------------------------------------------------------------


def prompt(question: dict, text: str, language: str) -> str:
    text = html(text)
    return text + PARTIAL_CREDIT_NOTE[language] if question["kind"] == "multiple" else text


def question_fields(question: dict) -> dict:
    """The English question in the shape ``demo.assessments`` saves."""
    kind = question["kind"]
    if kind == "true_false":
        right = TRUE_FALSE["en"][0 if question["answer"] else 1]
        choices = [{"text": t, "correct": t == right, "feedback": ""} for t in TRUE_FALSE["en"]]
    else:
        choices = [
            {
                "text": c["text"],
                "correct": bool(c.get("correct")),
                "feedback": c.get("feedback", ""),
            }
            for c in question.get("choices", [])
        ]
    return {
        "id": question["id"],
        "kind": kind,
        "category": question["category"],
        "prompt": prompt(question, question["prompt"], "en"),
        "choices": choices,
        "accepted": question.get("accepted", []),
        "answer": Decimal(question["answer"]) if kind == "numeric" else None,
        "tolerance": Decimal(question.get("tolerance", "0")),
        "rubric": [(r["title"], r["description"], r["points"]) for r in question.get("rubric", [])],
        "file_types": PROJECT_FILE_TYPES if kind == "file" else "",
        "feedback": question.get("feedback", ""),
        "fixed": question.get("fixed", False) or kind == "file",
        "project": kind == "file",
        "points": question.get("points", DEFAULT_POINTS[kind]),
    }


def question_fields_ur(question: dict, urdu: dict) -> dict:
    """The Urdu fields of a question (``prompt_ur``, choices' ``text_ur``...), from its entry in
    the course's Urdu file; empty when the question has no Urdu yet."""
    if not urdu:
        return {}
    kind = question["kind"]
    if kind == "true_false":
        choices = [{"text": t, "feedback": ""} for t in TRUE_FALSE["ur"]]
    else:
        choices = [
            c if isinstance(c, dict) else {"text": c, "feedback": ""}
            for c in urdu.get("choices", [])
        ]
    return {
        "prompt": prompt(question, urdu["prompt"], "ur"),
        "feedback": urdu.get("feedback", ""),
        "accepted": urdu.get("accepted", []),
        "choices": [{"text": c["text"], "feedback": c.get("feedback", "")} for c in choices],
        "rubric": [(r["title"], r["description"]) for r in urdu.get("rubric", [])],
    }
