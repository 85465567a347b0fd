"""Reads about learning: each query has one home here, with a constant number of SQL queries."""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, prefetch_related_objects
from wagtail.models import Locale

from content.canonical import canonical_of, translations_in

from .models import CoursePage, Enrollment, LessonPage, LessonProgress, TrackPage


def live_lessons_of(courses) -> dict[int, list[LessonPage]]:
    """Live lessons of several courses in tree order, in one query: {course_id: [lessons]}."""
    courses = list(courses)
    if not courses:
        return {}
    by_path = {course.path: course.pk for course in courses}
    depth = courses[0].depth + 1
    lessons = (
        LessonPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=path) for path in by_path)), depth=depth)
        .only(
            *("id", "title", "slug", "url_path", "path", "depth", "estimated_minutes"),
            "translation_key",
        )
        .order_by("path")
    )
    steplen = LessonPage.steplen
    result: dict[int, list[LessonPage]] = {pk: [] for pk in by_path.values()}
    for lesson in lessons:
        result[by_path[lesson.path[:-steplen]]].append(lesson)
    return result


def enrollment_lesson_counts(enrollment: Enrollment) -> tuple[int, int]:
    """(completed live lessons, live lessons) of the enrollment's course."""
    lessons = LessonPage.objects.live().child_of(enrollment.course)
    total = lessons.count()
    done = LessonProgress.objects.filter(
        enrollment=enrollment, completed_at__isnull=False, lesson__in=lessons
    ).count()
    return done, total


@dataclass
class CourseProgress:
    enrollment: Enrollment
    course: CoursePage
    lessons: list[LessonPage]
    completed_ids: set[int] = field(default_factory=set)

    @property
    def completed_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.completed_ids)

    @property
    def percent(self) -> int:
        if not self.lessons:
            return 100 if self.enrollment.status == Enrollment.Status.COMPLETED else 0
        return round(100 * self.completed_count / len(self.lessons))

    @property
    def next_lesson(self) -> LessonPage | None:
        return next((le for le in self.lessons if le.pk not in self.completed_ids), None)

    @property
    def is_completed(self) -> bool:
        return self.enrollment.status == Enrollment.Status.COMPLETED


def learner_dashboard(user, locale: Locale | None = None) -> list[CourseProgress]:
    """Every course the learner is enrolled in with progress; four queries in all.

    Each course appears once (its enrollment is in the canonical course) and is shown in
    ``locale`` (default: the active language) when translated: its title, lessons and the link
    to continue are the translation's; a lesson completed in either language counts.
    """
    enrollments = list(
        Enrollment.objects.filter(learner=user)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("course", "cohort")
        .order_by("-enrolled_at")
    )
    if hasattr(Enrollment, "certificates"):
        # Certificates (a higher app) hang off the enrollment; one query for all of them.
        prefetch_related_objects(enrollments, "certificates")
    if hasattr(Enrollment, "attempts"):
        # Assessment attempts (a higher app), likewise: one query for all of them.
        prefetch_related_objects(enrollments, "attempts")
    shown = translations_in(
        (e.course for e in enrollments),
        locale or Locale.get_active(),
        queryset=CoursePage.objects.all(),
    )
    lessons = live_lessons_of(shown.values())
    done_keys = {}
    for enrollment_id, key in LessonProgress.objects.filter(
        enrollment__in=[e.pk for e in enrollments], completed_at__isnull=False
    ).values_list("enrollment_id", "lesson__translation_key"):
        done_keys.setdefault(enrollment_id, set()).add(key)
    result = []
    for e in enrollments:
        course = shown.get(e.course_id, e.course)
        course_lessons = lessons.get(course.pk, [])
        done = done_keys.get(e.pk, set())
        completed = {le.pk for le in course_lessons if le.translation_key in done}
        result.append(CourseProgress(e, course, course_lessons, completed))
    return result


def cohort_courses(cohort) -> list[CoursePage]:
    """The courses a cohort follows: its course, or the live courses of its track."""
    if cohort.curriculum_id is None:
        return []
    curriculum = cohort.curriculum.specific
    if isinstance(curriculum, CoursePage):
        return [curriculum]
    if isinstance(curriculum, TrackPage):
        return list(CoursePage.objects.child_of(curriculum).live().order_by("path"))
    return []


@dataclass
class ProgressGrid:
    course: CoursePage
    lessons: list[LessonPage]
    rows: list[dict]  # {"learner": user, "enrollment": e, "cells": [progress or None, ...]}


def cohort_progress_grid(cohort, course: CoursePage) -> ProgressGrid:
    """Learners × lessons for one cohort on one course, in a constant number of queries."""
    course = canonical_of(page=course)  # learner records are kept on the canonical course
    lessons = live_lessons_of([course])[course.pk]
    enrollments = list(
        Enrollment.objects.filter(cohort=cohort, course=course)
        .select_related("learner", "learner__learner_profile")
        .order_by("learner__learner_profile__full_name", "learner__username")
    )
    progress = {
        (row.enrollment_id, row.lesson_id): row
        for row in LessonProgress.objects.filter(enrollment__in=[e.pk for e in enrollments]).only(
            "id", "enrollment_id", "lesson_id", "completed_at", "started_at"
        )
    }
    rows = [
        {
            "learner": e.learner,
            "enrollment": e,
            "cells": [progress.get((e.pk, lesson.pk)) for lesson in lessons],
        }
        for e in enrollments
    ]
    return ProgressGrid(course, lessons, rows)
