"""A small network to report on: two centers, three cohorts, nine learners with known progress,
attendance, quiz attempts and certificates, so every figure can be counted by hand."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import AssessmentPage, AssessmentQuestion, Choice, Question, QuestionBank
from certificates import signing
from certificates.services import certificate_issue
from courses import services
from lms.attendance import attendance_record, cohort_session_get_or_create
from lms.models import CohortMembership, LearnerProfile, Shift
from tests.curriculum import publish
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    manager_of,
    trainer_of,
)

SESSION_DAYS = [datetime.date(2026, 9, 7), datetime.date(2026, 9, 14)]


def make_quiz(course, *, required=False):
    bank = QuestionBank.objects.create(course=course, title="Reports quiz bank")
    question = Question.objects.create(
        bank=bank, kind="single", prompt="<p>Which key saves a file?</p>", points=1
    )
    Choice.objects.create(question=question, text="Ctrl+S", is_correct=True, sort_order=0)
    Choice.objects.create(question=question, text="Alt+F4", is_correct=False, sort_order=1)
    page = course.add_child(
        instance=AssessmentPage(title="Quiz", slug="quiz", required_for_completion=required)
    )
    AssessmentQuestion.objects.create(page=page, question=question, sort_order=0)
    return publish(page)


def take_quiz(learner, quiz, *, passing: bool):
    attempt = assessment_services.attempt_start(learner=learner, assessment=quiz)
    answers = None
    if passing:
        question = attempt.questions[0]
        answers = {0: [str(c["id"]) for c in question["choices"] if c["correct"]]}
    return assessment_services.attempt_submit(attempt=attempt, answers=answers, sequence=0)


@dataclass
class Network:
    course: object
    lessons: list
    quiz: object
    glt: object
    skd: object
    glt_day: object
    glt_evening: object
    skd_day: object
    learners: dict
    manager: object
    other_manager: object
    trainer: object


@pytest.fixture
def network(make_course, settings, tmp_path):
    """GLT: day cohort (4 learners), evening cohort (2); SKD: day cohort (3).

    =========  ======  ====  =======  =========  ========  =====================
    learner    cohort  sex   born     lessons    quiz      attendance (2 sessions)
    =========  ======  ====  =======  =========  ========  =====================
    g1         day     F     2010     2 (done)   passed    present, present
    g2         day     M     2011     2 (done)   failed    present, absent
    g3         day     F     2000     1          passed    late, (left off)
    g4         day     M     —        0          —         excused, excused
    e1         eve     F     2004     2 (done)   passed    —
    e2         eve     M     2005     0          failed    —
    s1         day     F     2010     2 (done)   passed    present, present
    s2         day     F     2012     1          —         absent, present
    s3         day     M     2009     0          —         —, —  (joined later)
    =========  ======  ====  =======  =========  ========  =====================
    Certificates: g1 (verified twice), e1, s1.
    """
    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    signing.key_generate()
    _track, course, lessons = make_course(lessons=2)
    quiz = make_quiz(course)
    glt = CenterFactory(code="GLT", name="Gilgit lab", district="Gilgit")
    skd = CenterFactory(code="SKD", name="Skardu lab", district="Skardu")
    start = datetime.date(2026, 9, 1)
    glt_day = CohortFactory(center=glt, name="GLT day", curriculum=course, start_date=start)
    glt_evening = CohortFactory(
        center=glt, name="GLT evening", shift=Shift.SECOND_SHIFT, curriculum=course,
        start_date=start,
    )  # fmt: skip
    skd_day = CohortFactory(center=skd, name="SKD day", curriculum=course, start_date=start)
    people = {
        "g1": (glt_day, "female", 2010, "student"), "g2": (glt_day, "male", 2011, "student"),
        "g3": (glt_day, "female", 2000, "youth"), "g4": (glt_day, "male", None, "student"),
        "e1": (glt_evening, "female", 2004, "youth"), "e2": (glt_evening, "male", 2005, "youth"),
        "s1": (skd_day, "female", 2010, "student"), "s2": (skd_day, "female", 2012, "student"),
        "s3": (skd_day, "male", 2009, "student"),
    }  # fmt: skip
    learners = {}
    for key, (cohort, gender, born, kind) in people.items():
        profile = LearnerProfileFactory(
            user__username=key, home_center=cohort.center, full_name=f"Learner {key}",
            gender=gender, year_of_birth=born, learner_type=kind,
        )  # fmt: skip
        CohortMembership.objects.create(cohort=cohort, learner=profile.user)
        services.enrollment_create(learner=profile.user, course=course, cohort=cohort)
        learners[key] = profile.user
    # s3 joined after both sessions were taken: they count for nothing.
    CohortMembership.objects.filter(learner=learners["s3"]).update(
        joined_at=timezone.make_aware(datetime.datetime(2026, 9, 20, 10))
    )
    for key, count in {"g1": 2, "g2": 2, "g3": 1, "e1": 2, "s1": 2, "s2": 1}.items():
        for lesson in lessons[:count]:
            services.lesson_complete(learner=learners[key], lesson=lesson)
    for key, passing in {"g1": True, "g2": False, "g3": True, "e1": True, "e2": False,
                         "s1": True}.items():  # fmt: skip
        take_quiz(learners[key], quiz, passing=passing)

    trainer = trainer_of(glt, "trainer-glt")
    glt_day.trainers.add(trainer)
    CohortMembership.objects.filter(cohort__in=[glt_day, skd_day]).exclude(
        learner=learners["s3"]
    ).update(joined_at=timezone.make_aware(datetime.datetime(2026, 9, 1, 8)))
    marks = {
        glt_day: [
            {"g1": "present", "g2": "present", "g3": "late", "g4": "excused"},
            {"g1": "present", "g2": "absent", "g4": "excused"},
        ],
        skd_day: [{"s1": "present", "s2": "absent"}, {"s1": "present", "s2": "present"}],
    }
    for cohort, days in marks.items():
        for day, statuses in zip(SESSION_DAYS, days, strict=True):
            session = cohort_session_get_or_create(cohort=cohort, date=day, user=trainer)
            attendance_record(
                session=session,
                marks={learners[k].pk: v for k, v in statuses.items()},
                user=trainer,
            )
    from courses.models import Enrollment

    for key in ("g1", "e1", "s1"):
        enrollment = Enrollment.objects.get(learner=learners[key])
        certificate = certificate_issue(enrollment=enrollment, follow_up=False)
        if key == "g1":
            type(certificate).objects.filter(pk=certificate.pk).update(verification_count=2)
    return Network(
        course=course, lessons=lessons, quiz=quiz, glt=glt, skd=skd, glt_day=glt_day,
        glt_evening=glt_evening, skd_day=skd_day, learners=learners,
        manager=manager_of(glt, "manager-glt"), other_manager=manager_of(skd, "manager-skd"),
        trainer=trainer,
    )  # fmt: skip


@pytest.fixture
def profile_of():
    return lambda user: LearnerProfile.objects.get(user=user)
