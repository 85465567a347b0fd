"""The Urdu catalogue follows docs/glossary.md: one Urdu word for each English term.

For every translated entry whose English text contains a glossary term (whole word, any case),
the Urdu text must use the term (or an accepted form) and none of the forbidden alternatives.
The catalogue also overrides Django's own auth strings that learners see, whose Urdu in
Django's catalogue breaks the glossary (password as "لفظ اجازت").
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

BASE = Path(settings.BASE_DIR)
GLOSSARY = BASE / "docs" / "glossary.md"
CATALOGUE = BASE / "locale" / "ur" / "LC_MESSAGES" / "django.po"
PENDING = BASE / "locale" / "ur" / "pending"
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|\{[^}]*\}|<[^>]*>")


@dataclass(frozen=True)
class Term:
    english: str
    urdu: tuple[str, ...]  # the term and its accepted forms
    never: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern:
        word = re.escape(self.english.rstrip("*")).replace(r"\ ", r"\s+")
        tail = r"\w*" if self.english.endswith("*") else r"s?"
        return re.compile(rf"\b{word}{tail}\b", re.IGNORECASE)


def _cells(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip() and v.strip() != "-")


def glossary_terms(text: str) -> list[Term]:
    terms = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        english, urdu, accepted, never, _note = cells
        terms.append(Term(english, _cells(urdu) + _cells(accepted), _cells(never)))
    return terms


def po_entries(text: str) -> list[tuple[list[str], list[str]]]:
    """(msgids, msgstrs) of each non-fuzzy, non-obsolete entry of a .po file."""
    entries, current, key, fuzzy = [], None, None, False

    def flush():
        if current and current.get("msgid") and not current["fuzzy"]:
            ids = [current["msgid"]] + (
                [current["msgid_plural"]] if "msgid_plural" in current else []
            )
            strs = [v for k, v in current.items() if k.startswith("msgstr")]
            entries.append((ids, strs))

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            continue
        match = re.match(r'(msgid_plural|msgid|msgctxt|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            name = match[1]
            if name in ("msgid", "msgctxt") and (current is None or key.startswith("msgstr")):
                flush()
                current, fuzzy = {"fuzzy": fuzzy}, False
            key = name
            current[key] = ast.literal_eval(match[2])
        elif line.startswith('"') and current is not None:
            current[key] += ast.literal_eval(line)
    flush()
    return entries


def violations(terms: list[Term], entries) -> list[str]:
    found = []
    for ids, strs in entries:
        if not all(strs):
            continue  # untranslated: test_i18n's business
        # Placeholders name values, not words the learner reads.
        words = [PLACEHOLDER.sub(" ", i) for i in ids]
        for term in terms:
            if not any(term.pattern.search(w) for w in words):
                continue
            for text in strs:
                # A term left in English on purpose (a spreadsheet's column name) is fine.
                kept = term.pattern.search(PLACEHOLDER.sub(" ", text))
                if not kept and not any(u in text for u in term.urdu):
                    found.append(f"{ids[0]!r}: {term.english} → {term.urdu[0]} missing in {text!r}")
                for bad in term.never:
                    if bad in text:
                        found.append(f"{ids[0]!r}: {term.english} must not be {bad!r}: {text!r}")
    return found


@pytest.fixture(scope="module")
def terms():
    parsed = glossary_terms(GLOSSARY.read_text(encoding="utf-8"))
    assert len(parsed) >= 20, "the glossary table did not parse"
    return parsed


def test_glossary_lists_the_issue_terms(terms):
    names = {t.english.rstrip("*") for t in terms}
    for needed in ("password", "username", "attempt", "assessment", "certificate", "course"):
        assert needed in names


def test_the_checker_catches_a_forbidden_and_a_missing_term(terms):
    bad = [(["Password"], ["لفظ اجازت"]), (["Your courses"], ["آپ کے نصاب"])]
    assert len(violations(terms, bad)) == 4
    assert violations(terms, [(["Password"], ["پاس ورڈ"])]) == []


@pytest.mark.parametrize("path", [CATALOGUE, *sorted(PENDING.glob("*.po"))], ids=lambda p: p.name)
def test_catalogue_follows_the_glossary(terms, path):
    problems = violations(terms, po_entries(path.read_text(encoding="utf-8")))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "msgid",
    [
        "Password",
        "Old password",
        "New password",
        "New password confirmation",
        "The two password fields didn’t match.",
        "Your old password was entered incorrectly. Please enter it again.",
        "This password is too common.",
        "This password is entirely numeric.",
    ],
)
def test_djangos_learner_visible_auth_strings_are_ours_in_urdu(msgid):
    with translation.override("ur"):
        urdu = translation.gettext(msgid)
    assert urdu != msgid, f"{msgid!r} is English on Urdu pages"
    assert "لفظ اجازت" not in urdu
    assert "پاس ورڈ" in urdu
