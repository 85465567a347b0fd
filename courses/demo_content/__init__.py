"""The texts of the demo curriculum, kept as data apart from the code that seeds them.

Each module holds one part: ``digital_literacy`` and ``freelancing`` (English tracks, courses and
lessons) and ``urdu`` (the Urdu translation of the home page and of the Computer basics course).
A lesson body is a list of blocks built with the small helpers below; they return the raw
StreamField form of ``courses.blocks.LessonStreamBlock`` (rich text as HTML strings). Images and
documents are named by a key (see ``courses.demo``) and swapped for real ones when seeding.
"""


def _rich(*parts: str) -> str:
    """Rich text HTML: plain strings become paragraphs; strings that start with a tag stay as is."""
    return "".join(part if part.startswith("<") else f"<p>{part}</p>" for part in parts)


def h2(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def h3(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h3"}}


def p(*parts: str) -> dict:
    return {"type": "paragraph", "value": _rich(*parts)}


def ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def ol(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def _callout(kind: str, parts: tuple[str, ...]) -> dict:
    return {"type": "callout", "value": {"kind": kind, "text": _rich(*parts)}}


def tip(*parts: str) -> dict:
    return _callout("tip", parts)


def warning(*parts: str) -> dict:
    return _callout("warning", parts)


def note(*parts: str) -> dict:
    return _callout("note", parts)


def image(key: str, alt_text: str, caption: str = "") -> dict:
    return {"type": "image", "value": {"image": key, "alt_text": alt_text, "caption": caption}}


def document(key: str, label: str = "") -> dict:
    return {"type": "document", "value": {"document": key, "label": label}}


def code(language: str, source: str) -> dict:
    return {"type": "code", "value": {"language": language, "code": source.strip("\n")}}


def video(title: str, embed_url: str, *transcript: str) -> dict:
    return {
        "type": "video",
        "value": {"title": title, "embed_url": embed_url, "transcript": _rich(*transcript)},
    }


def exercise(title: str, goal: str, *steps: str) -> dict:
    return {
        "type": "exercise",
        "value": {"title": title, "goal": goal, "steps": [_rich(step) for step in steps]},
    }
