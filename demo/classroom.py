"""Demo due dates and announcements for ``seed_demo``, set by the demo trainers and managers
through the courses services (``due_date_set``, ``announcement_create``). Runs after the
assessments exist; idempotent: a cohort that has due dates, or a center (cohort) that has an
announcement, is left as it is.

Every cohort of a track has its first course's quiz due next week and its first lesson due two
weeks ago (overdue for those who have not read it); every center has one announcement to the
whole center from its manager and one to each cohort from its trainer. The texts are data
(``demo/data/network.yaml``).
"""

import datetime

from django.db import transaction

from assessments.models import AssessmentPage
from courses.models import CoursePage, LessonPage
from courses.staff import announcement_create, due_date_set
from lms.models import Center, CenterStaff, Cohort

from . import clock, texts
from .network import demo_center_codes


@transaction.atomic
def demo_classroom_seed() -> None:
    _demo_due_dates()
    _demo_announcements()


def _demo_due_dates() -> None:
    cohorts = Cohort.objects.filter(
        center__code__in=demo_center_codes(), curriculum__isnull=False, due_dates__isnull=True
    )
    for cohort in cohorts.select_related("curriculum").distinct():
        setter = cohort.trainers.order_by("pk").first()
        course = CoursePage.objects.child_of(cohort.curriculum).live().order_by("path").first()
        if setter is None or course is None:
            continue
        quiz = AssessmentPage.objects.child_of(course).live().filter(kind="quiz").first()
        lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
        if quiz is not None:
            due = clock.at(clock.today() + datetime.timedelta(days=7), hour=17)
            due_date_set(cohort=cohort, page=quiz, due_at=due, by=setter)
        if lesson is not None:
            due = clock.at(clock.days_ago(14), hour=17)
            due_date_set(cohort=cohort, page=lesson, due_at=due, by=setter)


def _demo_announcements() -> None:
    data = texts.load("network")["announcements"]
    centers = Center.objects.filter(code__in=demo_center_codes(), announcements__isnull=True)
    for center in centers:
        manager = _staff(center, CenterStaff.Role.MANAGER)
        if manager is not None:
            announcement_create(by=manager, center=center, **data["center"])
    cohorts = Cohort.objects.filter(
        center__code__in=demo_center_codes(), announcements__isnull=True
    ).order_by("pk")
    for cohort in cohorts:
        trainer = cohort.trainers.order_by("pk").first()
        if trainer is not None:
            announcement_create(by=trainer, cohort=cohort, **data["cohort"])


def _staff(center, role):
    row = CenterStaff.objects.filter(center=center, role=role).select_related("user").first()
    return row.user if row else None
