"""Roster import: every bad row reported, nothing saved until confirmed, all or nothing, once."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from courses import roster
from courses.models import CoursePage, Enrollment, RosterImport
from lms import people, roles
from lms.models import CohortMembership, LearnerProfile
from tests.curriculum import publish
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
HEADER = list(roster.TEMPLATE_HEADERS)


def csv_bytes(rows, header=HEADER, bom=True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def learner(
    name, username, cohort="Class 7 morning", kind="student", year="2012", ur="", father=""
):
    return (name, ur, father, username, kind, "female", year, cohort)


CLEAN_ROWS = [
    learner("Amina Bibi", "amina.bibi", ur="آمنہ بی بی", father="Karim Khan"),
    learner("Bilal Ahmed", "bilal.ahmed"),
    learner("Sana Karim", "sana.karim"),
    learner("Zara Wali", "zara.wali", cohort="Youth web", kind="youth", year="2004"),
]


@pytest.fixture
def setup(make_course):
    _track, course, _lessons = make_course(lessons=1, blocks=1)
    gilgit = CenterFactory(name="Gilgit lab", code="GLT")
    skardu = CenterFactory(name="Skardu lab", code="SKD", district="Skardu")
    return {
        "gilgit": gilgit,
        "skardu": skardu,
        "course": course,
        "class7": CohortFactory(center=gilgit, name="Class 7 morning", curriculum=course),
        "youth": CohortFactory(center=gilgit, name="Youth web"),
        "skardu_cohort": CohortFactory(center=skardu, name="Skardu evening"),
        "manager": manager_of(gilgit),
        "skardu_manager": manager_of(skardu),
    }


def preview(setup, content, filename="class.csv"):
    return roster.roster_preview(
        center=setup["gilgit"], uploaded_by=setup["manager"], filename=filename, content=content
    )


def counts():
    return (
        User.objects.count(),
        LearnerProfile.objects.count(),
        CohortMembership.objects.count(),
        Enrollment.objects.count(),
    )


# --- Parsing ----------------------------------------------------------------------------------


def test_csv_parse_accepts_header_aliases_bom_and_keeps_spreadsheet_row_numbers():
    header = [
        "FULL_NAME",
        "Urdu name",
        "Father’s Name",
        "user name",
        "Type",
        "Cohort",
        "Birth year",
    ]
    content = csv_bytes(
        [
            ["  Amina   Bibi ", "آمنہ", "Karim", "amina", "Student", "Class 7", "2012"],
            [],  # a blank line keeps its number
            ["Bilal", "", "", "bilal", "youth", "Class 7", ""],
        ],
        header=header,
    )
    rows = roster.roster_parse(filename="Class.CSV", content=content)
    assert [row["row"] for row in rows] == [2, 4]
    assert rows[0]["full_name"] == "Amina Bibi"
    assert rows[0]["full_name_ur"] == "آمنہ"
    assert rows[0]["father_name"] == "Karim"
    assert rows[0]["learner_type"] == "Student"
    assert rows[0]["year_of_birth"] == "2012"
    assert rows[1]["gender"] == ""


def test_csv_with_semicolons_from_excel_is_read():
    content = b"Full name;Username;Learner type;Cohort\nAmina;amina;student;Class 7\n"
    rows = roster.roster_parse(filename="class.csv", content=content)
    assert rows[0]["username"] == "amina"
    assert rows[0]["cohort"] == "Class 7"


def test_xlsx_parse_reads_the_first_sheet_and_numbers_as_text():
    content = xlsx_bytes(
        [
            ("Amina Bibi", "آمنہ بی بی", None, "amina", "student", "female", 2012, "Class 7"),
            ("Bilal", None, None, "bilal", "youth", None, 2004.0, "Class 7"),
        ]
    )
    rows = roster.roster_parse(filename="class.xlsx", content=content)
    assert [row["row"] for row in rows] == [2, 3]
    assert rows[0]["full_name_ur"] == "آمنہ بی بی"
    assert rows[0]["year_of_birth"] == "2012"
    assert rows[1]["year_of_birth"] == "2004"
    assert rows[1]["full_name_ur"] == ""


# --- Whole-file refusals ----------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("photo.csv", PNG, roster.FILE_NOT_CSV),
        ("roster.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", roster.FILE_WRONG_TYPE),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", roster.FILE_WRONG_TYPE),
        ("roster.xlsx", b"Full name,Username\n", roster.FILE_NOT_XLSX),
        ("roster.xlsx", b"PK\x03\x04 not really a zip file", roster.FILE_XLSX_UNREADABLE),
        ("roster.csv", "Full name,Username\nÖzil,ö\n".encode("cp1252"), roster.FILE_CSV_ENCODING),
        ("roster.csv", b"", roster.FILE_EMPTY),
        ("roster.csv", csv_bytes([]), roster.FILE_NO_ROWS),
    ],
)
def test_wrong_or_unreadable_files_are_refused_with_a_clear_message(
    setup, filename, content, message
):
    with pytest.raises(roster.RosterFileError) as caught:
        preview(setup, content, filename=filename)
    assert str(caught.value) == str(message)
    assert not RosterImport.objects.exists()


@override_settings(ROSTER_MAX_BYTES=200)
def test_too_large_file_is_refused_and_nothing_stored(setup):
    content = csv_bytes(CLEAN_ROWS * 5)
    with pytest.raises(roster.RosterFileError) as caught:
        preview(setup, content)
    assert "a roster file may be at most 200" in str(caught.value)
    assert not RosterImport.objects.exists()


@override_settings(ROSTER_MAX_ROWS=3)
def test_too_many_rows_are_refused(setup):
    with pytest.raises(roster.RosterFileError) as caught:
        preview(setup, csv_bytes(CLEAN_ROWS))
    assert str(caught.value) == roster.FILE_TOO_MANY_ROWS % {"limit": 3}


def test_unknown_and_missing_columns_are_named(setup):
    content = csv_bytes([["Amina", "amina", "x"]], header=["Full name", "Username", "Phone"])
    with pytest.raises(roster.RosterFileError) as caught:
        preview(setup, content)
    message = str(caught.value)
    assert "Unknown columns: “Phone”" in message
    assert "Required columns are missing: Learner type, Cohort." in message
    assert not RosterImport.objects.exists()


def test_a_file_without_a_heading_row_is_refused_with_a_hint(setup):
    with pytest.raises(roster.RosterFileError) as caught:
        preview(setup, b"Amina Bibi,amina,student,Class 7 morning\n")
    assert str(caught.value).startswith(str(roster.FILE_NO_HEADER))
    assert "Unknown columns: “Amina Bibi”" in str(caught.value)


# --- Checking: every bad row, nothing saved ---------------------------------------------------


def test_half_broken_file_reports_every_bad_row_and_saves_nothing(setup):
    LearnerProfileFactory(user__username="taken", home_center=setup["skardu"], full_name="Taken")
    before = counts()
    last_year = timezone.localdate().year - roster.YOUNGEST_AGE
    rows = [
        learner("Amina Bibi", "amina"),  # row 2
        learner("", "nameless"),  # row 3: missing full name
        learner("Bilal", "bilal", cohort="Class 9"),  # row 4: unknown cohort
        learner("Another Amina", "AMINA"),  # row 5: duplicate username in the file
        learner("Sana", "taken"),  # row 6: username taken in the database
        learner("Zara", "zara", year="20x0"),  # row 7: bad year
        learner("Hina", "hina", cohort="Skardu evening"),  # row 8: another center's cohort
        learner("Omar", "omar", kind="adult"),  # row 9: bad learner type
        learner("Ali", "ali 1"),  # row 10: invalid username
        learner("Nadia", "nadia", year=str(last_year + 1)),  # row 11: too young
        learner("Rehana", "rehana"),  # row 12
    ]
    roster_import = preview(setup, csv_bytes(rows))

    found = [(p["row"], p["field"], p["message"]) for p in roster_import.problems]
    first, last = roster.OLDEST_YEAR_OF_BIRTH, last_year
    assert found == [
        (3, "full_name", roster.ROW_MISSING % {"field": "Full name"}),
        (4, "cohort", roster.ROW_UNKNOWN_COHORT % {"cohort": "Class 9", "center": "Gilgit lab"}),
        (5, "username", roster.ROW_DUPLICATE_USERNAME % {"username": "AMINA", "first": 2}),
        (6, "username", roster.ROW_USERNAME_TAKEN % {"username": "taken"}),
        (7, "year_of_birth", roster.ROW_BAD_YEAR % {"value": "20x0", "first": first, "last": last}),
        (
            8,
            "cohort",
            roster.ROW_COHORT_OTHER_CENTER % {"cohort": "Skardu evening", "center": "Gilgit lab"},
        ),
        (9, "learner_type", roster.ROW_BAD_LEARNER_TYPE % {"value": "adult"}),
        (10, "username", roster.ROW_BAD_USERNAME % {"username": "ali 1"}),
        (
            11,
            "year_of_birth",
            roster.ROW_BAD_YEAR % {"value": str(last + 1), "first": first, "last": last},
        ),
    ]
    assert roster_import.status == RosterImport.Status.PREVIEWED
    assert counts() == before

    with pytest.raises(roster.RosterHasProblems) as caught:
        roster.roster_commit(roster_import=roster_import, confirmed_by=setup["manager"])
    assert {p.row for p in caught.value.problems} == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert counts() == before
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED


def test_extra_values_in_a_row_are_a_problem_not_silently_dropped(setup):
    content = b"Full name,Username,Learner type,Cohort\nKhan, Ali,ali,student,Class 7 morning\n"
    roster_import = preview(setup, content)
    assert roster_import.problems[0] == {"row": 2, "field": "", "message": roster.ROW_EXTRA_VALUES}


def test_username_of_staff_or_another_name_at_this_center_is_in_use(setup):
    LearnerProfileFactory(user__username="amina", home_center=setup["gilgit"], full_name="Other")
    rows = [learner("Amina Bibi", "amina"), learner("Manager", setup["manager"].username)]
    problems = roster.roster_check(
        center=setup["gilgit"],
        rows=roster.roster_parse(filename="a.csv", content=csv_bytes(rows)),
        uploaded_by=setup["manager"],
    )
    assert [(p.row, p.field) for p in problems] == [(2, "username"), (3, "username")]


# --- Commit -----------------------------------------------------------------------------------


def test_clean_file_commits_learners_with_one_time_passwords(setup):
    roster_import = preview(setup, xlsx_bytes(CLEAN_ROWS), filename="class.xlsx")
    assert roster_import.problems == []
    assert User.objects.filter(username="amina.bibi").count() == 0  # preview creates nobody

    result = roster.roster_commit(roster_import=roster_import, confirmed_by=setup["manager"])

    assert [new.username for new in result.created] == [row[3] for row in CLEAN_ROWS]
    assert result.already_present == 0
    assert result.enrolled == 3  # the three learners of the cohort that follows a course
    for new in result.created:
        user = User.objects.get(username=new.username)
        assert user.check_password(new.password)
        assert len(new.password) >= 10
        assert set(new.password) <= set(people.ONE_TIME_PASSWORD_ALPHABET)
        assert user.groups.filter(name=roles.LEARNER).exists()
        profile = user.learner_profile
        assert profile.must_change_password is True
        assert profile.home_center == setup["gilgit"]
        assert new.password not in repr(new)
    amina = LearnerProfile.objects.get(user__username="amina.bibi")
    assert (amina.full_name, amina.full_name_ur, amina.gender) == (
        "Amina Bibi",
        "آمنہ بی بی",
        "female",
    )
    assert amina.year_of_birth == 2012
    assert amina.father_name == "Karim Khan"
    assert amina.learner_type == "student"
    assert LearnerProfile.objects.get(user__username="zara.wali").learner_type == "youth"
    assert CohortMembership.objects.filter(cohort=setup["class7"]).count() == 3
    assert CohortMembership.objects.filter(cohort=setup["youth"]).count() == 1
    enrollment = Enrollment.objects.get(learner=amina.user)
    assert (enrollment.course_id, enrollment.cohort, enrollment.center) == (
        setup["course"].pk,
        setup["class7"],
        setup["gilgit"],
    )

    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert roster_import.committed_at is not None
    assert roster_import.summary["created"] == 4
    assert roster_import.summary["enrolled"] == 3
    stored = json.dumps(
        list(RosterImport.objects.values("rows", "problems", "summary", "filename")),
        ensure_ascii=False,
    )
    for new in result.created:
        assert new.password not in stored


def test_commit_is_all_or_nothing(setup, monkeypatch):
    roster_import = preview(setup, csv_bytes(CLEAN_ROWS))
    before = counts()
    real = roster.enrollment_create
    calls = []

    def failing_on_the_third(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("the lab's power went out")
        return real(**kwargs)

    monkeypatch.setattr(roster, "enrollment_create", failing_on_the_third)
    with pytest.raises(RuntimeError):
        roster.roster_commit(roster_import=roster_import, confirmed_by=setup["manager"])
    assert len(calls) == 3
    assert counts() == before
    assert not User.objects.filter(username__in=[row[3] for row in CLEAN_ROWS]).exists()
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED


def test_importing_the_same_file_twice_creates_no_duplicates(setup):
    content = csv_bytes(CLEAN_ROWS)
    roster.roster_commit(roster_import=preview(setup, content), confirmed_by=setup["manager"])
    after_first = counts()
    # Someone took a learner out of the class since: the second import puts them back.
    CohortMembership.objects.filter(learner__username="bilal.ahmed").delete()

    again = preview(setup, content)
    assert again.problems == []
    assert all(row["already_imported"] for row in again.rows)
    assert roster.roster_same_file_imported(roster_import=again) is not None
    result = roster.roster_commit(roster_import=again, confirmed_by=setup["manager"])

    assert result.created == []
    assert result.already_present == 4
    assert counts() == after_first
    assert CohortMembership.objects.filter(learner__username="bilal.ahmed").exists()


def test_second_confirmation_raises_and_creates_nothing(setup):
    roster_import = preview(setup, csv_bytes(CLEAN_ROWS))
    stale_copy = RosterImport.objects.get(pk=roster_import.pk)
    roster.roster_commit(roster_import=roster_import, confirmed_by=setup["manager"])
    after_first = counts()
    with pytest.raises(roster.RosterAlreadyCommitted):
        roster.roster_commit(roster_import=stale_copy, confirmed_by=setup["manager"])
    with pytest.raises(roster.RosterAlreadyCommitted):
        roster.roster_discard(roster_import=stale_copy)
    assert counts() == after_first


def test_discarded_roster_cannot_be_committed(setup):
    roster_import = preview(setup, csv_bytes(CLEAN_ROWS))
    roster.roster_discard(roster_import=roster_import)
    with pytest.raises(roster.RosterDiscarded):
        roster.roster_commit(roster_import=roster_import, confirmed_by=setup["manager"])
    assert not User.objects.filter(username="amina.bibi").exists()


def test_only_a_manager_of_the_center_may_preview_or_commit(setup):
    with pytest.raises(roster.RosterNotAllowed):
        roster.roster_preview(
            center=setup["gilgit"],
            uploaded_by=setup["skardu_manager"],
            filename="a.csv",
            content=csv_bytes(CLEAN_ROWS),
        )
    roster_import = preview(setup, csv_bytes(CLEAN_ROWS))
    with pytest.raises(roster.RosterNotAllowed):
        roster.roster_commit(roster_import=roster_import, confirmed_by=setup["skardu_manager"])


def test_track_cohort_enrols_in_the_tracks_live_entry_courses(setup):
    course = setup["course"]
    track = course.get_parent().specific
    follow_up = track.add_child(
        instance=CoursePage(title="Internet", slug="internet", summary="Next.", hours=6)
    )
    follow_up.prerequisites.set([course])
    publish(follow_up)
    track.add_child(
        instance=CoursePage(title="Draft", slug="draft", summary="Not yet.", hours=2, live=False)
    )
    cohort = CohortFactory(center=setup["gilgit"], name="Track class", curriculum=track)
    roster_import = preview(setup, csv_bytes([learner("Amina", "amina", cohort="Track class")]))
    result = roster.roster_commit(roster_import=roster_import, confirmed_by=setup["manager"])
    assert result.enrolled == 1
    assert list(Enrollment.objects.values_list("course_id", "cohort_id")) == [
        (course.pk, cohort.pk)
    ]


# --- Admin views ------------------------------------------------------------------------------


def upload(client, setup, content, filename="class.csv", center=None):
    return client.post(
        reverse("courses_roster:upload"),
        {
            "center": (center or setup["gilgit"]).pk,
            "file": _file(content, filename),
        },
    )


def _file(content, filename):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(filename, content)


def test_manager_uploads_previews_confirms_and_prints_passwords(client, setup):
    client.force_login(setup["manager"])
    page = client.get(reverse("courses_roster:upload"))
    assert page.status_code == 200
    assert 'accept=".csv,.xlsx"' in page.text
    assert "Import roster" in client.get(reverse("wagtailadmin_home")).text

    response = upload(client, setup, csv_bytes(CLEAN_ROWS))
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("courses_roster:preview", args=[roster_import.pk])

    preview_page = client.get(response.url)
    assert "New learners: 4. Already imported: 0." in preview_page.text
    confirm_url = reverse("courses_roster:confirm", args=[roster_import.pk])
    assert confirm_url in preview_page.text
    assert not User.objects.filter(username="amina.bibi").exists()

    sheet = client.post(confirm_url)
    assert sheet.status_code == 200
    assert "no-store" in sheet["Cache-Control"]
    assert "@media print" in sheet.text
    assert "These passwords are shown only once." in sheet.text
    assert '<td dir="rtl" lang="ur">آمنہ بی بی</td>' in sheet.text
    amina = User.objects.get(username="amina.bibi")
    shown = [
        word
        for word in sheet.text.replace("<", " ").replace(">", " ").split()
        if len(word) == people.ONE_TIME_PASSWORD_LENGTH and amina.check_password(word)
    ]
    assert len(shown) == 1

    later = client.get(reverse("courses_roster:preview", args=[roster_import.pk]))
    assert "New learners: 4. Already imported: 0. Course enrolments: 3." in later.text
    assert shown[0] not in later.text
    assert confirm_url not in later.text


def test_preview_of_a_bad_file_lists_problems_and_offers_no_confirm(client, setup):
    client.force_login(setup["manager"])
    rows = [learner("Amina", "ali1"), learner("Bilal", "bilal"), learner("Ali", "ali1")]
    response = upload(client, setup, csv_bytes(rows), filename="class.csv")
    page = client.get(response.url)
    assert "Row 4: Username “ali1” appears twice (first on row 2)." in page.text
    assert "Fix the file and upload it again." in page.text
    roster_import = RosterImport.objects.get()
    assert reverse("courses_roster:confirm", args=[roster_import.pk]) not in page.text
    assert not User.objects.filter(username="bilal").exists()


def test_bad_file_is_shown_again_in_the_form_with_the_message(client, setup):
    client.force_login(setup["manager"])
    response = upload(client, setup, PNG, filename="photo.csv")
    assert response.status_code == 200
    assert "This file is named .csv but is not a text file." in response.text
    with override_settings(ROSTER_MAX_BYTES=10):
        response = upload(client, setup, csv_bytes(CLEAN_ROWS))
    assert "a roster file may be at most 10" in response.text
    assert not RosterImport.objects.exists()


def test_manager_cannot_upload_for_another_center(client, setup):
    client.force_login(setup["manager"])
    response = upload(client, setup, csv_bytes(CLEAN_ROWS), center=setup["skardu"])
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not RosterImport.objects.exists()


def test_changes_since_the_preview_are_caught_at_confirmation(client, setup):
    client.force_login(setup["manager"])
    upload(client, setup, csv_bytes(CLEAN_ROWS))
    roster_import = RosterImport.objects.get()
    UserFactory(username="sana.karim")  # someone else took the name in the meantime
    before = counts()
    response = client.post(reverse("courses_roster:confirm", args=[roster_import.pk]))
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Something changed since the preview" in page.text
    assert "Row 4: Username “sana.karim” is already in use; choose another." in page.text
    assert counts() == before


@pytest.mark.parametrize("action", ["preview", "confirm", "discard"])
def test_manager_of_another_center_gets_404(client, setup, action):
    roster_import = preview(setup, csv_bytes(CLEAN_ROWS))
    client.force_login(setup["skardu_manager"])
    url = reverse(f"courses_roster:{action}", args=[roster_import.pk])
    response = client.post(url) if action != "preview" else client.get(url)
    assert response.status_code == 404
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED
    assert not User.objects.filter(username="amina.bibi").exists()


def test_trainer_and_learner_cannot_reach_the_upload_page(client, setup):
    client.force_login(trainer_of(setup["gilgit"]))
    # Wagtail turns a refusal inside its admin into a redirect to the dashboard with a message.
    for name in ("courses_roster:upload", "courses_roster:template"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403)
        assert not response.content.startswith(b"\xef\xbb\xbfFull name")
        assert 'accept=".csv,.xlsx"' not in response.text
    assert "Import roster" not in client.get(reverse("wagtailadmin_home")).text

    client.force_login(LearnerProfileFactory(home_center=setup["gilgit"]).user)
    response = client.get(reverse("courses_roster:upload"))
    assert response.status_code in (302, 403)
    assert 'accept=".csv,.xlsx"' not in response.text


def test_confirm_needs_post_and_csrf(setup):
    roster_import = preview(setup, csv_bytes(CLEAN_ROWS))
    client = Client(enforce_csrf_checks=True)
    client.force_login(setup["manager"])
    url = reverse("courses_roster:confirm", args=[roster_import.pk])

    assert client.get(url).status_code == 302  # back to the preview; nothing happens
    assert client.post(url).status_code == 403  # no CSRF token
    discard = reverse("courses_roster:discard", args=[roster_import.pk])
    assert client.post(discard).status_code == 403
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED
    assert not User.objects.filter(username="amina.bibi").exists()


def test_discard_from_the_preview(client, setup):
    roster_import = preview(setup, csv_bytes(CLEAN_ROWS))
    client.force_login(setup["manager"])
    response = client.post(reverse("courses_roster:discard", args=[roster_import.pk]))
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DISCARDED
    assert not User.objects.filter(username="amina.bibi").exists()


def test_template_download_is_a_roster_the_parser_reads(client, setup):
    client.force_login(setup["manager"])
    response = client.get(reverse("courses_roster:template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = roster.roster_parse(filename="template.csv", content=response.content)
    assert rows[0]["username"] == "amina.bibi"
    assert rows[0]["full_name_ur"] == "آمنہ بی بی"


def test_urdu_digits_and_a_differently_cased_username_of_the_same_learner(setup):
    LearnerProfileFactory(
        user__username="amina.bibi", home_center=setup["gilgit"], full_name="Amina  bibi"
    )
    rows = [learner("Amina Bibi", "Amina.Bibi"), learner("Bilal", "bilal", year="۲۰۱۲")]
    roster_import = preview(setup, csv_bytes(rows))
    assert roster_import.problems == []
    assert [row["already_imported"] for row in roster_import.rows] == [True, False]
    result = roster.roster_commit(roster_import=roster_import, confirmed_by=setup["manager"])
    assert [new.username for new in result.created] == ["bilal"]
    assert LearnerProfile.objects.get(user__username="bilal").year_of_birth == 2012
    assert User.objects.filter(username__iexact="amina.bibi").count() == 1
