"""Retention jobs (docs/privacy.md, "How long"): what is older than its period goes, what is
recent stays; each period is a setting and beat runs each job.

The leak: before these jobs sign-in logs (username, address, browser), expired sessions, spent
follow-up links, project files and roster rows were kept for ever.
"""

import datetime
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as real_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments import services as assessment_services
from assessments import tasks as assessment_tasks
from assessments.models import Attempt, Response
from courses import tasks as course_tasks
from courses.models import RosterImport
from lms import tasks as lms_tasks
from lms.celery import app
from reports import tasks as report_tasks
from reports.models import FollowUp
from tests.assessments import conftest as assessment_fixtures
from tests.certificates import conftest as certificate_fixtures
from tests.factories import CenterFactory, UserFactory

pytestmark = pytest.mark.django_db

completed_enrollment = certificate_fixtures.completed_enrollment
signing_key = certificate_fixtures.signing_key
question_bank = assessment_fixtures.question_bank
make_quiz = assessment_fixtures.make_quiz
cohort_learner = assessment_fixtures.cohort_learner

NOW = timezone.now()
JOBS = {
    "privacy-signin-logs": lms_tasks.signin_logs_purge_task,
    "privacy-sessions": lms_tasks.sessions_purge_task,
    "privacy-followup-links": report_tasks.followup_links_purge_task,
    "privacy-project-files": assessment_tasks.project_files_purge_task,
    "privacy-roster-rows": course_tasks.roster_rows_purge_task,
}


def _days_ago(days):
    return NOW - datetime.timedelta(days=days)


def test_beat_runs_every_retention_job_with_the_stated_defaults():
    app.loader.import_default_modules()
    for entry, task in JOBS.items():
        assert real_settings.CELERY_BEAT_SCHEDULE[entry]["task"] == task.name
        assert task.name in app.tasks
    defaults = {
        "SIGNIN_LOG_RETENTION_DAYS": 90,
        "FOLLOWUP_LINK_RETENTION_DAYS": 30,
        "ASSESSMENT_FILE_RETENTION_DAYS": 365,
        "ROSTER_IMPORT_RETENTION_DAYS": 30,
    }
    for name, days in defaults.items():
        assert getattr(real_settings, name) == days, name


def _axes_rows(model, username, days, **extra):
    row = model.objects.create(
        username=username, ip_address="10.0.0.1", user_agent="Mozilla", http_accept="*/*",
        path_info="/accounts/login/", **extra,
    )  # fmt: skip
    model.objects.filter(pk=row.pk).update(attempt_time=_days_ago(days))


@pytest.mark.parametrize("days", [90, 7])
def test_sign_in_logs_older_than_the_setting_go(settings, days):
    settings.SIGNIN_LOG_RETENTION_DAYS = days
    extras = {
        AccessLog: {},
        AccessFailureLog: {"locked_out": False},
        AccessAttempt: {"get_data": "", "post_data": "", "failures_since_start": 1},
    }
    for model, extra in extras.items():
        _axes_rows(model, "old", days + 1, **extra)
        _axes_rows(model, "recent", days - 1, **extra)
    assert lms_tasks.signin_logs_purge_task() == 3
    for model in extras:
        assert list(model.objects.values_list("username", flat=True)) == ["recent"]


def test_expired_sessions_go_and_live_ones_stay():
    for key, expiry in (("expired", _days_ago(1)), ("live", NOW + datetime.timedelta(hours=1))):
        store = SessionStore()
        Session.objects.create(
            session_key=key * 4, session_data=store.encode({"k": 1}), expire_date=expiry
        )
    lms_tasks.sessions_purge_task()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live" * 4]


def test_spent_and_closed_follow_up_links_are_forgotten(settings, completed_enrollment):
    settings.FOLLOWUP_LINK_RETENTION_DAYS = 30
    enrollment = completed_enrollment()
    cases = {  # days_after: (sent days ago, answered days ago, forgotten?)
        30: (100, 31, True),  # answered more than 30 days ago
        90: (100, 29, False),  # answered recently: "already answered" still shows
        180: (91, None, True),  # closed 60 days after sending, and 30 more have passed
    }
    for day, (sent, answered, _gone) in cases.items():
        FollowUp.objects.create(
            enrollment=enrollment, days_after=day, due_on=_days_ago(sent).date(),
            sent_at=_days_ago(sent), answered_at=_days_ago(answered) if answered else None,
            token_hash=f"{day:064d}",
        )  # fmt: skip
    assert report_tasks.followup_links_purge_task() == 2
    for day, (_sent, _answered, gone) in cases.items():
        token_hash = FollowUp.objects.get(days_after=day).token_hash
        assert (token_hash == "") is gone
    # An unanswered link still inside its answer window keeps working.
    FollowUp.objects.filter(days_after=180).update(sent_at=_days_ago(10), token_hash="x" * 64)
    assert report_tasks.followup_links_purge_task() == 0


def test_project_files_go_after_the_stated_period_and_the_score_stays(
    settings, make_quiz, cohort_learner
):
    settings.ASSESSMENT_FILE_RETENTION_DAYS = 365
    learner, _enrollment = cohort_learner
    quiz = make_quiz(kinds=("essay",))
    paths = {}
    for label, days in (("old", 400), ("recent", 30)):
        attempt = assessment_services.attempt_start(learner=learner, assessment=quiz)
        attempt = assessment_services.attempt_submit(
            attempt=attempt, answers={0: "text"}, sequence=attempt.sequence
        )
        response = attempt.responses.get()
        response.file.save("f", ContentFile(label.encode()), save=False)
        response.file_name, response.score = f"{label}.pdf", Decimal(2)
        response.save()
        attempt.graded_at, attempt.status = _days_ago(days), Attempt.Status.GRADED
        attempt.save(update_fields=["graded_at", "status"])
        paths[label] = response
    assert assessment_tasks.project_files_purge_task() == 1
    private = Response._meta.get_field("file").storage
    old, recent = (paths[k] for k in ("old", "recent"))
    assert not private.exists(old.file.name) and private.exists(recent.file.name)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.file.name, old.file_name, old.score) == ("", "", Decimal(2))
    assert recent.file_name == "recent.pdf"


def test_old_roster_imports_lose_their_rows_and_keep_their_counts(settings):
    settings.ROSTER_IMPORT_RETENTION_DAYS = 30
    center, manager = CenterFactory(), UserFactory()
    rows = [{"row": 2, "full_name": "Amina Khan", "father_name": "Karim"}]
    made = {}
    for label, days, status in (("old", 31, "committed"), ("stale", 40, "previewed"),
                                ("recent", 5, "committed")):  # fmt: skip
        made[label] = RosterImport.objects.create(
            center=center, uploaded_by=manager, filename=f"{label}.csv", file_sha256="0",
            rows=rows, status=status, summary={"created": 1},
        )  # fmt: skip
        RosterImport.objects.filter(pk=made[label].pk).update(uploaded_at=_days_ago(days))
    assert course_tasks.roster_rows_purge_task() == 2
    for item in made.values():
        item.refresh_from_db()
    assert made["old"].rows == [] and made["old"].summary == {"created": 1}
    assert made["stale"].rows == [] and made["stale"].status == "discarded"
    assert made["recent"].rows == rows
