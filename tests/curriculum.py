import pytest
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from content.models import HomePage
from courses.models import CoursePage, LessonPage, TrackPage

PARAGRAPH = (
    "<p>A computer keeps your work in files. A file has a name and a type, and it lives in a "
    "folder. Folders can hold other folders, so you can keep lessons, letters and pictures "
    "apart and find them again quickly.</p>"
)


def lesson_body(blocks: int) -> list:
    """A realistic mix of block types, ``blocks`` long."""
    kinds = [
        ("heading", {"text": "Saving your work", "level": "h2"}),
        ("paragraph", RichText(PARAGRAPH)),
        ("callout", {"kind": "tip", "text": RichText("<p>Press Ctrl+S often.</p>")}),
        ("code", {"language": "html", "code": "<h1>My first page</h1>\n<p>Hello</p>"}),
        (
            "exercise",
            {
                "title": "Make a folder",
                "goal": "A folder on the desktop",
                "steps": [RichText("<p>Right-click the desktop.</p>"), RichText("<p>New.</p>")],
            },
        ),
    ]
    return [kinds[i % len(kinds)] for i in range(blocks)]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def home(db):
    """The English home page; rebuilt when a transactional test's flush emptied the page tree
    (the data migration that creates it does not run again after a flush)."""
    page = HomePage.objects.filter(depth=2, locale__language_code="en").first()
    if page is not None:
        return page
    locale, _created = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    page = root.add_child(instance=HomePage(title="Hunar", slug="home", locale=locale))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": page, "site_name": "Hunar"},
    )
    return page


@pytest.fixture
def make_course(home):
    def _make(lessons=3, blocks=5, slug="computer-basics"):
        track = home.add_child(
            instance=TrackPage(
                title="Digital literacy", slug=f"track-{slug}", audience="students",
                summary="Everyday computer skills.",
            )
        )  # fmt: skip
        publish(track)
        course = track.add_child(
            instance=CoursePage(
                title="Computer basics", slug=slug, summary="Use a computer with confidence.",
                outcomes="Save files\nFind files", hours=12,
            )
        )  # fmt: skip
        publish(course)
        made = []
        for number in range(1, lessons + 1):
            lesson = course.add_child(
                instance=LessonPage(
                    title=f"Lesson {number}", slug=f"lesson-{number}", estimated_minutes=15,
                    body=lesson_body(blocks),
                )
            )  # fmt: skip
            made.append(publish(lesson))
        return track, course, made

    return _make
