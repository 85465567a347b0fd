"""The demo curriculum seeded by ``seed_demo``: complete, valid, translated, idempotent."""

import re

import pytest
from wagtail.documents import get_document_model
from wagtail.images.models import Image
from wagtail.models import Locale, Page, Revision

from courses.models import CoursePage, LessonPage, TrackPage
from demo.curriculum import demo_curriculum_seed
from demo.network import demo_network_seed

pytestmark = pytest.mark.django_db

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def curriculum():
    demo_network_seed()
    demo_curriculum_seed()


def _english(model):
    return model.objects.filter(locale__language_code="en")


def _urdu_translation(page):
    return page.get_translation_or_none(Locale.objects.get(language_code="ur"))


def test_two_tracks_for_the_two_audiences(curriculum):
    tracks = {t.slug: t for t in _english(TrackPage).live()}
    assert {slug: t.audience for slug, t in tracks.items()} == {
        "digital-literacy": "students",
        "freelancing": "youth",
    }
    assert all(t.show_in_menus for t in tracks.values())
    courses = {c.slug: c for c in _english(CoursePage).live()}
    assert set(courses) == {
        "computer-basics",
        "internet-safety",
        "documents-and-spreadsheets",
        "freelancing-foundations",
        "web-development-basics",
        "graphic-design-basics",
    }
    for course in courses.values():
        assert course.summary and len(course.outcome_list) >= 3 and course.hours > 0
    assert courses["computer-basics"] in courses["web-development-basics"].prerequisites.all()
    assert not courses["computer-basics"].prerequisites.exists()


def test_every_course_has_three_lessons_using_varied_blocks(curriculum):
    block_types = set()
    for course in _english(CoursePage).live():
        lessons = course.lessons
        assert len(lessons) >= 3, course.title
        for lesson in lessons:
            lesson = lesson.specific
            types = {block.block_type for block in lesson.body}
            assert len(types) >= 3, lesson.title
            assert "callout" in types, lesson.title
            assert lesson.estimated_minutes > 0
            block_types |= types
            if course.slug == "web-development-basics":
                assert "code" in types, lesson.title
    assert {"heading", "paragraph", "image", "video", "document", "code", "exercise"} <= (
        block_types
    )


def test_stored_lessons_pass_the_editors_block_validation(curriculum):
    stream_block = LessonPage._meta.get_field("body").stream_block
    for lesson in LessonPage.objects.all():
        stream_block.clean(lesson.body)  # raises on e.g. a video without a transcript
        lesson.full_clean()


def test_safety_video_has_a_transcript_and_checklist_is_downloadable(curriculum):
    lesson = _english(LessonPage).get(slug="strong-passwords")
    video = next(block.value for block in lesson.body if block.block_type == "video")
    assert video["embed_url"] and "password" in video["transcript"].source
    document = next(block.value for block in lesson.body if block.block_type == "document")
    assert document["document"].file_extension == "txt"
    assert b"12 characters" in document["document"].file.read()


def test_computer_basics_is_fully_translated_into_urdu(curriculum):
    course = _english(CoursePage).get(slug="computer-basics")
    pages = [course.get_parent().specific, course, *(lesson.specific for lesson in course.lessons)]
    for page in pages:
        urdu = _urdu_translation(page)
        assert urdu is not None, page.title
        assert urdu.live and urdu.alias_of_id is None
        assert ARABIC_SCRIPT.search(urdu.title), urdu.title
        assert urdu.slug == page.slug
    urdu_lesson = _urdu_translation(course.lessons[0].specific)
    paragraphs = [b.value.source for b in urdu_lesson.body if b.block_type == "paragraph"]
    assert all(ARABIC_SCRIPT.search(text) for text in paragraphs)
    assert urdu_lesson.url == "/ur/digital-literacy/computer-basics/parts-of-a-computer/"


def _counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": Image.objects.count(),
        "documents": get_document_model().objects.count(),
        "latest": sorted(Page.objects.values_list("id", "latest_revision_id")),
    }


def test_seeding_twice_changes_nothing(curriculum):
    first = _counts()
    demo_curriculum_seed()
    assert _counts() == first
    assert first["images"] >= 3 and first["documents"] >= 1


def test_every_lesson_page_is_served_in_english_and_urdu(curriculum, client):
    english = list(_english(LessonPage).live())
    urdu = list(LessonPage.objects.filter(locale__language_code="ur").live())
    assert len(urdu) >= 3
    for lesson in english + urdu:
        response = client.get(lesson.url)
        assert response.status_code == 200, lesson.url
        assert f"<h1>{lesson.title}</h1>" in response.text
    for lesson in urdu:
        response = client.get(lesson.url)
        assert lesson.url.startswith("/ur/")
        assert 'dir="rtl"' in response.text
        assert '<html lang="ur"' in response.text
    for page in (*TrackPage.objects.live(), *CoursePage.objects.live()):
        assert client.get(page.url).status_code == 200, page.url


def test_every_demo_page_and_question_exists_in_english_and_urdu(client):
    """After seed_demo: each track, course, lesson and assessment is one page in English and
    one Urdu translation of it (same translation_key, a page of its own, live), the Urdu
    assessment draws the English one's questions, and every question and choice has its Urdu."""
    from django.core.management import call_command

    from assessments.models import AssessmentPage, Choice, Question, RubricCriterion

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ur = Locale.objects.get(language_code="ur")
    demo_pages = [
        *_english(TrackPage),
        *_english(CoursePage),
        *_english(LessonPage),
        *_english(AssessmentPage),
    ]
    assert len(demo_pages) == 2 + 6 + 19 + 9
    for page in demo_pages:
        urdu = page.get_translation_or_none(ur)
        assert urdu is not None, page.url_path
        assert urdu.translation_key == page.translation_key
        assert urdu.live and urdu.alias_of_id is None, urdu.url_path
        assert ARABIC_SCRIPT.search(urdu.title), urdu.title
        assert not ARABIC_SCRIPT.search(page.title), page.title
        if isinstance(page, AssessmentPage):
            urdu = urdu.specific
            assert [q.question_id for q in urdu.fixed_questions.all()] == [
                q.question_id for q in page.fixed_questions.all()
            ]
            assert sorted((d.bank_id, d.category, d.count) for d in urdu.draws.all()) == sorted(
                (d.bank_id, d.category, d.count) for d in page.draws.all()
            )
    assert client.get("/ur/freelancing/").status_code == 200
    home = client.get("/ur/").text
    assert "ڈیجیٹل خواندگی" in home and "فری لانسنگ" in home
    assert Question.objects.count() >= 70
    assert not Question.objects.filter(prompt_ur="").exists()
    assert not Choice.objects.filter(text_ur="").exists()
    assert not RubricCriterion.objects.filter(title_ur="").exists()
    assert not Question.objects.filter(kind="short_text", accepted_answers_ur="").exists()
    for question in Question.objects.all():
        assert ARABIC_SCRIPT.search(question.prompt_ur), question.prompt
        assert bool(question.feedback) == bool(question.feedback_ur), question.prompt
    # One bank per course: no Urdu-only questions beside the translated ones.
    assert not Question.objects.filter(category="urdu").exists()
