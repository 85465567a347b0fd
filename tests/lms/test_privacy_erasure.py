"""A learner's data export and erasure (lms.privacy with every app's registered part).

The leak: before these services a learner's name, father's name, essays, uploaded files,
follow-up answers and sign-in logs stayed in Hunar for ever, and nobody could hand a learner
what Hunar holds about them.
"""

import contextlib
import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from axes.models import AccessLog
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from wagtail.log_actions import log

from assessments import services as assessment_services
from assessments.models import Response
from certificates.services import certificate_issue
from courses.models import RosterImport
from courses.services import enrollment_create
from lms import consent, privacy
from lms.attendance import attendance_record
from lms.models import Center, Cohort, CohortSession, LearnerProfile
from reports.filters import ReportFilters
from reports.models import FollowUp
from reports.selectors import center_table, cohort_table, learner_rows
from tests.assessments import conftest as assessment_fixtures
from tests.certificates import conftest as certificate_fixtures
from tests.factories import CenterFactory, LearnerProfileFactory, manager_of

pytestmark = pytest.mark.django_db

completed_enrollment = certificate_fixtures.completed_enrollment
signing_key = certificate_fixtures.signing_key
question_bank = assessment_fixtures.question_bank
make_quiz = assessment_fixtures.make_quiz

PERSONAL = {
    "name": "Amina Khan",
    "name_ur": "آمنہ خان",
    "father": "Karim Baig",
    "username": "amina.k2009",
    "email": "amina.k2009@example.org",
    "guardian": "Gul Baig Senior",
    "essay": "My village has one computer and I share it with my cousins",
    "feedback": "Well argued, Amina",
    "user_agent": "Mozilla/5.0 (Amina-phone)",
    "file": b"%PDF-1.7 Amina's freelance portfolio",
}


@pytest.fixture
def learner(completed_enrollment, make_quiz, question_bank, client):
    """A 17-year-old with a bit of everything Hunar can hold about a learner."""
    enrollment = completed_enrollment(slug="certified", year_of_birth=timezone.now().year - 17)
    user = enrollment.learner
    user.username, user.email = PERSONAL["username"], PERSONAL["email"]
    user.save()
    profile = user.learner_profile
    profile.father_name, profile.gender = PERSONAL["father"], "female"
    profile.save()
    manager = manager_of(profile.home_center)
    consent.guardian_consent_record(
        manager=manager, learner_user=user, guardian_name=PERSONAL["guardian"],
        relationship="grandfather", method="in_person", given_on=timezone.localdate(),
    )  # fmt: skip
    certificate = certificate_issue(enrollment=enrollment)
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF " + PERSONAL["name"].encode()), save=False)
    certificate.pdf_sha256 = "a" * 64
    certificate.save(update_fields=["pdf", "pdf_sha256"])

    quiz_course = question_bank[0]
    quiz_enrollment = enrollment_create(learner=user, course=quiz_course)
    quiz = make_quiz(kinds=("single", "essay"))
    attempt = assessment_services.attempt_start(learner=user, assessment=quiz)
    choice = str(attempt.questions[0]["choices"][0]["id"])
    attempt = assessment_services.attempt_submit(
        attempt=attempt, answers={0: [choice], 1: PERSONAL["essay"]}, sequence=attempt.sequence
    )
    essay = attempt.responses.get(position=1)
    essay.file.save("upload", ContentFile(PERSONAL["file"]), save=False)
    essay.file_name = "amina-portfolio.pdf"
    essay.save()
    assessment_services.response_grade(
        response=essay, grader=manager, score=Decimal(2), feedback=PERSONAL["feedback"],
        reason="first grade",
    )  # fmt: skip

    session = CohortSession.objects.create(
        cohort=enrollment.cohort, date=datetime.date(2026, 9, 2), shift=enrollment.cohort.shift
    )
    bystander = LearnerProfileFactory(home_center=profile.home_center, full_name="Bilal Ahmed")
    enrollment.cohort.memberships.create(learner=bystander.user)
    enrollment_create(learner=bystander.user, course=enrollment.course, cohort=enrollment.cohort)
    attendance_record(
        session=session, marks={user.pk: "present", bystander.user_id: "absent"}, user=manager
    )
    FollowUp.objects.create(
        enrollment=enrollment, days_after=30, due_on=timezone.localdate(),
        sent_at=timezone.now(), answered_at=timezone.now(), income_band="10k_30k",
        has_first_paid_job=True, token_hash="f" * 64,
    )  # fmt: skip
    AccessLog.objects.create(
        username=user.username, ip_address="10.1.2.3", user_agent=PERSONAL["user_agent"],
        http_accept="*/*", path_info="/accounts/login/",
    )  # fmt: skip
    RosterImport.objects.create(
        center=profile.home_center, uploaded_by=manager, filename="class-9.csv",
        file_sha256="0" * 64, status="committed",
        rows=[
            {"row": 2, "username": user.username, "full_name": PERSONAL["name"],
             "father_name": PERSONAL["father"], "gender": "female", "year_of_birth": "2009",
             "learner_type": "student", "cohort": enrollment.cohort.name},
            {"row": 3, "username": bystander.user.username, "full_name": "Bilal Ahmed",
             "father_name": "", "gender": "", "year_of_birth": "", "learner_type": "student",
             "cohort": enrollment.cohort.name},
        ],
    )  # fmt: skip
    log(instance=profile, action="wagtail.edit", user=manager)
    client.force_login(user)  # a session row that carries the learner's id
    return {
        "user": user,
        "manager": manager,
        "certificate": certificate,
        "upload": essay.file.name,
        "pdf": certificate.pdf.name,
        "bystander": bystander,
        "quiz_enrollment": quiz_enrollment,
    }


def _figures():
    """Every dashboard figure that counts this learner, without names."""
    centers = Center.objects.all()
    filters = ReportFilters()
    centers_rows, centers_total = center_table(centers=centers, filters=filters)
    figures = [(r.key, r.learners, r.enrollments, r.lessons_completed, r.completed, r.passed,
                r.graded, r.certificates_issued, r.attended, r.attendance_counted)
               for r in [*centers_rows, centers_total]]  # fmt: skip
    for center in centers:
        rows, total = cohort_table(center=center, cohorts=Cohort.objects.all(), filters=filters)
        figures += [(r.key, r.learners, r.enrollments, r.completed, r.passed, r.attended)
                    for r in [*rows, total]]  # fmt: skip
    learners = [
        (r.enrollment_id, r.status, r.lessons_completed, r.attended, r.attendance_counted,
         r.best_percent, r.passed, r.certificate)
        for r in learner_rows(centers=centers, filters=filters)
    ]  # fmt: skip
    return figures, sorted(learners)


def _database_text() -> str:
    """Every text-like value in every table, JSON decoded (SQLite stores Urdu as \\u escapes;
    PostgreSQL hands JSON columns back as objects)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (our own table names)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", "replace")
                    if isinstance(value, dict | list):  # JSON columns on PostgreSQL
                        value = json.dumps(value, ensure_ascii=False)
                    if not isinstance(value, str):
                        continue
                    chunks.append(value)
                    if value[:1] in "[{":
                        with contextlib.suppress(ValueError):
                            chunks.append(json.dumps(json.loads(value), ensure_ascii=False))
    return "\n".join(chunks)


def _personal_strings():
    return [v for k, v in PERSONAL.items() if isinstance(v, str)]


def test_erasure_leaves_no_personal_string_and_every_figure_as_it_was(
    learner, django_capture_on_commit_callbacks
):
    text = _database_text()
    assert all(value in text for value in _personal_strings())  # the check can see them
    before = _figures()

    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        privacy.learner_erase(by=learner["manager"], learner_user=learner["user"])

    text = _database_text()
    left = [value for value in _personal_strings() if value in text]
    assert left == []
    assert _figures() == before
    profile = LearnerProfile.objects.get(user=learner["user"])
    assert (profile.year_of_birth, profile.gender, profile.father_name) == (None, "", "")
    private, public = Response._meta.get_field("file").storage, learner["certificate"].pdf.storage
    assert not private.exists(learner["upload"]) and not public.exists(learner["pdf"])
    user = type(learner["user"]).objects.get(pk=learner["user"].pk)
    assert not user.is_active and not user.has_usable_password()
    # The bystander in the same roster and cohort keeps everything.
    bystander = LearnerProfile.objects.get(pk=learner["bystander"].pk)
    assert bystander.full_name == "Bilal Ahmed" and "Bilal Ahmed" in text


def test_an_erased_certificate_stays_valid_with_the_holder_name_withheld(client, learner):
    certificate = learner["certificate"]
    assert client.get(f"/api/v1/certificates/{certificate.code}/").json()["learner_name"]
    privacy.learner_erase(by=learner["manager"], learner_user=learner["user"])
    data = client.get(f"/api/v1/certificates/{certificate.code}/").json()
    assert data["status"] == "valid" and data["holder_name_withheld"] is True
    assert data["learner_name"] is None and data["pdf_sha256"] == "a" * 64


def test_only_a_manager_of_the_home_center_may_erase_or_export(learner):
    other = manager_of(CenterFactory(code="SKD"))
    for service in (privacy.learner_erase, privacy.learner_data_export):
        kwargs = {"target": io.BytesIO()} if service is privacy.learner_data_export else {}
        with pytest.raises(privacy.PrivacyError):
            service(by=other, learner_user=learner["user"], **kwargs)
    with pytest.raises(privacy.PrivacyError):  # a staff account is not erased this way
        privacy.learner_erase(by=learner["manager"], learner_user=learner["manager"])
    assert LearnerProfile.objects.get(user=learner["user"]).full_name == PERSONAL["name"]


def test_a_failing_eraser_changes_nothing(learner, monkeypatch):
    def broken(*, user):
        raise RuntimeError("disk full")

    monkeypatch.setitem(privacy._erasers, broken, 10_000)  # runs last, after lms's own
    with pytest.raises(RuntimeError):
        privacy.learner_erase(by=learner["manager"], learner_user=learner["user"])
    assert LearnerProfile.objects.get(user=learner["user"]).full_name == PERSONAL["name"]
    assert Response._meta.get_field("file").storage.exists(learner["upload"])


def test_the_export_holds_everything_as_json_and_formula_safe_csv_with_the_files(learner):
    LearnerProfile.objects.filter(user=learner["user"]).update(full_name_ur="=HYPERLINK(1)")
    target = io.BytesIO()
    privacy.learner_data_export(by=learner["manager"], learner_user=learner["user"], target=target)
    archive = zipfile.ZipFile(target)
    names = set(archive.namelist())
    for kind in ("account", "profile", "guardian_consents", "cohorts", "attendance", "sign_ins",
                 "enrollments", "lesson_progress", "roster_rows", "attempts", "responses",
                 "grade_changes", "certificates", "followups"):  # fmt: skip
        assert {f"{kind}.json", f"{kind}.csv"} <= names
    everything = "\n".join(
        archive.read(n).decode("utf-8") for n in names if n.endswith((".json", ".csv"))
    )
    for value in _personal_strings():
        assert value in everything or json.dumps(value)[1:-1] in everything
    profile_csv = list(csv.reader(io.StringIO(archive.read("profile.csv").decode("utf-8-sig"))))
    assert "'=HYPERLINK(1)" in profile_csv[1]
    files = [n for n in names if n.startswith("files/")]
    assert PERSONAL["file"] in [archive.read(n) for n in files]
    assert any(n.endswith(f"{learner['certificate'].serial}.pdf") for n in files)
    assert Response.objects.filter(file="").count() >= 1  # nothing changed by exporting
