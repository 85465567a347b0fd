"""Demo learning for ``seed_demo``: demo cohorts follow the demo tracks, demo learners are
enrolled in their track's first course and are at every stage of it, so dashboards, grids and
charts have something to show. Which learner is where is decided by their number (see
:data:`STAGES`).

Two steps: :func:`demo_learning_seed` (after the network and curriculum) enrols and records
lesson progress; :func:`demo_completions_seed` (after the assessments exist) has the finishers
pass their course's required assessments and finish it, so completion and certificates follow
the same rules as for a real learner. Both go through the courses and assessments services;
afterwards the timestamps of the rows the run made are moved back into the term
(``enrollments_backdate``), plain history written with ``update()`` (docs/decisions/0026).
Idempotent: a learner's enrollment is made once, lessons are completed once, and only rows
made by this run are backdated.
"""

import datetime

from django.db import transaction

from assessments.models import AssessmentPage, Attempt
from courses import services
from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress, TrackPage
from lms.models import Cohort, CohortMembership, LearnerProfile, Shift

from . import clock

TRACK_FOR_SHIFT = {Shift.SCHOOL_HOURS: "digital-literacy", Shift.SECOND_SHIFT: "freelancing"}
FIRST_COURSE = {
    LearnerProfile.LearnerType.STUDENT: "computer-basics",
    LearnerProfile.LearnerType.YOUTH: "freelancing-foundations",
}
NOT_STARTED, STARTED, HALF_WAY, LESSONS_DONE, COMPLETED = (
    "not started", "started", "half way", "lessons done", "completed",
)  # fmt: skip
# A demo learner's number -> how far they are in their first course. 2 finishes (and is
# certified); 5 (tech hubs only) has read every lesson and has the assessments still to pass.
STAGES = {1: STARTED, 2: COMPLETED, 3: NOT_STARTED, 4: HALF_WAY, 5: LESSONS_DONE}
# Youth finish the freelancing course at the hubs and at these labs; at the other labs youth 2
# has read every lesson and has the quiz and project to pass. (Each finisher costs attempts and
# a certificate PDF: the demo keeps one finisher per center, and freelancing ones at five.)
YOUTH_FINISH_AT = {"GLT", "SKD"}


def stage_of(profile) -> str:
    stage = STAGES.get(learner_number(profile.user.username), NOT_STARTED)
    if (
        stage == COMPLETED
        and profile.learner_type == LearnerProfile.LearnerType.YOUTH
        and profile.home_center.kind == profile.home_center.Kind.SCHOOL_LAB
        and profile.home_center.code not in YOUTH_FINISH_AT
    ):
        return LESSONS_DONE
    return stage


def learner_number(username: str) -> int:
    """The number at the end of a demo username (``student.glt2`` -> 2); 0 when there is none."""
    digits = username[len(username.rstrip("0123456789")) :]
    return int(digits) if digits else 0


def _demo_profiles():
    return LearnerProfile.objects.select_related("user", "home_center").filter(
        user__username__regex=r"^(student|youth)\.[a-z]+[0-9]+$"
    )


def _first_courses() -> dict[str, CoursePage]:
    slugs = {slug: kind for kind, slug in FIRST_COURSE.items()}
    pages = CoursePage.objects.filter(locale__language_code="en", slug__in=slugs)
    return {slugs[page.slug]: page for page in pages}


def _lessons(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def _cohort_of(profile) -> Cohort | None:
    shift = (
        Shift.SCHOOL_HOURS
        if profile.learner_type == LearnerProfile.LearnerType.STUDENT
        else Shift.SECOND_SHIFT
    )
    return (
        Cohort.objects.filter(
            center=profile.home_center, shift=shift, memberships__learner_id=profile.user_id
        )
        .order_by("pk")
        .first()
        or Cohort.objects.filter(center=profile.home_center, shift=shift).order_by("pk").first()
    )


@transaction.atomic
def demo_learning_seed() -> None:
    tracks = {track.slug: track for track in TrackPage.objects.filter(locale__language_code="en")}
    courses = _first_courses()
    if not tracks or not courses:
        return  # no demo curriculum to learn from
    lessons = {kind: _lessons(course) for kind, course in courses.items()}
    for cohort in Cohort.objects.select_related("center").filter(curriculum__isnull=True):
        track = tracks.get(TRACK_FOR_SHIFT.get(cohort.shift))
        if track is not None:
            cohort.curriculum = track
            cohort.save(update_fields=["curriculum"])
    made = []
    for profile in _demo_profiles():
        course = courses.get(profile.learner_type)
        cohort = _cohort_of(profile)
        if course is None or cohort is None:
            continue
        if Enrollment.objects.filter(learner_id=profile.user_id, course=course).exists():
            continue  # enrolled by an earlier run: its progress is history now
        CohortMembership.objects.get_or_create(cohort=cohort, learner=profile.user)
        enrollment = services.enrollment_create(
            learner=profile.user, course=course, cohort=cohort, check_prerequisites=False
        )
        made.append(enrollment.pk)
        stage = stage_of(profile)
        done = {
            STARTED: lessons[profile.learner_type][:1],
            HALF_WAY: lessons[profile.learner_type][: len(lessons[profile.learner_type]) // 2],
            # Reading every lesson waits for demo_completions_seed, when the assessments exist:
            # before them, the last lesson would complete the course.
        }.get(stage, [])
        for lesson in done:
            services.lesson_complete(learner=profile.user, lesson=lesson)
    enrollments_backdate(made)


@transaction.atomic
def demo_completions_seed() -> None:
    """The finishers (learner 2, see :func:`stage_of`) pass their first course's required
    assessments and read every lesson, so it completes (and the certificates app issues its
    certificate) as for anybody else; learners at :data:`LESSONS_DONE` read every lesson only,
    now that the assessments exist, so their course stays open."""
    from .assessments import PASSED, _demo_attempt

    courses = _first_courses()
    made = []
    for profile in _demo_profiles():
        stage = stage_of(profile)
        if stage not in (COMPLETED, LESSONS_DONE):
            continue
        course = courses.get(profile.learner_type)
        if course is None:
            continue
        enrollment = Enrollment.objects.filter(learner_id=profile.user_id, course=course).first()
        if enrollment is None or enrollment.status != Enrollment.Status.ACTIVE:
            continue  # not enrolled by the demo, or finished (or withdrawn) already
        if stage == LESSONS_DONE and enrollment.progress.exists():
            continue  # read by an earlier run
        made.append(enrollment.pk)
        pages = AssessmentPage.objects.child_of(course).live().filter(required_for_completion=True)
        if not pages.exists():
            continue  # without its assessments the course would complete on the last lesson
        for page in pages if stage == COMPLETED else []:
            if not Attempt.objects.filter(assessment=page, learner=profile.user, passed=True):
                _demo_attempt(profile.user, page, PASSED)
        for lesson in _lessons(course):
            services.lesson_complete(learner=profile.user, lesson=lesson)
    enrollments_backdate(made)


def enrollments_backdate(enrollment_ids: list[int]) -> None:
    """Move the rows this run made into the term: enrolled in its first week, a lesson every
    few days since, a finisher done a few weeks ago (the 30-day follow-up is due). Plain
    history, so written directly; only the run's own rows, so a second run changes nothing."""
    start = clock.term_start()
    for enrollment in Enrollment.objects.filter(pk__in=enrollment_ids).select_related("learner"):
        number = learner_number(enrollment.learner.username)
        enrolled = clock.at(start + datetime.timedelta(days=number % 3), hour=9)
        progress = list(
            LessonProgress.objects.filter(enrollment=enrollment).order_by("completed_at", "pk")
        )
        for index, row in enumerate(progress):
            day = clock.at(start + datetime.timedelta(days=7 + 6 * index + number), hour=11)
            LessonProgress.objects.filter(pk=row.pk).update(
                started_at=day - datetime.timedelta(minutes=25),
                last_seen_at=day,
                completed_at=day if row.completed_at else None,
                time_spent_seconds=25 * 60,
            )
        fields = {"enrolled_at": enrolled}
        if enrollment.started_at is not None:
            fields["started_at"] = enrolled + datetime.timedelta(days=1)
        if enrollment.completed_at is not None:
            fields["completed_at"] = clock.at(clock.days_ago(31 + number), hour=12)
        Enrollment.objects.filter(pk=enrollment.pk).update(**fields)
