"""Question import and export (docs/decisions/0021): GIFT, Moodle XML and Aiken files of every
type, problems listed with their line, nothing saved unless everything is, hostile files
refused, a bank exported and imported again is identical, and the command's exit status."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.html import strip_tags

from assessments import importing
from assessments.models import Question, QuestionBank

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def bank(question_bank):
    return QuestionBank.objects.create(course=question_bank[0], title="Imported")


def imported(bank, name, fmt, **kwargs):
    outcome = importing.questions_import(bank=bank, user=None, data=read(name), fmt=fmt, **kwargs)
    assert outcome.problems == [], outcome.problems
    questions = list(bank.questions.order_by("pk"))
    assert len(questions) == len(outcome.saved)
    return ByPrompt({strip_tags(q.prompt): q for q in questions})


class ByPrompt(dict):
    """Questions by the start of their prompt."""

    def __getitem__(self, start):
        found = [q for prompt, q in self.items() if prompt.startswith(start)]
        assert len(found) == 1, (start, list(self))
        return found[0]


def test_gift_file_of_every_type_imports_with_its_fields(bank):
    q = imported(bank, "computer_basics.gift", "gift")
    assert len(q) == 13
    save = q["Which key combination saves a"]
    assert (save.kind, save.category) == ("single", "keyboard")
    assert [(c.text, c.is_correct, c.feedback) for c in save.choices.all()] == [
        ("Ctrl+S", True, "Right: S for save."),
        ("Ctrl+P", False, "That one prints."),
        ("Alt+F4", False, "That one closes the window."),
    ]
    assert "nearly every program" in save.feedback
    types = q["Which of these are file types"]
    assert (types.kind, types.points, types.partial_credit) == ("multiple", 2, "all_or_nothing")
    assert [c.is_correct for c in types.choices.all()] == [True, True, False, False]
    folders = q["A folder can hold other folders"]
    assert [(c.text, c.text_ur, c.is_correct, c.feedback) for c in folders.choices.all()] == [
        ("True", "درست", True, "Yes."),
        ("False", "غلط", False, 'Think of folders inside "Documents".'),
    ]
    escapes = q["In a spreadsheet, what does th"]
    assert "formula =A1+B1 do? Braces { } and # and ~ and a colon: all literal" in escapes.prompt
    assert q["How many bytes are in a kilobyt"].numeric_answer == 1024
    pi = q["Give π to two decimal places"]
    assert (pi.numeric_answer, pi.numeric_tolerance) == (Decimal("3.14"), Decimal("0.005"))
    ranged = q["A lab has between five and sev"]
    assert (ranged.numeric_answer, ranged.numeric_tolerance, ranged.category) == (6, 1, "numbers")
    assert q["What is 2+2"].numeric_answer == 4
    windows = q["What is the key with the Windo"]
    assert windows.accepted_answers == "Windows key\nStart key"
    assert windows.accepted_answers_ur == "ونڈوز کلید"
    assert windows.prompt_ur == "<p>ونڈوز لوگو والی کلید کا نام کیا ہے؟</p>"
    urdu_only = q["یو ایس بی فلیش ڈرائیو ایک اسٹو"]
    assert urdu_only.kind == "true_false" and urdu_only.prompt_ur == ""
    device = q["Which is an input device"]
    assert device.prompt_ur == "<p>ان پٹ ڈیوائس کون سی ہے؟</p>"
    keyboard = device.choices.first()
    assert (keyboard.text, keyboard.text_ur, keyboard.feedback, keyboard.feedback_ur) == (
        "Keyboard", "کی بورڈ", "Yes", "جی ہاں",
    )  # fmt: skip
    backups = q["Explain why backups matter"]
    assert (backups.kind, backups.points, backups.category) == ("essay", 5, "writing")
    assert [(r.title, r.title_ur, r.max_points) for r in backups.rubric.all()] == [
        ("Reasons", "وجوہات", 3),
        ("Language", "", 2),
    ]
    profile = q["Upload your freelancing profil"]
    assert (profile.kind, profile.allowed_file_types, profile.points) == ("file", "pdf,docx", 10)


def test_imports_are_drafts_with_a_revision_unless_published(bank):
    imported(bank, "computer_basics.aiken", "aiken")
    drafts = list(bank.questions.all())
    assert drafts and not any(q.live for q in drafts)
    assert [q.revisions.count() for q in drafts] == [1, 1, 1]
    other = QuestionBank.objects.create(course=bank.course, title="Live")
    imported(other, "computer_basics.aiken", "aiken", publish=True)
    assert all(q.live and q.live_revision_id for q in other.questions.all())


def test_moodle_xml_of_every_type_imports_sanitized_and_in_both_languages(bank):
    q = imported(bank, "computer_basics.xml", "moodlexml")
    assert len(q) == 9
    save = q["Which key combination saves a "]
    assert save.prompt == '<p dir="ltr">Which key combination <strong>saves</strong> a file?</p>'
    assert [c.text for c in save.choices.all()] == ["Ctrl+S", "Ctrl+P", "Alt+F4"]
    types = q["Which of these are file types"]
    assert (types.kind, types.partial_credit, types.points) == ("multiple", "right_minus_wrong", 2)
    storage = q["Which of these keep files when"]
    assert (storage.kind, storage.partial_credit) == ("multiple", "all_or_nothing")
    device = q["Which is an input device"]
    assert device.prompt_ur == "<p>ان پٹ ڈیوائس کون سی ہے؟</p>"
    assert [(c.text, c.text_ur) for c in device.choices.all()] == [
        ("Keyboard", "کی بورڈ"),
        ("Monitor", "مانیٹر"),
    ]
    windows = q["What is the key with the Windo"]
    assert windows.accepted_answers_ur == "ونڈوز کلید" and windows.category == "urdu"
    backups = q["Explain why backups matter"]
    assert "script" not in backups.prompt and "alert" not in backups.prompt
    criterion = backups.rubric.get()
    assert criterion.max_points == 5 and "Two reasons" in criterion.description
    profile = q["Upload your freelancing profil"]
    assert (profile.kind, profile.allowed_file_types) == ("file", "pdf,docx")


def test_aiken_imports_single_choice(bank):
    q = imported(bank, "computer_basics.aiken", "aiken")
    device = q["Which device shows the picture"]
    assert [(c.text, c.is_correct) for c in device.choices.all()] == [
        ("Keyboard", False),
        ("Monitor", True),
    ]


def test_problems_are_listed_with_their_gift_lines_and_nothing_is_saved(bank):
    outcome = importing.questions_import(bank=bank, user=None, data=read("broken.gift"), fmt="gift")
    assert [(p.line, p.message[:30]) for p in outcome.problems] == [
        (5, "The answer part opened with '{"),
        (9, "Matching questions are not a H"),
        (11, "Mark at least one choice as co"),
    ]
    assert outcome.saved == [] and not bank.questions.exists()


def test_a_failure_while_saving_leaves_nothing_saved(bank, monkeypatch):
    calls = []
    original = Question.save_revision

    def fail_third(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Question, "save_revision", fail_third)
    with pytest.raises(RuntimeError):
        importing.questions_import(
            bank=bank, user=None, data=read("computer_basics.gift"), fmt="gift"
        )
    assert len(calls) == 3
    assert not bank.questions.exists()


@pytest.mark.parametrize("name", ["hostile_entities.xml", "hostile_external.xml"])
def test_xml_with_entities_or_a_dtd_is_refused_with_its_line(bank, name):
    outcome = importing.questions_import(bank=bank, user=None, data=read(name), fmt="moodlexml")
    assert len(outcome.problems) == 1
    assert outcome.problems[0].line == 2
    assert "DTD or entities" in outcome.problems[0].message
    assert not bank.questions.exists()


def test_moodle_embedded_images_and_unknown_types_are_problems_with_lines(bank):
    outcome = importing.questions_preview(
        bank=bank, data=read("embedded_image.xml"), fmt="moodlexml"
    )
    assert [(p.line, p.message[:28]) for p in outcome.problems] == [
        (3, "The question embeds a file ("),
        (13, "Moodle's ddwtos questions ha"),
    ]


def test_broken_xml_gives_its_line():
    bank = None
    outcome = importing.questions_preview(
        bank=bank, data=b"<quiz>\n<question>\n</quiz>", fmt="moodlexml"
    )
    assert outcome.problems[0].line == 3 and "well-formed" in outcome.problems[0].message


def test_files_over_the_size_or_question_cap_are_refused(bank, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 100
    outcome = importing.questions_import(
        bank=bank, user=None, data=read("computer_basics.gift"), fmt="gift"
    )
    assert "larger than" in outcome.problems[0].message
    settings.QUESTION_IMPORT_MAX_BYTES = 1024 * 1024
    settings.QUESTION_IMPORT_MAX_QUESTIONS = 2
    outcome = importing.questions_import(
        bank=bank, user=None, data=read("computer_basics.aiken"), fmt="aiken"
    )
    assert "more than 2 questions" in outcome.problems[0].message
    assert not bank.questions.exists()


def test_text_that_is_not_utf8_is_refused_with_its_line(bank):
    outcome = importing.questions_preview(bank=bank, data=b"Q?{T}\n\nCaf\xe9?{F}", fmt="gift")
    assert outcome.problems[0].line == 3 and "UTF-8" in outcome.problems[0].message
