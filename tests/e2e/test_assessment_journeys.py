"""Assessments as learners and trainers use them, in Chromium.

A student takes a two-page quiz, loses the connection (autosave says so), comes back, reloads
and finds every answer kept, submits and sees the result and their progress. A youth learner
uploads a project file; the cohort's trainer grades it with the rubric in the admin, and the
learner sees the grade and feedback.
"""

import pytest

from assessments.models import AssessmentPage, AssessmentQuestion, Attempt, Response
from courses import services as course_services
from lms.models import CohortMembership
from tests.assessments.conftest import project_question, question_bank  # noqa: F401  (fixtures)
from tests.curriculum import publish
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, trainer_of

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HIDE_PAGE = (
    "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
    "document.dispatchEvent(new Event('visibilitychange'));"
)


def learner_in_cohort(course, username, center_code="GLT"):
    center = CenterFactory(code=center_code, name=f"{center_code} School IT Center")
    cohort = CohortFactory(center=center, curriculum=course, name="Class 7 morning")
    user = LearnerProfileFactory(home_center=center, user__username=username).user
    CohortMembership.objects.create(cohort=cohort, learner=user)
    course_services.enrollment_create(learner=user, course=course, cohort=cohort)
    return user, cohort


@pytest.fixture
def quiz(question_bank):  # noqa: F811  (the imported fixture)
    course, lessons, _bank, questions = question_bank
    page = course.add_child(
        instance=AssessmentPage(title="Check your skills", slug="check", questions_per_page=3)
    )
    order = ["single", "true_false", "short_text", "numeric", "multiple"]
    for position, kind in enumerate(order):
        AssessmentQuestion.objects.create(page=page, question=questions[kind], sort_order=position)
    publish(page)
    user, _cohort = learner_in_cohort(course, "student.glt1")
    for lesson in lessons:
        course_services.lesson_complete(learner=user, lesson=lesson)
    return user, page


def test_student_takes_the_quiz_loses_the_connection_reloads_and_submits(web, quiz):
    user, page = quiz

    def start(p):
        sign_in(p, "student.glt1")
        p.goto(page.url)
        p.get_by_role("button", name="Start").click()
        p.wait_for_load_state()
        p.get_by_label("Ctrl+S").check()
        p.get_by_label("True").check()
        p.get_by_label("Your answer").fill("windows key")
        p.get_by_role("button", name="Save and next page").click()
        p.wait_for_load_state()
        return p.url, p.locator(".meta").first.inner_text()

    url, meta = web.do(start)
    assert url.endswith("?page=2") and "3 of 5 answered" in meta

    def offline_then_back(p):
        p.get_by_label("Your answer (a number)").fill("1024")
        p.context.set_offline(True)
        p.evaluate(HIDE_PAGE)  # the page is hidden (tab switched): autosave tries now
        p.wait_for_selector("#save-status.not-saved")
        offline = p.locator("#save-status").inner_text()
        p.context.set_offline(False)
        p.evaluate(HIDE_PAGE)
        p.wait_for_selector("#save-status.saved")
        return offline, p.locator("#save-status").inner_text()

    offline, online = web.do(offline_then_back)
    assert "Not saved — connection lost" in offline
    assert online.startswith("Saved at")
    numeric = Response.objects.get(attempt__learner=user, position=3)
    assert numeric.answer == "1024"  # autosave stored it

    def reload_and_check(p):
        p.reload()
        kept_page_2 = p.get_by_label("Your answer (a number)").input_value()
        p.get_by_role("button", name="1", exact=True).click()  # back to page 1
        p.wait_for_load_state()
        return (
            kept_page_2,
            p.get_by_label("Ctrl+S").is_checked(),
            p.get_by_label("True").is_checked(),
            p.get_by_label("Your answer").input_value(),
        )

    assert web.do(reload_and_check) == ("1024", True, True, "windows key")

    def finish(p):
        p.get_by_role("button", name="2", exact=True).click()
        p.wait_for_load_state()
        p.get_by_label("PDF").check()
        p.get_by_label("PNG").check()
        p.get_by_role("button", name="Submit answers").click()
        p.wait_for_load_state()
        # The confirmation step: everything answered, nothing submitted yet.
        assert "All 5 questions are answered." in p.locator("main").inner_text()
        screenshot(p, "quiz-confirm")
        p.get_by_role("button", name="Submit now").click()
        p.wait_for_load_state()
        result = p.locator(".result").inner_text()
        screenshot(p, "quiz-result")
        p.get_by_role("link", name="My learning").first.click()
        p.wait_for_load_state()
        return result, p.locator("ul.cards").inner_text()

    result, dashboard = web.do(finish)
    assert result.startswith("Passed") and "100%" in result
    attempt = Attempt.objects.get(learner=user)
    assert attempt.status == Attempt.Status.GRADED and attempt.passed
    assert "Completed" in web.do(lambda p: p.locator("main").inner_text())
    assert "passed (100%)" in dashboard


@pytest.fixture
def project(question_bank, project_question):  # noqa: F811
    course = question_bank[0]
    page = course.add_child(
        instance=AssessmentPage(title="Gig description", slug="gig", kind="project")
    )
    AssessmentQuestion.objects.create(page=page, question=project_question)
    publish(page)
    user, cohort = learner_in_cohort(course, "youth.skd1", center_code="SKD")
    trainer = trainer_of(cohort.center, "trainer.skd")
    cohort.trainers.add(trainer)
    return user, page


def test_youth_submits_a_project_and_the_trainer_grades_it_with_the_rubric(web, project):
    user, page = project

    def submit_project(p):
        sign_in(p, "youth.skd1")
        p.goto(page.url)
        p.get_by_role("button", name="Start").click()
        p.wait_for_load_state()
        p.get_by_label("Your file").set_input_files(
            {"name": "gig.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        p.get_by_role("button", name="Submit answers").click()
        p.wait_for_load_state()
        p.get_by_role("button", name="Submit now").click()
        p.wait_for_load_state()
        return p.locator(".result").inner_text()

    assert "A trainer will grade your answers" in web.do(submit_project)
    attempt = Attempt.objects.get(learner=user)
    assert attempt.status == Attempt.Status.SUBMITTED
    assert Response.objects.get(attempt=attempt).file_name == "gig.pdf"

    trainer = web.new()

    def grade(p):
        sign_in(p, "trainer.skd", next_url="/admin/assessments/grading/")
        p.get_by_role("link", name="Grade", exact=True).first.click()
        p.wait_for_load_state()
        with p.expect_download() as download:
            p.get_by_role("link", name="gig.pdf").click()
        with open(download.value.path(), "rb") as downloaded:
            file_bytes = downloaded.read()
        p.get_by_label("Clear offer").fill("4")
        p.get_by_label("Pricing").fill("2")
        p.get_by_label("Layout").fill("3")
        p.get_by_label("Feedback").fill("A clear offer; say what the price includes.")
        p.get_by_role("button", name="Save grades").click()
        p.wait_for_load_state()
        return file_bytes

    assert trainer.do(grade) == PDF
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and str(attempt.percent) == "90.00"

    def see_result(p):
        p.goto(f"/learning/attempts/{attempt.pk}/result/")
        return p.locator("main").inner_text()

    result = web.do(see_result)
    assert "Passed" in result and "say what the price includes" in result
