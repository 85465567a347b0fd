"""A learner's day (issue 16), in English and in Urdu, axe on every page: the home page's footer
leads to certificate checks, the centers and the about page; "My learning" shows the cohort's
announcement until it is read and what is due; a course names its prerequisites (with links)
before "Enrol"; lessons carry ticks and "Mark as complete" says what happened; the admin points
a learner back to "My learning".

Opening a lesson and progress are in test_learner_journey.py; quizzes in
test_assessment_journeys.py.
"""

import datetime

import pytest
from django.utils import timezone, translation

from courses import services, staff
from courses.models import AnnouncementRead, LessonProgress
from courses.templatetags.staff_tags import due_label
from lms.models import Center, CohortMembership
from tests.curriculum import publish
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, trainer_of

from .conftest import Journey, sign_in, translate_to_urdu

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def day(make_course, request):
    language = request.param
    _track, basics, lessons = make_course(lessons=2, blocks=2)
    _track, web_course, _web_lessons = make_course(lessons=1, blocks=1, slug="web-design")
    web_course.title = "Web design"
    web_course.prerequisites.set([basics])
    publish(web_course)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center", district="Gilgit")
    CenterFactory(
        code="SKD", name="Skardu Tech Hub", district="Skardu", kind=Center.Kind.TECH_HUB,
        offers_school_hours=False,
    )  # fmt: skip
    cohort = CohortFactory(center=center, curriculum=basics, name="Class 7 morning")
    profile = LearnerProfileFactory(
        home_center=center, full_name="Amina Khan", preferred_language=language,
        user__username="student.glt1",
    )  # fmt: skip
    CohortMembership.objects.create(cohort=cohort, learner=profile.user)
    services.enrollment_create(learner=profile.user, course=basics, cohort=cohort)
    trainer = trainer_of(center, "trainer.glt")
    cohort.trainers.add(trainer)
    due_at = timezone.localtime() + datetime.timedelta(days=3)
    staff.due_date_set(cohort=cohort, page=lessons[1], due_at=due_at, by=trainer)
    staff.announcement_create(
        by=trainer, cohort=cohort, title_en="Lab closed on Friday",
        body_en="<p>Come on Saturday instead.</p>", title_ur="جمعہ کو لیب بند",
        body_ur="<p>ہفتے کو آئیں۔</p>",
    )  # fmt: skip
    if language == "ur":
        basics, *lessons = translate_to_urdu(basics, *lessons)
        (web_course,) = translate_to_urdu(web_course)
    with translation.override(language):
        due = due_label(due_at)
    return {
        "language": language, "prefix": "/ur" if language == "ur" else "", "user": profile.user,
        "basics": basics, "lessons": lessons, "web": web_course, "due": due,
    }  # fmt: skip


@pytest.mark.parametrize("day", ["en", "ur"], indirect=True)
def test_a_learners_day(web, day):
    journey, prefix = Journey(day["language"]), day["prefix"]
    urdu = day["language"] == "ur"
    announcement = "جمعہ کو لیب بند" if urdu else "Lab closed on Friday"

    def public_pages(page):
        page.goto(f"{prefix}/")
        journey.visit(page, "home")
        footer = page.locator("footer")
        links = [footer.locator("a").nth(i).get_attribute("href") for i in range(3)]
        footer.locator("a").nth(0).click()  # Verify a certificate
        page.wait_for_load_state()
        journey.visit(page, "verify")
        verify = page.url
        page.goto(links[1])
        journey.visit(page, "centers")
        rows = [
            [cell.inner_text() for cell in row.locator("th, td").all()]
            for row in page.locator("table tbody tr").all()
        ]
        page.goto(links[2])
        journey.visit(page, "about")
        return links, verify, rows, page.locator("h1").inner_text()

    links, verify, rows, about = web.do(public_pages)
    assert links == [f"{prefix}/verify/", f"{prefix}/centers/", f"{prefix}/about/"]
    assert verify.endswith(f"{prefix}/verify/")
    assert [row[:2] for row in rows] == [
        ["Gilgit School IT Center", "Gilgit"],
        ["Skardu Tech Hub", "Skardu"],
    ]
    assert "08:00–13:00" in rows[0][3] and "14:00–18:00" in rows[0][3]
    assert "08:00–13:00" not in rows[1][3] and "14:00–18:00" in rows[1][3]  # no school hours
    assert "Hunar" in about or "ہنر" in about

    def my_learning(page):
        sign_in(page, "student.glt1")  # lands on "My learning" in the learner's language
        journey.visit(page, "my learning")
        card = page.locator("ul.cards li", has_text=day["basics"].title)
        shown = (
            page.url,
            page.locator("section.announcements h3").all_inner_texts(),
            card.locator("ul.due li").all_inner_texts(),
        )
        page.locator("section.announcements").get_by_role("button").click()  # Mark as read
        page.wait_for_load_state()
        journey.visit(page, "my learning (read)")
        return shown, page.locator("section.announcements").count()

    (url, announcements, due), after_read = web.do(my_learning)
    assert url.endswith(f"{prefix}/learning/")
    assert announcements == [announcement]
    assert due == [f"{day['lessons'][1].title}: {day['due']}"]
    assert after_read == 0  # read: no longer shown
    assert AnnouncementRead.objects.filter(user=day["user"]).count() == 1

    def prerequisites(page):
        page.goto(day["web"].url)
        journey.visit(page, "course with a prerequisite")
        section = page.locator("section.prerequisites")
        link = section.get_by_role("link", name=day["basics"].title)
        # Named before the button that enrols.
        before = page.evaluate(
            "() => document.querySelector('section.prerequisites')"
            ".compareDocumentPosition(document.querySelector('section.course-actions button'))"
            " & Node.DOCUMENT_POSITION_FOLLOWING"
        )
        link.click()
        page.wait_for_load_state()
        journey.visit(page, "course")
        return before, page.url, page.locator(".course-actions ul.due li").all_inner_texts()

    before, course_url, course_due = web.do(prerequisites)
    assert before
    assert course_url.endswith(day["basics"].url)
    assert course_due == [f"{day['lessons'][1].title}: {day['due']}"]

    def complete_a_lesson(page):
        page.locator("ol.lessons").get_by_role("link", name=day["lessons"][0].title).click()
        page.wait_for_load_state()
        journey.visit(page, "lesson")
        page.locator(".lesson-actions button[type=submit]").click()  # Mark as complete
        page.wait_for_load_state()
        journey.visit(page, "next lesson")
        said = page.locator("ul.messages").inner_text()
        page.goto(day["basics"].url)
        journey.visit(page, "course (a lesson done)")
        ticks = [item.locator(".done").count() for item in page.locator("ol.lessons > li").all()]
        return page.url, said, ticks

    _url, said, ticks = web.do(complete_a_lesson)
    assert day["lessons"][0].title in said
    if not urdu:  # the Urdu message is in the catalogue; its words are checked in English
        assert said == f"“{day['lessons'][0].title}” is complete."
    assert ticks == [1, 0]
    assert (
        LessonProgress.objects.filter(
            enrollment__learner=day["user"], completed_at__isnull=False
        ).count()
        == 1
    )

    def admin(page):
        response = page.goto("/admin/")
        journey.visit(page, "admin (a learner)")
        status = response.status
        page.locator("main a.button").click()
        page.wait_for_load_state()
        return status, page.url

    status, landed = web.do(admin)
    assert status == 403
    assert landed.endswith(f"{prefix}/learning/")
    journey.check()
