"""Issue 16's staff shortcuts in the browser, in English and with the admin in Urdu (right to
left), axe on every page: a trainer reaches their cohort's dashboard and gradebook from the
admin's "My cohorts" menu (and sees no other center's cohort there); a trainer who may edit a
course opens its "Order lessons" page and a lesson added in the admin lands before the course's
assessments; a manager imports a roster into a freelancing cohort and the import page names each
course and why learners were not enrolled, with the course summary as a CSV download.

Strings are asserted in English only; the Urdu cases check the structure (direction, links, rows).
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from assessments.models import AssessmentPage
from courses import roster
from courses.authoring import curriculum_review_setup
from courses.models import CoursePage, Enrollment, LessonPage, TrackPage
from courses.services import enrollment_create
from tests.curriculum import publish
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    manager_of,
    trainer_of,
)

from .conftest import Journey, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

LANGUAGES = ["en", "ur"]


def admin_language(user, language: str) -> None:
    """The admin's language is the staff member's own choice."""
    UserProfile.get_for_user(user)
    UserProfile.objects.filter(user=user).update(preferred_language=language)


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_trainer_reaches_their_cohort_from_the_my_cohorts_menu(web, make_course, language):
    _track, course, _lessons = make_course(lessons=1, blocks=1)
    glt = CenterFactory(code="GLT", name="Gilgit School IT Center")
    skd = CenterFactory(code="SKD", name="Skardu lab")
    mine = CohortFactory(center=glt, curriculum=course, name="Class 7 morning")
    theirs = CohortFactory(center=skd, curriculum=course, name="Skardu evening")
    trainer = trainer_of(glt, "trainer.glt")
    mine.trainers.add(trainer)
    admin_language(trainer, language)
    menu_label = in_language(language, "My cohorts")
    journey = Journey(language)

    def menu_link(page, name):
        return page.locator(f"a.sidebar-menu-item__link[href='{reverse(name, args=[mine.pk])}']")

    def open_menu(page):
        if not menu_link(page, "reports:cohort").is_visible():
            page.get_by_role("button", name=menu_label, exact=True).click()
        menu_link(page, "reports:cohort").wait_for()
        return sorted(
            page.locator("a.sidebar-menu-item__link").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
        )

    def menu(page):
        sign_in(page, "trainer.glt")
        journey.visit(page, "admin home")
        hrefs = open_menu(page)
        texts = " | ".join(
            page.locator("nav a.sidebar-menu-item__link, a.sidebar-menu-item__link").evaluate_all(
                "links => links.map(a => a.textContent.trim())"
            )
        )
        menu_link(page, "reports:cohort").click()
        page.wait_for_load_state()
        journey.visit(page, "cohort dashboard")
        dashboard = (page.url, page.locator("h1").first.inner_text())
        open_menu(page)
        menu_link(page, "gradebook:cohort").click()
        page.wait_for_load_state()
        journey.visit(page, "cohort gradebook")
        gradebook = (page.url, page.locator("h1").first.inner_text())
        return hrefs, texts, dashboard, gradebook

    hrefs, texts, dashboard, gradebook = web.do(menu)
    for name in ("reports:cohort", "gradebook:cohort"):
        assert reverse(name, args=[mine.pk]) in hrefs
        assert reverse(name, args=[theirs.pk]) not in hrefs  # another center's cohort
    assert "Skardu" not in texts
    assert dashboard[0].endswith(reverse("reports:cohort", args=[mine.pk]))
    assert gradebook[0].endswith(reverse("gradebook:cohort", args=[mine.pk]))
    assert "Class 7 morning" in dashboard[1] and "Class 7 morning" in gradebook[1]
    if language == "en":
        assert "Class 7 morning: dashboard" in texts and "Class 7 morning: gradebook" in texts
    journey.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_trainer_orders_a_courses_lessons_and_a_new_lesson_comes_before_the_quiz(
    web, make_course, language
):
    curriculum_review_setup()
    track, course, _lessons = make_course(lessons=2, blocks=1)
    publish(course.add_child(instance=AssessmentPage(title="Quiz", slug="quiz")))
    trainer = trainer_of(CenterFactory(code="GLT"), "trainer.glt")
    admin_language(trainer, language)
    journey = Journey(language)
    order_url = reverse("wagtailadmin_explore", args=[course.pk]) + "?ordering=ord"

    def order(page):
        sign_in(page, "trainer.glt", next_url="/admin/")
        page.goto(reverse("wagtailadmin_explore", args=[track.pk]))
        journey.visit(page, "track listing")
        row = page.locator("table.listing tbody tr", has_text="Computer basics")
        link = row.locator("a.button[href*='ordering=ord']")  # the course's own button
        label = link.inner_text()
        link.click()
        page.wait_for_load_state()
        journey.visit(page, "order lessons")
        handles = page.locator("tbody [data-w-orderable-target=handle], tbody .handle").count()
        titles = page.locator("table.listing tbody tr .title-wrapper a, tbody .title a")
        return page.url, label, handles, [t.strip() for t in titles.all_inner_texts()]

    url, label, handles, shown = web.do(order)
    assert url.endswith(order_url)
    if language == "en":
        assert label.strip() == "Order lessons"
    assert handles == 3  # every lesson and the quiz can be dragged
    assert shown == ["Lesson 1", "Lesson 2", "Quiz"]

    def add_lesson(page):
        page.goto(reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", course.pk)))
        journey.visit(page, "add lesson")
        page.fill("#id_title", "Lesson 3")
        page.click(".c-sf-add-button")
        page.get_by_role("option", name="Paragraph").click()
        page.locator("[data-contentpath='body'] .public-DraftEditor-content").first.click()
        page.keyboard.type("Press Ctrl+C.")
        page.wait_for_function(
            "() => [...document.querySelectorAll('input[name^=body-]')]"
            ".some(input => input.value.includes('Ctrl+C'))"
        )
        page.locator("footer button.action-save").first.click()
        page.wait_for_selector(".messages .success")
        page.goto(order_url)
        journey.visit(page, "order lessons after adding")
        titles = page.locator("table.listing tbody tr .title-wrapper a, tbody .title a")
        return [t.strip() for t in titles.all_inner_texts()]

    shown = web.do(add_lesson)
    assert shown == ["Lesson 1", "Lesson 2", "Lesson 3", "Quiz"]
    children = course.get_children().order_by("path").specific()
    assert [(type(c), c.title) for c in children][2] == (LessonPage, "Lesson 3")
    journey.check()


YOUTH = [
    ("Amina Bibi", "", "", "amina", "youth", "female", "2004", "Youth evening"),
    ("Bilal Ahmed", "", "", "bilal", "youth", "male", "2004", "Youth evening"),
]


@pytest.fixture
def freelancing(home):
    track = publish(
        home.add_child(
            instance=TrackPage(
                title="Freelancing", slug="freelancing", audience="youth", summary="Earn online."
            )
        )
    )

    def course(title, slug, *needs):
        page = track.add_child(instance=CoursePage(title=title, slug=slug, summary=".", hours=6))
        page.prerequisites.set(needs)
        return publish(page)

    profiles = course("Freelancing profiles", "profiles")
    course("Client proposals", "proposals", profiles)
    center = CenterFactory(name="Gilgit hub", code="GLH")
    CohortFactory(center=center, name="Youth evening", curriculum=track)
    # Bilal was imported before and has completed "Freelancing profiles".
    bilal = LearnerProfileFactory(
        user__username="bilal", home_center=center, full_name="Bilal Ahmed"
    ).user
    done = enrollment_create(learner=bilal, course=profiles)
    done.status = Enrollment.Status.COMPLETED
    done.save()
    return manager_of(center, "manager.glh")


def roster_file(rows) -> dict:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(roster.TEMPLATE_HEADERS)
    writer.writerows(rows)
    return {"name": "youth.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_manager_imports_a_freelancing_roster_and_sees_why_courses_were_not_enrolled(
    web, freelancing, language, tmp_path
):
    admin_language(freelancing, language)
    journey = Journey(language)

    def import_roster(page):
        sign_in(page, "manager.glh", next_url="/admin/")
        page.goto(reverse("courses_roster:upload"))
        journey.visit(page, "roster upload")
        page.set_input_files("input[name=file]", files=[roster_file(YOUTH)])
        page.locator("main form[method=post i] button[type=submit]").first.click()
        page.wait_for_load_state()
        journey.visit(page, "roster preview")
        page.locator("form[action$='/confirm/'] button[type=submit]").click()
        page.wait_for_load_state()
        journey.visit(page, "password sheet")
        rows = [
            [cell.strip() for cell in row.locator("td").all_inner_texts()]
            for row in page.locator("table.listing", has=page.locator("tbody td"))
            .last.locator("tbody tr")
            .all()
        ]
        summary = page.locator("a[href$='/courses.csv']")
        with page.expect_download() as download:
            summary.click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        return page.url, rows, summary.inner_text(), path

    url, rows, link_text, path = web.do(import_roster)
    enrolled = set(Enrollment.objects.values_list("learner__username", "course__title"))
    assert enrolled == {
        ("amina", "Freelancing profiles"),
        ("bilal", "Freelancing profiles"),
        ("bilal", "Client proposals"),
    }
    # One row per course of the track, each naming the course; the second says why not.
    assert [row[:2] for row in rows] == [
        ["Youth evening", "Freelancing profiles"],
        ["Youth evening", "Client proposals"],
    ]
    assert rows[0][3] == "" and "Freelancing profiles" in rows[1][3]
    if language == "en":
        assert rows[1][3] == (
            "Client proposals — 1 learner not enrolled: needs 'Freelancing profiles' first"
        )
        assert link_text.strip() == "Download the course summary (CSV)"
    assert path.name.startswith("roster-glh-") and path.suffix == ".csv"
    lines = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert lines[1:] == [
        ["Youth evening", "Freelancing profiles", "1", "1", "0", ""],
        ["Youth evening", "Client proposals", "1", "0", "1", "Freelancing profiles"],
    ]
    journey.check()
