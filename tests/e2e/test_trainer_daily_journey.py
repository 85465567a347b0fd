"""A trainer's day in the admin (issue 16), in English and with the admin in Urdu (right to
left), axe on every page: signed in on the public form they land on the admin home, whose to-do
panel lists what awaits grading; the cohort's gradebook sorts, drills down to an attempt and
downloads as CSV and Excel; they set a due date for the cohort, send it an announcement in
English and Urdu, and import a Moodle XML question file after its preview.

The GIFT import with its problems listed is in test_question_import_journey.py.
"""

from pathlib import Path

import pytest
from wagtail.users.models import UserProfile

from assessments import services as assessment_services
from assessments.models import AssessmentPage, AssessmentQuestion, Question, QuestionBank
from courses import services
from courses.models import Announcement, CohortDueDate
from lms.models import CohortMembership
from tests.curriculum import publish
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, trainer_of
from tests.reports.conftest import make_quiz, take_quiz

from .conftest import Journey, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

DATA = Path(__file__).resolve().parent.parent / "assessments" / "data"
COHORT = "Class 7 morning"


@pytest.fixture
def cohort(make_course, request):
    """A cohort of three: Amina passed the quiz, Bilal did not, Sana has not started; Bilal's
    project awaits grading."""
    _track, course, _lessons = make_course(lessons=1, blocks=1)
    quiz = make_quiz(course)
    bank = QuestionBank.objects.create(course=course, title="Projects")
    essay = Question.objects.create(bank=bank, kind="essay", prompt="<p>Build it.</p>", points=5)
    project = course.add_child(
        instance=AssessmentPage(title="Shop website", slug="shop", kind="project")
    )
    AssessmentQuestion.objects.create(page=project, question=essay, sort_order=0)
    publish(project)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center")
    cohort = CohortFactory(center=center, curriculum=course, name=COHORT)
    trainer = trainer_of(center, "trainer.glt")
    cohort.trainers.add(trainer)
    UserProfile.get_for_user(trainer)  # the admin's language is the staff member's own choice
    UserProfile.objects.filter(user=trainer).update(preferred_language=request.param)
    learners = {}
    for name in ("Amina Bibi", "Bilal Ahmed", "Sana Karim"):
        profile = LearnerProfileFactory(home_center=center, full_name=name)
        CohortMembership.objects.create(cohort=cohort, learner=profile.user)
        services.enrollment_create(learner=profile.user, course=course, cohort=cohort)
        learners[name.split()[0]] = profile.user
    take_quiz(learners["Amina"], quiz, passing=True)
    take_quiz(learners["Bilal"], quiz, passing=False)
    attempt = assessment_services.attempt_start(learner=learners["Bilal"], assessment=project)
    assessment_services.attempt_submit(attempt=attempt, answers={0: "Done"}, sequence=0)
    bank = QuestionBank.objects.create(course=course, title="Week 2", center=center)
    return {"language": request.param, "cohort": cohort, "quiz": quiz, "bank": bank}


@pytest.mark.parametrize("cohort", ["en", "ur"], indirect=True)
def test_a_trainers_day(web, cohort):
    journey, quiz = Journey(cohort["language"]), cohort["quiz"]

    def admin_home(page):
        sign_in(page, "trainer.glt")  # the public form: staff land in the admin
        journey.visit(page, "admin home")
        return page.url, page.locator("[data-todo-item=grading]").inner_text()

    url, grading = web.do(admin_home)
    assert url.endswith("/admin/")
    assert grading.startswith("1 ")  # one submission awaits grading (Bilal's project)

    def gradebook(page):
        page.goto("/admin/gradebooks/")
        journey.visit(page, "gradebooks")
        page.get_by_role("link", name=COHORT).first.click()
        page.wait_for_load_state()
        journey.visit(page, "gradebook")
        names = lambda: page.locator("table.report-table tbody th").all_inner_texts()  # noqa: E731
        by_name = names()
        page.locator(f"thead a[href*='sort=a{quiz.pk}_best']").click()  # sort by best score
        page.wait_for_load_state()
        journey.visit(page, "gradebook (sorted)")
        by_score = names()
        sort_state = page.locator(f"thead th:has(a[href*='a{quiz.pk}_best'])").get_attribute(
            "aria-sort"
        )
        downloads = []
        for link in page.locator(".report-actions a").all():
            with page.expect_download() as download:
                link.click()
            downloads.append(download.value.suggested_filename)
        page.locator("table.report-table tbody td a[href*='/grading/']").first.click()
        page.wait_for_load_state()
        journey.visit(page, "an attempt")
        return by_name, by_score, sort_state, downloads, page.url

    by_name, by_score, sort_state, downloads, attempt_url = web.do(gradebook)
    assert by_name == ["Amina Bibi", "Bilal Ahmed", "Sana Karim"]
    assert by_score == ["Bilal Ahmed", "Amina Bibi", "Sana Karim"]  # blanks last
    assert sort_state == "ascending"
    assert [name.rsplit(".", 1)[1] for name in downloads] == ["csv", "xlsx"]
    assert "/admin/assessments/grading/" in attempt_url

    def due_date(page):
        page.goto("/admin/programme/due-dates/new/")
        journey.visit(page, "due date form")
        page.select_option("select[name=cohort]", str(cohort["cohort"].pk))
        page.select_option("select[name=page]", str(quiz.pk))
        page.fill("input[name=due_at]", "2030-01-04 17:00")
        page.locator("main form[method=post i] button[type=submit]").first.click()
        page.wait_for_load_state()
        journey.visit(page, "due dates")
        return page.url

    assert web.do(due_date).endswith("/admin/programme/due-dates/")
    due = CohortDueDate.objects.get()
    assert (due.cohort, due.page_id, due.due_at.year) == (cohort["cohort"], quiz.pk, 2030)

    def announce(page):
        page.goto("/admin/programme/announcements/new/")
        journey.visit(page, "announcement form")
        page.select_option("select[name=cohort]", str(cohort["cohort"].pk))
        page.fill("[name=title_en]", "Lab closed on Friday")
        page.fill("[name=body_en]", "Come on Saturday instead.")
        page.fill("[name=title_ur]", "جمعہ کو لیب بند")
        page.fill("[name=body_ur]", "ہفتے کو آئیں۔")
        page.locator("main form[method=post i] button[type=submit]").first.click()
        page.wait_for_load_state()
        journey.visit(page, "announcements")
        return page.url

    assert web.do(announce).endswith("/admin/programme/announcements/")
    sent = Announcement.objects.get()
    assert (sent.cohort, sent.title_en, sent.title_ur) == (
        cohort["cohort"], "Lab closed on Friday", "جمعہ کو لیب بند",
    )  # fmt: skip

    def question_import(page):
        page.goto(f"/admin/assessments/banks/{cohort['bank'].pk}/import/")
        journey.visit(page, "question import")
        page.set_input_files("input[name=file]", str(DATA / "computer_basics.xml"))
        page.select_option("select[name=format]", "moodlexml")
        page.locator("main form[method=post i] button[type=submit]").first.click()
        page.wait_for_load_state()
        journey.visit(page, "question import preview")
        page.locator("form button[name=confirm]").click()
        page.wait_for_load_state()
        journey.visit(page, "questions imported")
        return page.url

    assert "/admin/assessments/questions/" in web.do(question_import)
    assert cohort["bank"].questions.count() > 0
    assert not cohort["bank"].questions.filter(live=True).exists()  # drafts for review
    journey.check()
