"""A bank exported and imported again is identical, every type and field, in both languages
(GIFT and Moodle XML); the commands' exit status and output; who may import and export."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments import importing
from assessments.formats.common import question_data_of
from assessments.models import Choice, Question, QuestionBank, RubricCriterion
from lms import roles
from tests.factories import CenterFactory, UserFactory, manager_of, trainer_of

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SPECIAL = "a = b {c} #d ~e: <f> & g \\ h"


def add(bank, kind, prompt, *, choices=(), rubric=(), **fields):
    question = Question(bank=bank, kind=kind, prompt=prompt, **fields)
    question.choices = [Choice(sort_order=i, **c) for i, c in enumerate(choices)]
    question.rubric = [RubricCriterion(sort_order=i, **r) for i, r in enumerate(rubric)]
    question.save()
    return question


@pytest.fixture
def full_bank(question_bank):
    """A bank with every type and every field filled, Urdu beside English."""
    bank = QuestionBank.objects.create(course=question_bank[0], title="Everything")
    add(bank, "essay", "<p>No category, no rubric.</p>")
    add(
        bank,
        "single",
        "<p>Which key <b>saves</b> a file?</p>",
        prompt_ur="<p>کون سی کلید فائل <b>محفوظ</b> کرتی ہے؟</p>",
        category="keyboard",
        points=Decimal("1.5"),
        feedback="<p>Ctrl+S: S for save.</p>",
        feedback_ur="<p>Ctrl+S: محفوظ کرنے کے لیے۔</p>",
        choices=[
            dict(
                text="Ctrl+S",
                text_ur="کنٹرول ایس",
                is_correct=True,
                feedback="Right.",
                feedback_ur="درست۔",
            ),
            dict(text=SPECIAL, text_ur="", is_correct=False, feedback=SPECIAL),
            dict(text="Alt+F4", is_correct=False),
        ],
    )
    add(
        bank,
        "multiple",
        "<p>Which are file types?</p>",
        category="files",
        points=3,
        partial_credit="right_minus_wrong",
        choices=[
            dict(text=t, is_correct=c)
            for t, c in [
                ("PDF", True),
                ("PNG", True),
                ("DOCX", True),
                ("Mouse", False),
                ("Key", False),
            ]
        ],
    )
    add(
        bank,
        "multiple",
        "<p>Which keep files without power?</p>",
        category="files",
        partial_credit="all_or_nothing",
        choices=[
            dict(text="USB drive", text_ur="یو ایس بی", is_correct=True),
            dict(text="RAM", is_correct=False, feedback="Lost at power off."),
        ],
    )
    add(
        bank,
        "true_false",
        "<p>Windows is hardware.</p>",
        prompt_ur="<p>ونڈوز ہارڈ ویئر ہے۔</p>",
        category="files",
        choices=[
            dict(
                text="True",
                text_ur="درست",
                is_correct=False,
                feedback="It is software.",
                feedback_ur="یہ سافٹ ویئر ہے۔",
            ),
            dict(text="False", text_ur="غلط", is_correct=True, feedback="Yes: software."),
        ],
    )
    add(
        bank,
        "short_text",
        "<p>The key with the Windows logo?</p>",
        category="keyboard",
        accepted_answers="Windows key\nStart key",
        accepted_answers_ur="ونڈوز کلید",
        case_sensitive=True,
    )
    add(
        bank,
        "numeric",
        "<p>Temperature in °C?</p>",
        category="numbers",
        numeric_answer=Decimal("-3.5"),
        numeric_tolerance=Decimal("0.25"),
        feedback="<p>Cold.</p>",
    )
    add(
        bank,
        "essay",
        "<p>Explain why backups matter.</p>",
        category="writing",
        points=5,
        rubric=[
            dict(
                title="Reasons",
                title_ur="وجوہات",
                description="Two reasons.",
                description_ur="دو وجوہات۔",
                max_points=3,
            ),
            dict(title="Language", description="", max_points=Decimal("2.5")),
        ],
    )
    add(
        bank, "file", "<p>Upload your profile.</p>", category="writing", points=10,
        allowed_file_types="pdf,zip",
        rubric=[dict(title="Complete", description="Photo, title.", max_points=10)],
    )  # fmt: skip
    return bank


def contents(bank):
    return [
        {**vars(question_data_of(q)), "line": 0}
        for q in bank.questions.order_by("category", "pk").prefetch_related("choices", "rubric")
    ]


@pytest.mark.parametrize("fmt", ["gift", "moodlexml"])
def test_export_then_import_gives_the_same_questions(full_bank, fmt):
    text, left_out = importing.bank_export(bank=full_bank, fmt=fmt)
    assert left_out == []
    copy = QuestionBank.objects.create(course=full_bank.course, title="Copy")
    outcome = importing.questions_import(bank=copy, user=None, data=text.encode("utf-8"), fmt=fmt)
    assert outcome.problems == []
    assert contents(copy) == contents(full_bank)
    assert len(contents(copy)) == 9
    assert importing.bank_export(bank=copy, fmt=fmt)[0] == text


def test_aiken_export_leaves_out_what_it_cannot_hold(full_bank):
    text, left_out = importing.bank_export(bank=full_bank, fmt="aiken")
    assert "Which key saves a file?\nA. Ctrl+S\n" in text
    assert "ANSWER: B" in text  # the true / false question: False is right
    assert {q.kind for q in left_out} == {"multiple", "short_text", "numeric", "essay", "file"}


def run_import(bank, path, fmt="gift"):
    """The command as ``manage.py`` runs it: a CommandError becomes the process's exit status
    (``BaseCommand.run_from_argv``), which closes the test's database connection, hence not
    called here."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_questions", str(path), bank=bank.pk, fmt=fmt, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_import_command_exits_0_only_when_everything_was_imported(full_bank):
    before = full_bank.questions.count()
    bad = DATA / "broken.gift"
    code, _out, err = run_import(full_bank, bad)
    assert code == 1
    assert f"{bad}:5: The answer part opened" in err
    assert f"{bad}:9: Matching questions" in err
    assert "nothing was imported" in err
    assert full_bank.questions.count() == before
    code, out, _err = run_import(full_bank, DATA / "computer_basics.gift")
    assert code == 0 and "Imported 13 question(s)" in out
    assert full_bank.questions.count() == before + 13


def test_import_command_exit_status_is_1_on_hostile_xml(full_bank):
    code, _out, err = run_import(full_bank, DATA / "hostile_entities.xml", "moodlexml")
    assert code == 1 and ":2: The file declares a DTD" in err


def test_export_command_writes_the_bank(full_bank, tmp_path):
    out = io.StringIO()
    call_command("export_questions", bank=full_bank.pk, fmt="moodlexml", stdout=out)
    assert out.getvalue().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert "کون سی کلید" in out.getvalue()
    target = tmp_path / "bank.gift"
    call_command("export_questions", bank=full_bank.pk, fmt="gift", output=target)
    assert "$CATEGORY: keyboard" in target.read_text(encoding="utf-8")


# --- who may import and export ----------------------------------------------------------------


@pytest.fixture
def people(db):
    glt, skd = CenterFactory(code="GLT"), CenterFactory(code="SKD")
    return {
        "glt": glt,
        "trainer_a": trainer_of(glt, "trainer-a"),
        "manager_a": manager_of(glt, "manager-a"),
        "trainer_b": trainer_of(skd, "trainer-b"),
        "admin": UserFactory(username="admin", role=roles.PROGRAMME_ADMIN),
    }


@pytest.fixture
def bank_a(question_bank, people):
    return QuestionBank.objects.create(
        course=question_bank[0], title="Gilgit bank", center=people["glt"]
    )


def upload(name, fmt="gift", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile(name, (DATA / name).read_bytes()), "format": fmt, **extra}


def test_a_trainer_previews_then_imports_drafts_into_their_centers_bank(client, people, bank_a):
    client.force_login(people["trainer_a"])
    url = reverse("assessments_import:question_import", args=[bank_a.pk])
    assert client.get(url).status_code == 200
    preview = client.post(url, upload("computer_basics.aiken", "aiken", publish="on"))
    assert preview.status_code == 200 and not bank_a.questions.exists()
    assert preview.context["outcome"].ok and len(preview.context["rows"]) == 3
    assert "publish" not in preview.context["form"].fields
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in ("format", "content")}
    response = client.post(url, {**data, "publish": "True", "confirm": "1"})
    assert response.status_code == 302
    assert bank_a.questions.count() == 3
    assert not bank_a.questions.filter(live=True).exists()


def test_a_manager_may_publish_what_they_import(client, people, bank_a):
    client.force_login(people["manager_a"])
    url = reverse("assessments_import:question_import", args=[bank_a.pk])
    preview = client.post(url, upload("computer_basics.aiken", "aiken", publish="on"))
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in ("format", "content", "publish")}
    assert client.post(url, {**data, "confirm": "1"}).status_code == 302
    assert bank_a.questions.filter(live=True).count() == 3


def test_the_preview_lists_problems_by_line_and_offers_no_import(client, people, bank_a):
    client.force_login(people["trainer_a"])
    url = reverse("assessments_import:question_import", args=[bank_a.pk])
    response = client.post(url, upload("broken.gift"))
    assert not response.context["outcome"].ok
    rows = {row["line"]: row["problems"] for row in response.context["rows"]}
    assert rows[9] == ["Matching questions are not a Hunar question type."]
    assert rows[3] == [] and 5 in {p.line for p in response.context["other_problems"]}
    assert b'name="confirm"' not in response.content


def test_another_centers_staff_get_404_and_nothing_is_saved(client, people, bank_a):
    client.force_login(people["trainer_b"])
    url = reverse("assessments_import:question_import", args=[bank_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, upload("computer_basics.aiken", "aiken")).status_code == 404
    export = reverse("assessments_import:question_export", args=[bank_a.pk])
    assert client.get(export).status_code == 404
    assert not bank_a.questions.exists()


def test_a_programme_bank_is_exported_by_center_staff_but_imported_by_admins_only(
    client, people, full_bank
):
    client.force_login(people["trainer_a"])
    url = reverse("assessments_import:question_import", args=[full_bank.pk])
    assert client.get(url).status_code == 404
    export = reverse("assessments_import:question_export", args=[full_bank.pk])
    response = client.get(export + "?format=gift")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "$CATEGORY: keyboard" in response.content.decode()
    client.force_login(people["admin"])
    assert client.get(url).status_code == 200


def test_the_service_refuses_a_trainer_who_asks_to_publish(people, bank_a):
    with pytest.raises(importing.ImportRefused):
        importing.questions_import(
            bank=bank_a, user=people["trainer_a"], data=b"Q?\nA. x\nB. y\nANSWER: A\n",
            fmt="aiken", publish=True,
        )  # fmt: skip
    assert not bank_a.questions.exists()


def test_the_bank_list_offers_import_only_where_the_user_may_edit(
    client, people, bank_a, full_bank
):
    client.force_login(people["trainer_a"])
    page = client.get(reverse("question_banks:index")).content.decode()
    assert reverse("assessments_import:question_import", args=[bank_a.pk]) in page
    assert reverse("assessments_import:question_import", args=[full_bank.pk]) not in page
    assert reverse("assessments_import:question_export", args=[full_bank.pk]) in page


def test_the_admin_refuses_a_file_over_the_size_cap(client, people, bank_a, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 100
    client.force_login(people["trainer_a"])
    url = reverse("assessments_import:question_import", args=[bank_a.pk])
    response = client.post(url, upload("computer_basics.gift"))
    assert "The file is larger than 0 KB" in response.content.decode()
    assert "outcome" not in response.context and not bank_a.questions.exists()
