"""A trainer drafts, previews and submits a lesson; a reviewer approves it and it goes live."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.authoring import REVIEW_WORKFLOW_NAME, curriculum_review_setup
from courses.models import LessonPage
from courses.tasks import publish_scheduled_pages_task
from lms import roles
from tests.curriculum import lesson_body, publish
from tests.factories import CenterFactory, manager_of, trainer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    curriculum_review_setup()
    center = CenterFactory(code="GLT")
    return {"trainer": trainer_of(center), "manager": manager_of(center)}


def lesson_form(title="Keyboard shortcuts", action="action-submit", body_text="Press Ctrl+C."):
    return nested_form_data(
        {
            "title": title,
            "slug": "keyboard-shortcuts",
            "summary": "Work faster with the keyboard.",
            "estimated_minutes": 20,
            "body": streamfield([("paragraph", rich_text(f"<p>{body_text}</p>"))]),
            "comments": inline_formset([]),
            action: "1",
        }
    )


def add_lesson_url(course):
    return reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", course.pk))


def test_setup_is_idempotent_and_replaces_the_stock_workflow():
    curriculum_review_setup()
    curriculum_review_setup()
    # The only active workflow for pages (snippet types, e.g. questions, have their own).
    page_workflows = Workflow.objects.filter(active=True, workflow_content_types__isnull=True)
    assert list(page_workflows.values_list("name", flat=True)) == [REVIEW_WORKFLOW_NAME]
    root = Page.get_first_root_node()
    assert root.get_workflow().name == REVIEW_WORKFLOW_NAME


def test_trainer_submits_and_reviewer_approves_a_lesson(client, people, make_course):
    _track, course, _lessons = make_course(lessons=1)
    client.force_login(people["trainer"])

    response = client.post(add_lesson_url(course), lesson_form())
    assert response.status_code == 302, response.text[-3000:]
    lesson = LessonPage.objects.get(slug="keyboard-shortcuts")
    assert not lesson.live  # submitted, not published
    assert lesson.workflow_in_progress
    # The draft is previewable by its author before anyone approves it.
    preview = client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk]), lesson_form()
    )
    assert preview.status_code == 200
    preview = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk]))
    assert "Press Ctrl+C." in preview.text

    client.force_login(people["manager"])
    task_state = lesson.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk]),
        {"comment": "Clear and correct."},
    )
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
    client.logout()
    assert "Press Ctrl+C." in client.get(lesson.url).text


def test_trainer_cannot_publish_directly(client, people, make_course):
    _track, course, _lessons = make_course(lessons=1)
    client.force_login(people["trainer"])
    client.post(add_lesson_url(course), lesson_form(action="action-publish"))
    lesson = LessonPage.objects.get(slug="keyboard-shortcuts")
    assert not lesson.live
    assert lesson.workflow_in_progress is False


def test_trainer_edit_of_live_lesson_keeps_the_live_version_until_approved(
    client, people, make_course
):
    _track, course, lessons = make_course(lessons=1)
    lesson = lessons[0]
    client.force_login(people["trainer"])
    data = lesson_form(title=lesson.title, body_text="A better explanation.")
    data["slug"] = lesson.slug
    response = client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data)
    assert response.status_code == 302
    client.logout()
    live_html = client.get(lesson.url).text
    assert "A better explanation." not in live_html
    assert "A computer keeps your work in files." in live_html
    lesson.refresh_from_db()
    assert lesson.revisions.count() == 2  # the published one and the submitted draft


def test_revisions_can_be_compared(client, people, make_course):
    _track, _course, lessons = make_course(lessons=1)
    lesson = lessons[0]
    lesson.title = "Files and folders"
    publish(lesson)
    first, second = lesson.revisions.order_by("created_at")
    client.force_login(people["manager"])
    response = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[lesson.pk, first.pk, second.pk])
    )
    assert response.status_code == 200
    assert "Files and folders" in response.text


def test_scheduled_lesson_goes_live_when_its_time_comes(make_course):
    _track, course, _lessons = make_course(lessons=1)
    go_live = timezone.now() + datetime.timedelta(hours=1)
    lesson = course.add_child(
        instance=LessonPage(title="Scheduled", slug="scheduled", body=lesson_body(1), live=False)
    )
    lesson.go_live_at = go_live
    revision = lesson.save_revision()
    revision.publish()  # a future go-live date schedules instead of publishing
    lesson.refresh_from_db()
    assert not lesson.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at == go_live

    publish_scheduled_pages_task.delay()
    lesson.refresh_from_db()
    assert not lesson.live  # not yet

    # An hour later, as far as the page and its scheduled revision are concerned.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    publish_scheduled_pages_task.delay()
    lesson.refresh_from_db()
    assert lesson.live


def test_published_edit_keeps_the_page_identity(make_course):
    """Progress and certificates point at the page id; a published edit must not change it."""
    _track, _course, lessons = make_course(lessons=1)
    lesson = lessons[0]
    original_pk, original_path = lesson.pk, lesson.path
    lesson.title = "Renamed lesson"
    publish(lesson)
    lesson.refresh_from_db()
    assert (lesson.pk, lesson.path) == (original_pk, original_path)
    assert lesson.revisions.count() == 2


def test_learners_cannot_reach_the_page_editor(client, make_course):
    from tests.factories import UserFactory

    _track, course, _lessons = make_course(lessons=1)
    client.force_login(UserFactory(username="learner", role=roles.LEARNER))
    response = client.get(add_lesson_url(course))
    assert response.status_code in (302, 403)


def test_seed_demo_sets_up_review(people):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Page.get_first_root_node().get_workflow().name == REVIEW_WORKFLOW_NAME


@pytest.mark.parametrize("model_name", ["homepage", "trackpage", "coursepage", "lessonpage"])
def test_every_page_type_can_be_previewed_and_has_revisions(
    client, people, make_course, model_name
):
    track, course, lessons = make_course(lessons=1)
    page = {
        "homepage": track.get_parent().specific,
        "trackpage": track,
        "coursepage": course,
        "lessonpage": lessons[0],
    }[model_name]
    page.title = f"{page.title} (revised)"
    page.save_revision()
    client.force_login(people["manager"])
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert preview.status_code == 200
    assert "(revised)" in preview.text
    assert page.revisions.exists()
