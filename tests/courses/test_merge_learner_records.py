"""Issue 13's data migration on a copy of the demo data: learner records made on Urdu pages by
the old code (a second enrolment, progress and attempts on the translations, a second
certificate) are merged into one record per learner and canonical page."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale

from assessments.models import AssessmentPage, Attempt
from assessments.snapshot import assessment_snapshot
from certificates.models import Certificate
from certificates.services import certificate_issue
from courses.merge import DUPLICATE_REASON, learner_record_counts, learner_records_merge
from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def _old_enrollment(learner, course, *, enrolled_at, **fields):
    """An enrolment on a translation, as the old code made them."""
    english = Enrollment.objects.get(learner=learner)
    enrollment = Enrollment.objects.create(
        learner=learner, course=course, cohort=english.cohort, center=english.center, **fields
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=enrolled_at)
    enrollment.refresh_from_db()
    return enrollment


def _old_attempt(enrollment, quiz, *, number, started_at, status):
    snapshot = assessment_snapshot(quiz)
    return Attempt.objects.create(
        assessment=quiz, enrollment=enrollment, learner=enrollment.learner, number=number,
        snapshot=snapshot, started_at=started_at, status=status, max_score=1,
        submitted_at=None if status == Attempt.Status.IN_PROGRESS else started_at,
    )  # fmt: skip


@pytest.fixture
def demo_with_duplicates(settings, tmp_path):
    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    call_command("seed_demo", stdout=io.StringIO())
    ur = Locale.objects.get(language_code="ur")
    course = CoursePage.objects.get(slug="computer-basics", locale__language_code="en")
    ur_course = course.get_translation(ur)
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    ur_lessons = [lesson.get_translation(ur) for lesson in lessons]
    quiz = AssessmentPage.objects.child_of(course).get(slug="quiz")
    ur_quiz = quiz.get_translation(ur)
    assert ur_course.alias_of_id is None and ur_quiz.alias_of_id is None

    # A learner who finished in English (and has a certificate) enrols again in Urdu, finishes
    # there too and gets a second certificate.
    certified = Certificate.objects.filter(status="issued", enrollment__course=course).first()
    finisher = certified.enrollment.learner
    second = _old_enrollment(
        finisher, ur_course, enrolled_at=timezone.now(), status=Enrollment.Status.COMPLETED,
        completed_at=timezone.now(),
    )  # fmt: skip
    for lesson in ur_lessons:
        now = timezone.now()
        LessonProgress.objects.create(
            enrollment=second, lesson=lesson, lesson_title=lesson.title, started_at=now,
            last_seen_at=now, completed_at=now, time_spent_seconds=60,
        )  # fmt: skip
    certificate_issue(enrollment=second)

    # A learner with an English attempt in progress started in Urdu before: an older Urdu
    # enrolment (kept, being the earliest), Urdu progress and two Urdu attempts.
    starter = Attempt.objects.get(assessment=quiz, status="in_progress").learner
    english = Enrollment.objects.get(learner=starter)
    early = english.enrolled_at - 24 * HOUR
    urdu = _old_enrollment(starter, ur_course, enrolled_at=early, started_at=early)
    LessonProgress.objects.create(
        enrollment=urdu, lesson=ur_lessons[0], lesson_title=ur_lessons[0].title,
        started_at=early, last_seen_at=early, completed_at=early + HOUR, time_spent_seconds=300,
    )  # fmt: skip
    LessonProgress.objects.create(
        enrollment=urdu, lesson=ur_lessons[1], lesson_title=ur_lessons[1].title,
        started_at=early, last_seen_at=early, time_spent_seconds=120,
    )  # fmt: skip
    _old_attempt(urdu, ur_quiz, number=1, started_at=early, status="submitted")
    _old_attempt(urdu, ur_quiz, number=2, started_at=early + HOUR, status="in_progress")
    return {
        "course": course, "lessons": lessons, "quiz": quiz, "finisher": finisher,
        "certified": certified, "starter": starter, "urdu": urdu,
    }  # fmt: skip


def _migration_apps():
    """The app registry migration 0004 runs with (historical models)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    loader = MigrationExecutor(connection).loader
    return loader.project_state(("courses", "0004_merge_learner_records_across_languages")).apps


@pytest.mark.parametrize("registry", ["migration", "live"])
def test_the_merge_leaves_one_record_per_learner_and_canonical_page(demo_with_duplicates, registry):
    d = demo_with_duplicates
    before = learner_record_counts(apps)
    assert before["records on a translation"] == 2 + len(d["lessons"]) + 2 + 2
    assert before["enrollments"] == before["learner-course pairs"] + 2

    changed = learner_records_merge(_migration_apps() if registry == "migration" else apps)

    after = learner_record_counts(apps)
    assert after["records on a translation"] == 0
    assert after["enrollments"] == after["learner-course pairs"] == before["learner-course pairs"]
    assert after["valid certificates"] == before["valid certificates"] - 1
    assert after["attempts"] == before["attempts"]
    assert changed["enrollments merged"] == 2

    # The finisher: one enrolment (the English, earliest), one row per lesson, one certificate.
    (kept,) = Enrollment.objects.filter(learner=d["finisher"])
    assert kept.pk == d["certified"].enrollment_id and kept.status == "completed"
    rows = LessonProgress.objects.filter(enrollment=kept)
    assert sorted(rows.values_list("lesson_id", flat=True)) == [le.pk for le in d["lessons"]]
    (valid,) = Certificate.objects.filter(enrollment=kept, status="issued")
    assert valid == d["certified"]
    (revoked,) = Certificate.objects.filter(enrollment=kept, revocation_reason=DUPLICATE_REASON)
    assert revoked.status == "revoked"

    # The starter: the earlier (Urdu) enrolment is kept, now on the English course.
    (kept,) = Enrollment.objects.filter(learner=d["starter"])
    assert kept.pk == d["urdu"].pk and kept.course_id == d["course"].pk
    first = LessonProgress.objects.get(enrollment=kept, lesson=d["lessons"][0])
    assert first.completed_at is not None and first.started_at == d["urdu"].enrolled_at
    attempts = list(Attempt.objects.filter(learner=d["starter"]).order_by("number"))
    assert [a.number for a in attempts] == [1, 2, 3]
    assert {a.assessment_id for a in attempts} == {d["quiz"].pk}
    assert {a.enrollment_id for a in attempts} == {kept.pk}
    assert [a.started_at for a in attempts] == sorted(a.started_at for a in attempts)
    assert [a.status for a in attempts].count("in_progress") == 1
    assert attempts[-1].status == "in_progress"  # the latest one stays open

    # Running it again (the command, a second deploy) changes nothing.
    assert learner_records_merge(apps) == {}


def test_the_command_prints_counts_and_a_dry_run_changes_nothing(demo_with_duplicates):
    before = learner_record_counts(apps)
    out = io.StringIO()
    call_command("learner_records_merge", "--dry-run", stdout=out)
    assert "records on a translation" in out.getvalue() and "(dry run)" in out.getvalue()
    assert learner_record_counts(apps) == before
    out = io.StringIO()
    call_command("learner_records_merge", stdout=out)
    assert learner_record_counts(apps)["records on a translation"] == 0
    print(out.getvalue())
