"""Use-cases of learning: enrol, open and complete lessons, decide course completion."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from content.canonical import canonical_ids, canonical_of
from lms.models import Cohort, CohortMembership

from .completion import completion_requirements
from .dashboard import learner_records_changed
from .models import CoursePage, Enrollment, LessonPage, LessonProgress
from .signals import enrollment_completed

# Time between two views of a lesson counts as study time only up to this gap; a learner who
# leaves a tab open over lunch has not studied for an hour.
STUDY_GAP_CAP = datetime.timedelta(minutes=30)
# Don't write on every reload: study time is updated at most this often.
STUDY_TIME_RESOLUTION = datetime.timedelta(seconds=60)


class EnrollmentError(Exception):
    """A learner cannot be enrolled; ``str(error)`` is the message to show them."""


class PrerequisitesNotMet(EnrollmentError):
    def __init__(self, missing: list[CoursePage]):
        self.missing = missing
        super().__init__(
            _("Complete these courses first: %(courses)s.")
            % {"courses": ", ".join(course.title for course in missing)}
        )


class NotEnrolled(Exception):
    pass


def missing_prerequisites(*, learner, course: CoursePage) -> list[CoursePage]:
    """Prerequisites not completed; a prerequisite named in either language counts once."""
    required = list(course.prerequisites.all().order_by("title"))
    canonical = canonical_ids(c.pk for c in required)
    done = set(
        Enrollment.objects.filter(
            learner=learner, course__in=set(canonical.values()), status=Enrollment.Status.COMPLETED
        ).values_list("course_id", flat=True)
    )
    return [c for c in required if canonical[c.pk] not in done]


def _cohort_for(learner, course: CoursePage) -> Cohort | None:
    """The learner's cohort that follows this course, or the track it belongs to."""
    return (
        Cohort.objects.filter(
            Q(curriculum_id=course.pk) | Q(curriculum__path=course.path[: -course.steplen]),
            memberships__learner=learner,
        )
        .order_by("-start_date")
        .first()
    )


@transaction.atomic
def enrollment_create(
    *,
    learner,
    course: CoursePage,
    cohort: Cohort | None = None,
    check_prerequisites=True,
    uuid=None,
) -> Enrollment:
    """Enrol a learner; enrolling twice returns the existing enrollment.

    The enrollment is in the canonical course (content.canonical), whichever translation the
    learner enrols through: enrolling through the Urdu page of an English course returns the
    English enrollment. The center is the cohort's, or else the learner's home center. Raises
    EnrollmentError with a message for the learner when it cannot be done. ``uuid`` keeps the
    id a lab node gave the enrollment (sync); a new one is drawn otherwise.
    """
    course = canonical_of(page=course)
    existing = Enrollment.objects.filter(learner=learner, course=course).first()
    if existing is not None:
        return existing
    if check_prerequisites and (missing := missing_prerequisites(learner=learner, course=course)):
        raise PrerequisitesNotMet(missing)
    cohort = cohort or _cohort_for(learner, course)
    if cohort is not None:
        center = cohort.center
        CohortMembership.objects.get_or_create(cohort=cohort, learner=learner)
    else:
        profile = getattr(learner, "learner_profile", None)
        if profile is None:
            raise EnrollmentError(_("Only learners registered at a center can enrol."))
        center = profile.home_center
    try:
        with transaction.atomic():
            return Enrollment.objects.create(
                learner=learner,
                course=course,
                cohort=cohort,
                center=center,
                **({"uuid": uuid} if uuid else {}),
            )
    except IntegrityError:
        # A concurrent request enrolled the same learner first.
        return Enrollment.objects.get(learner=learner, course=course)


def course_self_enroll(*, learner, course: CoursePage) -> Enrollment:
    if not course.live or not course.open_for_self_enrollment:
        raise EnrollmentError(_("This course is not open for enrolment; ask your center."))
    return enrollment_create(learner=learner, course=course)


def lesson_open(*, learner, lesson: LessonPage, course_id: int) -> LessonProgress | None:
    """Record that the learner opened a lesson (and the study time since their last view).

    Returns None when they are not enrolled in its course; reading stays open to all. ``lesson``
    and ``course_id`` may be a translation: the enrollment and progress found and written are
    the canonical ones (content.canonical), so reading in Urdu continues the English record.
    """
    now = timezone.now()
    # The enrollment and this lesson's progress row together, in one query, on every lesson
    # view. Written as SQL (names from the models): Django takes ~0.3 ms to compile the same
    # query with a FilteredRelation, ten times what the database takes to answer it. The rows
    # come back as a LessonProgress (id None when the lesson was never opened) with the
    # enrollment's columns beside it, its fields converted as the ORM would.
    qn = connection.ops.quote_name
    e, p = Enrollment._meta, LessonProgress._meta
    e_id = qn(e.pk.column)
    # Records point at the canonical page; any translation of it (the page itself included)
    # shares its translation_key, so this finds them from whichever language is read.
    page_table, page_id, key = qn(Page._meta.db_table), qn("id"), qn("translation_key")
    translations = " ".join(
        [
            "SELECT",
            f"t.{page_id} FROM {page_table} t WHERE t.{key} = (",
            "SELECT",
            f"s.{key} FROM {page_table} s WHERE s.{page_id} = %s)",
        ]
    )
    sql = " ".join(
        [
            "SELECT",
            ", ".join(f"p.{qn(field.column)}" for field in p.concrete_fields) + ",",
            f"e.{e_id} AS enrollment_pk,",
            f"e.{qn(e.get_field('status').column)} AS enrollment_status,",
            f"e.{qn(e.get_field('started_at').column)} IS NULL AS enrollment_unstarted",
            f"FROM {qn(e.db_table)} e LEFT JOIN {qn(p.db_table)} p",
            f"ON p.{qn(p.get_field('enrollment').column)} = e.{e_id}",
            f"AND p.{qn(p.get_field('lesson').column)} IN ({translations})",
            f"WHERE e.{qn(e.get_field('learner').column)} = %s",
            f"AND e.{qn(e.get_field('course').column)} IN ({translations})",
        ]
    )
    params = [lesson.pk, learner.pk, course_id]
    row = next(iter(LessonProgress.objects.raw(sql, params)), None)
    if row is None or row.enrollment_status == Enrollment.Status.WITHDRAWN:
        return None
    if row.pk is None:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(
                enrollment_id=row.enrollment_pk,
                lesson=canonical_of(page=lesson),
                defaults={"lesson_title": lesson.title, "started_at": now, "last_seen_at": now},
            )
            if row.enrollment_unstarted:
                Enrollment.objects.filter(pk=row.enrollment_pk, started_at__isnull=True).update(
                    started_at=now
                )
        return progress
    progress = row
    progress.lesson = lesson
    gap = now - progress.last_seen_at
    if gap >= STUDY_TIME_RESOLUTION:
        added = int(gap.total_seconds()) if gap <= STUDY_GAP_CAP else 0
        LessonProgress.objects.filter(pk=progress.pk).update(
            last_seen_at=now, time_spent_seconds=progress.time_spent_seconds + added
        )
        progress.last_seen_at = now
        progress.time_spent_seconds += added
    return progress


@transaction.atomic
def lesson_complete(*, learner, lesson: LessonPage) -> LessonProgress:
    """Mark a lesson completed (idempotent) and re-decide the course's completion.

    Completing a translation (the Urdu lesson) completes the canonical lesson.
    """
    lesson = canonical_of(page=lesson)
    course_id = lesson.get_parent().pk
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(learner=learner, course_id=course_id)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .first()
    )
    if enrollment is None:
        raise NotEnrolled
    now = timezone.now()
    progress, created = LessonProgress.objects.get_or_create(
        enrollment=enrollment,
        lesson=lesson,
        defaults={"lesson_title": lesson.title, "started_at": now, "last_seen_at": now},
    )
    if progress.completed_at is None:
        gap = now - progress.last_seen_at
        if not created and gap <= STUDY_GAP_CAP:
            progress.time_spent_seconds += int(gap.total_seconds())
        progress.completed_at = now
        progress.last_seen_at = now
        progress.save(update_fields=["completed_at", "last_seen_at", "time_spent_seconds"])
    enrollment_completion_evaluate(enrollment=enrollment)
    return progress


def enrollment_completion_check(*, enrollment: Enrollment) -> list[str]:
    """Reasons the enrollment is not complete yet; an empty list means every rule is met."""
    reasons = []
    for requirement in completion_requirements().values():
        result = requirement(enrollment)
        if not result.met:
            reasons.append(result.reason)
    return reasons


@transaction.atomic
def enrollment_completion_evaluate(*, enrollment: Enrollment) -> bool:
    """Complete the enrollment when every rule is met; announce it once. Completed stays so."""
    if enrollment.status == Enrollment.Status.COMPLETED:
        return True
    if enrollment.status == Enrollment.Status.WITHDRAWN:
        return False
    if enrollment_completion_check(enrollment=enrollment):
        return False
    updated = Enrollment.objects.filter(pk=enrollment.pk, status=Enrollment.Status.ACTIVE).update(
        status=Enrollment.Status.COMPLETED, completed_at=timezone.now()
    )
    enrollment.refresh_from_db()
    learner_records_changed(learner_id=enrollment.learner_id)  # an update() sends no signal
    if updated:
        # Receivers (certificates) run after the commit, so they see the completed row.
        transaction.on_commit(lambda: enrollment_completed.send(Enrollment, enrollment=enrollment))
    return True
