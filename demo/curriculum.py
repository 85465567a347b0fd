"""Demo curriculum for ``seed_demo``: two tracks, six courses and their lessons, in English and
Urdu (a Wagtail translation of each page, same ``translation_key``).

Safe to run any number of times. Pages are looked up by slug under their parent, images and
documents by title, and each is created (and published once) only when it is missing; nothing
that exists is changed, so a second run adds no page, revision, image or document, and keeps
any edit a trainer made to a demo page. An Urdu translation is added where it is missing, so a
database seeded by an older demo gains the Urdu of every page.

The texts are data in ``demo/data`` (``demo.texts``); this module turns them into pages. Lesson
bodies go through the same block validation as the page editor (``LessonStreamBlock.clean``),
so demo content obeys the rules a trainer must follow, e.g. a video needs a transcript.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.documents import get_document_model
from wagtail.images.models import Image
from wagtail.models import Locale
from wagtail.utils.file import hash_filelike

from content.models import HomePage
from courses.models import CoursePage, LessonPage, TrackPage
from lms.media import programme_collection

from . import texts
from .drawings import draw

# Generated illustrations: key used in lesson data -> Wagtail image title.
IMAGE_TITLES = {
    "computer-parts": "Parts of a computer (diagram)",
    "folder-tree": "Folders and files (diagram)",
    "keyboard-home-row": "Keyboard home row (diagram)",
    "spreadsheet-grid": "Spreadsheet rows, columns and cells (diagram)",
    "web-page-parts": "How a web page reaches the browser (diagram)",
    "design-principles": "Four design principles (diagram)",
    "colour-wheel": "Colour wheel (diagram)",
}


@transaction.atomic
def demo_curriculum_seed() -> None:
    """Create the demo tracks, courses and lessons, and their Urdu translations; idempotent."""
    assets = _Assets(texts.documents())
    home = _english_home()
    courses: dict[str, CoursePage] = {}
    for track_data in texts.tracks():
        track = _child(home, TrackPage, track_data["slug"])
        if track is None:
            track = TrackPage(
                title=track_data["title"],
                slug=track_data["slug"],
                audience=track_data["audience"],
                summary=track_data["summary"],
                show_in_menus=True,
            )
            _create(home, track)
        for course_slug in track_data["courses"]:
            course_data = texts.course(course_slug)
            course = _child(track, CoursePage, course_slug)
            if course is None:
                course = CoursePage(
                    title=course_data["title"],
                    slug=course_slug,
                    summary=course_data["summary"],
                    outcomes="\n".join(course_data["outcomes"]),
                    level=course_data["level"],
                    hours=course_data["hours"],
                )
                course.prerequisites = [courses[slug] for slug in course_data["prerequisites"]]
                _create(track, course)
            courses[course_slug] = course
            for lesson_data in course_data["lessons"]:
                if _child(course, LessonPage, lesson_data["slug"]) is None:
                    _create(
                        course,
                        LessonPage(
                            title=lesson_data["title"],
                            slug=lesson_data["slug"],
                            summary=lesson_data["summary"],
                            estimated_minutes=lesson_data["minutes"],
                            body=_lesson_body(lesson_data["slug"], lesson_data["body"], assets),
                        ),
                    )
    _urdu_seed(home, courses, assets)


def _english_home() -> HomePage:
    homes = HomePage.objects.filter(depth=2, locale__language_code="en")
    home = homes.filter(slug="home").first() or homes.order_by("path").first()
    if home is None:
        raise RuntimeError("No English home page: run `manage.py migrate` first.")
    return home


def _child(parent, model, slug):
    """The child page of ``parent`` with this slug, or None; refuses a page of another type."""
    page = parent.get_children().filter(slug=slug).specific().first()
    if page is not None and not isinstance(page, model):
        raise RuntimeError(
            f"{page.url_path} is a {type(page).__name__}, not a {model.__name__}: "
            "rename or move it before loading the demo curriculum."
        )
    return page


def _create(parent, page):
    """Add ``page`` under ``parent`` and publish it: one revision, live."""
    page.live = False  # live only once published, like a page saved as a draft in the editor
    parent.add_child(instance=page)  # Page.save() runs full_clean()
    page.save_revision().publish()  # save_revision() runs full_clean() again
    return page


def _lesson_body(slug, items, assets):
    """The lesson's blocks, with image and document keys resolved, cleaned like the editor."""
    raw = []
    for block in texts.body(items):
        value = block["value"]
        if block["type"] == "image":
            value = {**value, "image": assets.image(value["image"]).pk}
        elif block["type"] == "document":
            value = {**value, "document": assets.document(value["document"]).pk}
        raw.append({"type": block["type"], "value": value})
    stream_block = LessonPage._meta.get_field("body").stream_block
    try:
        return stream_block.clean(stream_block.to_python(raw))
    except ValidationError as error:
        detail = error.as_json_data() if hasattr(error, "as_json_data") else error.messages
        raise ValidationError(f"Demo lesson {slug!r} is invalid: {detail}") from error


# --- Urdu ---------------------------------------------------------------------------------------


def _urdu_seed(home, courses: dict[str, CoursePage], assets) -> None:
    """Translate the home page, every track, course and lesson that has Urdu in the data."""
    ur, _ = Locale.objects.get_or_create(language_code="ur")
    urdu = texts.load("ur/tracks")
    _translate(home, ur, lambda: {"title": urdu["home"]["title"], "intro": urdu["home"]["intro"]})
    for track_data in texts.tracks():
        track_ur = urdu["tracks"].get(track_data["slug"])
        track = _child(home, TrackPage, track_data["slug"])
        if track_ur is None or track is None:
            continue
        _translate(track, ur, lambda t=track_ur: {"title": t["title"], "summary": t["summary"]})
        for course_slug in track_data["courses"]:
            course_ur = texts.course_ur(course_slug)
            course = courses.get(course_slug)
            if not course_ur or course is None:
                continue

            def course_fields(c=course_ur):
                return {
                    "title": c["title"],
                    "summary": c["summary"],
                    "outcomes": "\n".join(c["outcomes"]),
                }

            _translate(course, ur, course_fields)
            for slug, lesson in course_ur.get("lessons", {}).items():
                english = _child(course, LessonPage, slug)
                if english is None:
                    continue

                def fields(lesson=lesson, slug=slug):
                    return {
                        "title": lesson["title"],
                        "summary": lesson["summary"],
                        "body": _lesson_body(f"ur/{slug}", lesson["body"], assets),
                    }

                _translate(english, ur, fields)


def _translate(source, locale, fields):
    """The translation of ``source`` into ``locale``, made with Wagtail's simple translation.

    Made only when missing: ``copy_for_translation`` gives a draft copy in the locale's tree
    (same slug), which gets the translated ``fields()`` and is published. An alias left in that
    place by page-tree synchronisation is first converted into a page of its own.
    """
    existing = source.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id is None:
        return existing
    if existing is not None:
        page = ConvertAliasPageAction(existing).execute(skip_permission_checks=True)
    else:
        page = source.copy_for_translation(locale, copy_parents=True)
    for name, value in fields().items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


# --- Images and documents -----------------------------------------------------------------------


class _Assets:
    """Images and documents named by key in the lesson data, found by title or made once, in
    the shared Programme collection (every center's staff may choose them)."""

    def __init__(self, documents: dict):
        self._documents = documents
        self._cache: dict[tuple[str, str], object] = {}
        self._collection = programme_collection()

    def image(self, key: str) -> Image:
        if ("image", key) not in self._cache:
            title = IMAGE_TITLES[key]
            image = Image.objects.filter(title=title).order_by("pk").first()
            if image is None:
                png = draw(key)
                image = Image(
                    title=title,
                    file=ImageFile(BytesIO(png), name=f"{key}.png"),
                    collection=self._collection,
                )
                image.file_size = len(png)
                image.file_hash = hash_filelike(BytesIO(png))
                image.save()
            self._cache["image", key] = image
        return self._cache["image", key]

    def document(self, key: str):
        if ("document", key) not in self._cache:
            spec = self._documents[key]
            Document = get_document_model()
            document = Document.objects.filter(title=spec["title"]).order_by("pk").first()
            if document is None:
                data = spec["text"].replace("\n", "\r\n").encode()  # opens well in Notepad too
                document = Document(
                    title=spec["title"],
                    file=ContentFile(data, name=spec["filename"]),
                    collection=self._collection,
                )
                document.file_size = len(data)
                document.file_hash = hash_filelike(BytesIO(data))
                document.save()
            self._cache["document", key] = document
        return self._cache["document", key]
