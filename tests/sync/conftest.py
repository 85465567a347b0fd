"""A lab's day of records, made through the apps' own services as a node makes them."""

import datetime

import pytest
from django.utils import timezone

from assessments.services import attempt_start, attempt_submit
from courses.services import enrollment_create, lesson_complete
from lms.attendance import attendance_record, cohort_session_get_or_create
from lms.models import CohortMembership
from tests.assessments.conftest import (  # noqa: F401 (fixtures)
    make_quiz,
    project_question,
    question_bank,
    right_answers,
)
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, trainer_of


@pytest.fixture
def lab(make_quiz):  # noqa: F811 (the fixture imported above)
    """Center LAB with a cohort on a two-lesson course whose quiz is required, a trainer, and
    ``learners(n)`` to add learners; center OTH with a learner of its own."""
    quiz = make_quiz(required_for_completion=True, pass_mark_percent=50)
    course = quiz.get_parent().specific
    lessons = [p.specific for p in course.get_children().type(_lesson_type()).order_by("path")]
    center = CenterFactory(code="LAB")
    cohort = CohortFactory(center=center, curriculum=course, name="Morning class")
    trainer = trainer_of(center)
    other_center = CenterFactory(code="OTH")
    other_cohort = CohortFactory(center=other_center, curriculum=course, name="Morning class")
    stranger = LearnerProfileFactory(home_center=other_center).user
    CohortMembership.objects.create(cohort=other_cohort, learner=stranger)

    class Lab:
        pass

    lab = Lab()
    lab.__dict__.update(
        quiz=quiz,
        course=course,
        lessons=lessons,
        center=center,
        cohort=cohort,
        trainer=trainer,
        other_center=other_center,
        other_cohort=other_cohort,
        stranger=stranger,
    )

    def learners(n, prefix="pupil"):
        made = []
        for i in range(n):
            user = LearnerProfileFactory(home_center=center, user__username=f"{prefix}{i}").user
            CohortMembership.objects.create(cohort=cohort, learner=user)
            enrollment_create(learner=user, course=course, cohort=cohort)
            made.append(user)
        return made

    lab.learners = learners
    return lab


def _lesson_type():
    from courses.models import LessonPage

    return LessonPage


def lab_day(lab, learners, *, lessons=None, quiz=True, attendance=True):
    """What a lab does in a day: lessons completed, the quiz submitted, attendance taken and
    one mark corrected."""
    for learner in learners:
        for lesson in lessons if lessons is not None else lab.lessons:
            lesson_complete(learner=learner, lesson=lesson)
        if quiz:
            attempt = attempt_start(learner=learner, assessment=lab.quiz)
            attempt_submit(attempt=attempt, answers=right_answers(attempt), sequence=0)
    if attendance:
        day = timezone.localdate() - datetime.timedelta(days=1)
        session = cohort_session_get_or_create(cohort=lab.cohort, date=day, user=lab.trainer)
        attendance_record(
            session=session, marks={u.pk: "absent" for u in learners}, user=lab.trainer
        )
        attendance_record(session=session, marks={learners[0].pk: "late"}, user=lab.trainer)
        return session
    return None
