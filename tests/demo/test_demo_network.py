"""The demo network looks like a running programme (issue 16, decision 0026): every center is
staffed and teaches its shifts, learners are at every stage, the last weeks have attendance,
certificates are valid and revoked, and what ``seed_demo`` prints are real accounts. Seeded once
for the module (tests/demo_seed.py)."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from assessments.models import Attempt
from certificates.models import Certificate
from courses.models import Announcement, CohortDueDate, Enrollment
from courses.roster import roster_check, roster_parse, roster_template_csv
from demo import clock
from demo.network import DEMO_PASSWORD, SCHOOL_LABS, TECH_HUBS
from lms.models import Center, CenterStaff, Cohort, CohortSession, Shift
from reports.models import FollowUp
from tests.demo_seed import demo_seeded_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with demo_seeded_once(django_db_blocker) as output:
        yield output


def test_every_center_has_a_manager_a_trainer_and_a_taught_cohort_in_each_of_its_shifts(seeded):
    centers = Center.objects.all()
    assert centers.count() == len(SCHOOL_LABS) + len(TECH_HUBS) == 17
    for center in centers:
        roles = set(CenterStaff.objects.filter(center=center).values_list("role", flat=True))
        assert roles == {CenterStaff.Role.MANAGER, CenterStaff.Role.TRAINER}, center.code
        shifts = sorted(Cohort.objects.filter(center=center).values_list("shift", flat=True))
        expected = (
            [Shift.SCHOOL_HOURS, Shift.SECOND_SHIFT]
            if center.kind == Center.Kind.SCHOOL_LAB
            else [Shift.SECOND_SHIFT]  # the hubs teach the second shift only (decision 0026)
        )
        assert shifts == sorted(expected), center.code
        for cohort in Cohort.objects.filter(center=center):
            assert cohort.trainers.exists() and cohort.curriculum_id is not None, cohort
            assert cohort.memberships.count() >= 4, cohort
            assert cohort.start_date == clock.term_start()


def test_learners_are_at_every_stage_of_their_course(seeded):
    enrollments = Enrollment.objects.all()
    assert enrollments.filter(status="active", progress__isnull=True).exists()  # not started
    # Every lesson read, the assessments still to pass (the course stays open).
    lessons_done = enrollments.filter(status="active", learner__username="youth.sthdmr5").get()
    assert lessons_done.progress.filter(completed_at__isnull=True).count() == 0
    assert lessons_done.progress.count() > 1
    in_progress = enrollments.filter(status="active", progress__completed_at__isnull=False)
    assert in_progress.exists()
    completed = enrollments.filter(status="completed")
    # Every center has somebody who finished, with a certificate.
    assert set(completed.values_list("center__code", flat=True)) == set(
        Center.objects.values_list("code", flat=True)
    )
    assert Certificate.objects.filter(status="issued", enrollment__in=completed).exists()
    # Dates from today: enrolled in the term, finished weeks ago.
    assert enrollments.filter(enrolled_at__date__lt=clock.days_ago(60)).count() == len(enrollments)
    assert completed.filter(completed_at__date__lt=clock.days_ago(28)).exists()


def test_attempts_projects_certificates_followups_due_dates_and_announcements(seeded):
    attempts = Attempt.objects.all()
    assert attempts.filter(status="in_progress").exists()
    assert attempts.filter(status="graded", passed=True).exists()
    assert attempts.filter(status="graded", passed=False).exists()
    projects = attempts.filter(assessment__kind="project")
    assert projects.filter(status="submitted").exists()  # awaiting grading
    assert projects.filter(status="graded").exists()
    revoked = Certificate.objects.get(status="revoked")
    assert revoked.revocation_reason and revoked.revoked_at is not None
    assert FollowUp.objects.filter(answered_at__isnull=False).exists()
    now = clock.at(clock.today(), hour=0)
    assert CohortDueDate.objects.filter(due_at__gt=now).exists()  # due next week
    assert CohortDueDate.objects.filter(due_at__lt=now).exists()  # overdue
    assert Announcement.objects.filter(center__isnull=False).count() == 17
    assert Announcement.objects.filter(cohort__isnull=False).count() == Cohort.objects.count()


def test_every_cohort_has_attendance_in_the_last_week_and_over_six_weeks(seeded):
    for cohort in Cohort.objects.all():
        sessions = CohortSession.objects.filter(cohort=cohort)
        recent = sessions.filter(date__gt=clock.days_ago(7), date__lte=clock.today())
        assert recent.exists(), cohort
        assert recent.first().marks.count() == cohort.memberships.count()
        assert sessions.filter(date__lte=clock.days_ago(35)).exists(), cohort
        assert not sessions.filter(date__gt=clock.today()).exists()


def test_the_roster_templates_sample_row_imports_at_every_school_lab(seeded):
    rows = roster_parse(filename="template.csv", content=roster_template_csv())
    for center in Center.objects.filter(kind=Center.Kind.SCHOOL_LAB):
        assert roster_check(center=center, rows=rows) == [], center.code


def _printed_table(output: str) -> list[tuple[str, str]]:
    """(role, username) of each row of the printed table."""
    rows = re.findall(r"^  (\S.*?\S)  +(\S+)  +.+$", output, flags=re.MULTILINE)
    return [(role, username) for role, username in rows if role != "Role"]


def test_the_printed_accounts_are_real_accounts_that_sign_in(seeded, client):
    rows = _printed_table(seeded)
    roles = [role for role, _username in rows]
    assert roles == [
        "Programme admin",
        "Center manager",
        "Trainer",
        "Learner: student",
        "Learner: youth",
        "Learner with a certificate",
    ]
    codes = re.search(r"codes: (.+)$", seeded, flags=re.MULTILINE).group(1).split(", ")
    assert len(codes) == 17
    printed = [username for _role, username in rows]
    for number, username in enumerate(printed):
        # Through the sign-in form, as a person would (each from an address of their own).
        form = {"username": username, "password": DEMO_PASSWORD}
        client.post("/accounts/login/", form, REMOTE_ADDR=f"10.0.0.{number + 1}")
        assert "_auth_user_id" in client.session, username
        client.logout()
    staff = [f"{role}.{code}" for code in codes for role in ("manager", "trainer")]
    for username in staff:
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None and user.is_active, username
    usernames = set(printed + staff)  # Gilgit's manager and trainer are in both
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    assert len(users) == len(usernames)
    assert users["admin"].is_superuser
    holder = dict(rows)["Learner with a certificate"]
    assert Certificate.objects.filter(status="issued", enrollment__learner=users[holder]).exists()
    assert f"Password of every demo account: {DEMO_PASSWORD}" in seeded

    valid = re.search(r"^\s+(\S+)  \(valid\)$", seeded, flags=re.MULTILINE).group(1)
    revoked = re.search(r"^\s+(\S+)  \(revoked\)$", seeded, flags=re.MULTILINE).group(1)
    assert Certificate.objects.get(code=valid.replace("-", "")).status == "issued"
    assert Certificate.objects.get(code=revoked.replace("-", "")).status == "revoked"


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seeding_again_adds_no_rows_and_changes_no_dates(seeded):
    before = _counts()
    sessions = sorted(CohortSession.objects.values_list("cohort_id", "date"))
    enrolled = sorted(Enrollment.objects.values_list("pk", "enrolled_at", "completed_at"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == before
    assert sorted(CohortSession.objects.values_list("cohort_id", "date")) == sessions
    assert sorted(Enrollment.objects.values_list("pk", "enrolled_at", "completed_at")) == enrolled


def test_the_clock_counts_from_today(seeded):
    assert clock.term_start().weekday() == 0
    assert clock.term_start() <= clock.days_ago(7 * clock.TERM_WEEKS)
    days = clock.class_days()
    assert days[-1] > clock.days_ago(7) and days[0] >= clock.days_ago(42)
    assert all(day.weekday() in clock.CLASS_DAYS for day in days)
    assert clock.at(clock.today()).date() == clock.today()
    assert isinstance(clock.today(), datetime.date)
