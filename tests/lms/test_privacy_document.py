"""docs/privacy.md matches the code: every field of every model of our apps (and of the sign-in
logs and sessions) is listed there, as personal data (what, why, who reads it, how long) or as
not personal. A new field fails here until the document says what it is.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "privacy.md"
APPS = (
    "lms", "content", "courses", "assessments", "certificates", "reports", "sync", "axes",
    "sessions",
)  # fmt: skip
ENTRY = re.compile(r"^\|\s*`([a-z_]+\.[A-Za-z]+\.(?:\*|[a-z_0-9]+))`\s*\|(.*)$")


def model_fields(app_labels=APPS) -> set[str]:
    """``app.Model.field`` for every stored field of every concrete model, generated ids and
    multi-table parent links left out (they number rows, not people)."""
    found = set()
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy:
                continue
            fields = [*model._meta.local_fields, *model._meta.local_many_to_many]
            for field in fields:
                generated_id = isinstance(field, models.fields.AutoFieldMixin)
                if generated_id or getattr(field.remote_field, "parent_link", False):
                    continue
                found.add(f"{label}.{model.__name__}.{field.name}")
    return found


def document_entries(text: str) -> dict[str, dict[str, list[str]]]:
    """Table rows naming ``app.Model.field`` (or ``app.Model.*``), by section: "personal" for
    the rows under "Personal data", "not_personal" under "Not personal"."""
    sections = {"personal": {}, "not_personal": {}}
    current = None
    for line in text.splitlines():
        if line.startswith("### "):
            title = line[4:].strip().lower()
            current = {"personal data": "personal", "not personal": "not_personal"}.get(title)
        elif line.startswith("## "):
            current = None
        match = ENTRY.match(line)
        if match and current:
            cells = [cell.strip() for cell in match.group(2).split("|")][:-1]
            sections[current][match.group(1)] = cells
    return sections


def undocumented(fields: set[str], entries) -> set[str]:
    listed = set(entries["personal"]) | set(entries["not_personal"])
    whole = {name[:-2] for name in entries["not_personal"] if name.endswith(".*")}
    return {f for f in fields if f not in listed and f.rsplit(".", 1)[0] not in whole}


@pytest.fixture(scope="module")
def entries():
    return document_entries(DOCUMENT.read_text(encoding="utf-8"))


def test_every_field_is_in_the_privacy_document(entries):
    missing = undocumented(model_fields(), entries)
    assert not missing, (
        "Say in docs/privacy.md what these fields hold (personal data: what, why, who reads it, "
        f"how long; or not personal, and why): {sorted(missing)}"
    )


def test_a_new_personal_field_is_caught(entries):
    """The check has teeth: a field the document does not know is reported."""
    fields = model_fields() | {"lms.LearnerProfile.phone_number", "courses.Enrollment.notes"}
    assert undocumented(fields, entries) == {
        "lms.LearnerProfile.phone_number",
        "courses.Enrollment.notes",
    }
    without = {
        "personal": {k: v for k, v in entries["personal"].items() if k != "lms.User.email"},
        "not_personal": entries["not_personal"],
    }
    assert undocumented(model_fields(), without) == {"lms.User.email"}


def test_every_personal_row_says_what_why_who_and_how_long(entries):
    incomplete = [
        name for name, cells in entries["personal"].items() if len(cells) != 4 or not all(cells)
    ]
    assert not incomplete


def test_the_document_lists_no_field_that_does_not_exist(entries):
    fields = model_fields()
    models_named = {f.rsplit(".", 1)[0] for f in fields}
    stale = [
        name
        for section in entries.values()
        for name in section
        if name not in fields and not (name.endswith(".*") and name[:-2] in models_named)
    ]
    assert not stale


def test_a_whole_model_is_called_not_personal_only_without_a_link_to_an_account(entries):
    User = get_user_model()
    linked = []
    for name in entries["not_personal"]:
        if not name.endswith(".*"):
            continue
        label, model_name = name[:-2].split(".")
        model = apps.get_model(label, model_name)
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if isinstance(field, models.ForeignKey | models.ManyToManyField) and (
                field.related_model is User
            ):
                linked.append(f"{name[:-2]}.{field.name}")
    assert not linked
