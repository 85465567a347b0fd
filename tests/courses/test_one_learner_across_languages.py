"""Issue 13: a language is a way to read a course, never a second course.

An English course with an Urdu translation (a real copy, as the demo and trainers make them):
the learner starts in one language and continues in the other, and keeps one enrolment, one
progress bar, one attempt count and one certificate.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Site

from assessments import services as assessment_services
from assessments.models import AssessmentPage, AssessmentQuestion, QuestionBank
from assessments.selectors import assessment_page_context
from certificates.models import Certificate
from certificates.services import certificate_issue
from courses import selectors, services
from courses.models import Enrollment, LessonPage, LessonProgress
from lms.models import Center, CohortMembership
from reports.filters import ReportFilters
from reports.selectors import figures_by
from tests.assessments.conftest import make_question, right_answers
from tests.curriculum import lesson_body, publish
from tests.factories import CohortFactory, LearnerProfileFactory

pytestmark = pytest.mark.django_db


def translate(page, locale, title):
    """An Urdu copy of ``page`` (its parents made as aliases when missing), published."""
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.title = title
    copy.save()
    return publish(copy)


@pytest.fixture
def bilingual(home, make_course):
    """Computer basics (3 lessons and a quiz of 3 attempts) in English and Urdu."""
    Site.clear_site_root_paths_cache()
    _track, course, lessons = make_course(lessons=3, blocks=2)
    bank = QuestionBank.objects.create(course=course, title="Computer basics")
    question = make_question(
        bank, "single", "Which key saves a file?", choices=[("Ctrl+S", True), ("Ctrl+P", False)]
    )
    quiz = course.add_child(
        instance=AssessmentPage(title="Quiz", slug="quiz", max_attempts=3, pass_mark_percent=50)
    )
    AssessmentQuestion.objects.create(page=quiz, question=question, sort_order=0)
    quiz = publish(quiz)
    ur = Locale.objects.get_or_create(language_code="ur")[0]
    publish(home.copy_for_translation(ur))
    ur_course = translate(course, ur, "کمپیوٹر کی بنیادی باتیں")
    ur_lessons = [translate(le, ur, f"سبق {n}") for n, le in enumerate(lessons, start=1)]
    ur_quiz = translate(quiz, ur, "کوئز")
    cohort = CohortFactory(curriculum=course)
    learner = LearnerProfileFactory(home_center=cohort.center, full_name="Amina Khan").user
    CohortMembership.objects.create(cohort=cohort, learner=learner)
    return {
        "course": course, "lessons": lessons, "quiz": quiz, "ur_course": ur_course,
        "ur_lessons": ur_lessons, "ur_quiz": ur_quiz, "learner": learner, "cohort": cohort,
    }  # fmt: skip


@pytest.fixture
def learner_client(client, bilingual):
    client.force_login(bilingual["learner"])
    return client


def test_an_urdu_lesson_continues_the_english_course(learner_client, bilingual):
    b = bilingual
    learner_client.post(reverse("course_enroll", args=[b["course"].pk]))
    page = learner_client.get(b["ur_lessons"][0].url)
    assert page.status_code == 200
    assert "progress is not recorded" not in page.text
    assert "آپ اس کورس میں داخل نہیں" not in page.text
    # The visit is recorded on the English lesson, in the one enrolment.
    progress = LessonProgress.objects.get(enrollment__learner=b["learner"])
    assert progress.lesson_id == b["lessons"][0].pk

    learner_client.post(reverse("lesson_complete", args=[b["ur_lessons"][1].pk]))
    done = LessonProgress.objects.filter(
        enrollment__learner=b["learner"], completed_at__isnull=False
    )
    assert list(done.values_list("lesson_id", flat=True)) == [b["lessons"][1].pk]
    assert Enrollment.objects.filter(learner=b["learner"]).count() == 1


def test_the_urdu_course_page_does_not_offer_enrol_again(learner_client, bilingual):
    b = bilingual
    learner_client.post(reverse("course_enroll", args=[b["course"].pk]))
    page = learner_client.get(b["ur_course"].url)
    assert page.status_code == 200
    assert reverse("course_enroll", args=[b["ur_course"].pk]) not in page.text
    # Enrolling through the Urdu page anyway (an old form) gives back the one enrolment.
    learner_client.post(reverse("course_enroll", args=[b["ur_course"].pk]))
    assert list(
        Enrollment.objects.filter(learner=b["learner"]).values_list("course", flat=True)
    ) == [b["course"].pk]


def test_my_learning_shows_one_course_in_the_readers_language(learner_client, bilingual):
    b = bilingual
    learner = b["learner"]
    services.enrollment_create(learner=learner, course=b["course"])
    services.lesson_complete(learner=learner, lesson=b["lessons"][0])
    services.enrollment_create(learner=learner, course=b["ur_course"])
    services.lesson_complete(learner=learner, lesson=b["ur_lessons"][1])

    (english,) = selectors.learner_dashboard(learner)
    assert english.course.title == "Computer basics" and english.percent == 67
    with translation.override("ur"):
        (urdu,) = selectors.learner_dashboard(learner)
    assert urdu.course.pk == b["ur_course"].pk and urdu.percent == 67
    assert urdu.next_lesson.pk == b["ur_lessons"][2].pk

    with translation.override("ur"):
        page = learner_client.get(reverse("learning_dashboard"))
    assert page.text.count("کمپیوٹر کی بنیادی باتیں") == 1
    assert "Computer basics" not in page.text


def test_attempts_count_together_in_both_languages(bilingual):
    b = bilingual
    learner = b["learner"]
    services.enrollment_create(learner=learner, course=b["course"])
    for _ in range(2):
        attempt = assessment_services.attempt_start(learner=learner, assessment=b["quiz"])
        assessment_services.attempt_submit(attempt=attempt, answers={}, sequence=attempt.sequence)

    context = assessment_page_context(page=b["ur_quiz"], user=learner)
    assert len(context["attempts"]) == 2 and context["attempts_left"] == 1
    third = assessment_services.attempt_start(learner=learner, assessment=b["ur_quiz"])
    assert third.number == 3
    assert third.assessment_id == b["quiz"].pk
    # Switching language mid-attempt: the English page finds the attempt started in Urdu.
    assert assessment_page_context(page=b["quiz"], user=learner)["current_attempt"] == third
    assert assessment_services.attempt_start(learner=learner, assessment=b["quiz"]) == third
    assessment_services.attempt_submit(attempt=third, answers={}, sequence=third.sequence)
    with pytest.raises(assessment_services.NoAttemptsLeft):
        assessment_services.attempt_start(learner=learner, assessment=b["quiz"])
    with pytest.raises(assessment_services.NoAttemptsLeft):
        assessment_services.attempt_start(learner=learner, assessment=b["ur_quiz"])


def test_one_certificate_and_one_learner_in_reports(bilingual, settings, tmp_path):
    from certificates import signing

    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    signing.key_generate()
    b = bilingual
    learner = b["learner"]
    services.enrollment_create(learner=learner, course=b["ur_course"], cohort=b["cohort"])
    services.lesson_complete(learner=learner, lesson=b["lessons"][0])
    services.lesson_complete(learner=learner, lesson=b["ur_lessons"][1])
    services.lesson_complete(learner=learner, lesson=b["ur_lessons"][2])
    attempt = assessment_services.attempt_start(learner=learner, assessment=b["ur_quiz"])
    assessment_services.attempt_submit(
        attempt=attempt, answers=right_answers(attempt), sequence=attempt.sequence
    )
    (enrollment,) = Enrollment.objects.filter(learner=learner)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.course_id == b["course"].pk
    certificate_issue(enrollment=enrollment)
    certificate_issue(enrollment=enrollment)
    assert Certificate.objects.filter(enrollment__learner=learner).count() == 1

    figures = figures_by(by=None, centers=Center.objects.all(), filters=ReportFilters())[None]
    assert (figures.learners, figures.enrollments, figures.completed) == (1, 1, 1)
    assert figures.lessons_completed == 3


def test_canonical_pages(bilingual, home):
    from content.canonical import canonical_ids, canonical_of

    b = bilingual
    ur_only = b["ur_course"].add_child(
        instance=LessonPage(
            title="صرف اردو", slug="ur-only", body=lesson_body(1), estimated_minutes=5
        )
    )
    assert canonical_of(page=b["ur_lessons"][0]) == b["lessons"][0]
    assert canonical_of(page=b["lessons"][0]) == b["lessons"][0]
    assert canonical_of(page=ur_only) == ur_only  # written only in Urdu: its own canonical
    assert canonical_ids([b["ur_quiz"].pk, b["course"].pk, ur_only.pk]) == {
        b["ur_quiz"].pk: b["quiz"].pk,
        b["course"].pk: b["course"].pk,
        ur_only.pk: ur_only.pk,
    }


def test_a_prerequisite_named_in_urdu_is_met_by_the_english_completion(bilingual, make_course):
    b = bilingual
    learner = b["learner"]
    services.enrollment_create(learner=learner, course=b["course"])
    for lesson in b["lessons"]:
        services.lesson_complete(learner=learner, lesson=lesson)
    Enrollment.objects.filter(learner=learner).update(status=Enrollment.Status.COMPLETED)
    _track, next_course, _lessons = make_course(lessons=1, slug="next-course")
    next_course.prerequisites.set([b["ur_course"]])
    assert services.missing_prerequisites(learner=learner, course=next_course) == []
