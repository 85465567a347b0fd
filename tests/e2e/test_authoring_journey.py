"""A trainer drafts a lesson in the Wagtail admin and submits it for review; a reviewer (the
center manager) approves it, which publishes it, and a learner can read it."""

import pytest
from wagtail.models import Collection, WorkflowState

from courses.authoring import REVIEW_WORKFLOW_NAME, curriculum_review_setup
from courses.models import LessonPage
from tests.factories import CenterFactory, manager_of, trainer_of

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

TITLE = "Saving files to a USB drive"
PARAGRAPH = "Plug the drive in, open File Explorer and drag your folder onto it."


@pytest.fixture
def authors(make_course):
    # The flush after an earlier browser test emptied what migrations made: the root collection
    # (media permissions hang on it), the workflow and the role groups' permissions.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    curriculum_review_setup()
    _track, course, _lessons = make_course(lessons=1)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center")
    trainer_of(center, "trainer.glt")
    manager_of(center, "manager.glt")
    return course


def test_trainer_drafts_and_submits_a_lesson_and_a_reviewer_publishes_it(web, authors):
    course = authors

    def draft(page):
        sign_in(page, "trainer.glt", next_url="/admin/")
        page.goto(f"/admin/pages/add/courses/lessonpage/{course.pk}/")
        page.fill("#id_title", TITLE)
        page.fill("#id_summary", "Keep a copy of your work.")
        page.click(".c-sf-add-button")
        page.get_by_role("option", name="Paragraph").click()
        editor = page.locator("[data-contentpath='body'] .public-DraftEditor-content").first
        editor.click()
        page.keyboard.type(PARAGRAPH)
        # Draftail writes its hidden input a moment after the last keystroke (debounced).
        page.wait_for_function(
            "text => [...document.querySelectorAll('input[name^=body-]')]"
            ".some(input => input.value.includes(text))",
            arg=PARAGRAPH,
        )
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_selector(".messages .success")
        return page.locator(".messages").inner_text(), page.url

    message, edit_url = web.do(draft)
    assert TITLE in message, message
    lesson = LessonPage.objects.get(title=TITLE)
    assert not lesson.live and lesson.get_parent().pk == course.pk
    assert PARAGRAPH in str(lesson.get_latest_revision_as_object().body)
    assert f"/admin/pages/{lesson.pk}/edit/" in edit_url

    def submit(page):
        page.locator("footer .w-dropdown__toggle").click()
        page.get_by_role("button", name=f"Submit to {REVIEW_WORKFLOW_NAME}").click()
        page.wait_for_selector(".messages .success")
        return page.locator(".messages").inner_text()

    assert "submitted" in web.do(submit).lower()
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    lesson.refresh_from_db()
    assert not lesson.live

    reviewer = web.new()

    def approve(page):
        sign_in(page, "manager.glt", next_url="/admin/")
        page.goto(f"/admin/pages/{lesson.pk}/edit/")
        page.locator("footer .w-dropdown__toggle").click()
        page.get_by_role("button", name="Approve and Publish", exact=True).click()
        page.wait_for_selector(".messages .success")
        return page.locator(".messages").inner_text()

    assert TITLE in reviewer.do(approve)
    lesson.refresh_from_db()
    state.refresh_from_db()
    assert lesson.live and state.status == WorkflowState.STATUS_APPROVED
    assert lesson.live_revision.user.username == "trainer.glt"  # the trainer's words, published
    assert state.task_states.get().finished_by.username == "manager.glt"

    def read(page):
        page.context.clear_cookies()  # any visitor
        response = page.goto(lesson.url)
        return response.status, page.locator("article h1").inner_text(), page.content()

    status, heading, html = reviewer.do(read)
    assert (status, heading) == (200, TITLE) and PARAGRAPH in html
