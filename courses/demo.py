"""Demo curriculum for ``seed_demo``: two tracks, six courses and their lessons, in English, and
the Computer basics course in Urdu.

Safe to run any number of times. Pages are looked up by slug under their parent, images and
documents by title, and each is created (and published once) only when it is missing; nothing
that exists is changed, so a second run adds no page, revision, image or document, and keeps
any edit a trainer made to a demo page.

The texts are data in ``courses.demo_content``; this module turns them into pages. Lesson
bodies go through the same block validation as the page editor (``LessonStreamBlock.clean``),
so demo content obeys the rules a trainer must follow, e.g. a video needs a transcript.
"""

import math
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
from lms.media import programme_collection

from .models import CoursePage, LessonPage, TrackPage

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
    """Create the demo tracks, courses and lessons, and the Urdu Computer basics; idempotent."""
    # Imported here, not at module level: apps.py imports this module in every process.
    from .demo_content import digital_literacy, freelancing, urdu

    assets = _Assets({**digital_literacy.DOCUMENTS, **freelancing.DOCUMENTS})
    home = _english_home()
    courses: dict[str, CoursePage] = {}
    for track_data in (digital_literacy.TRACK, freelancing.TRACK):
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
        for course_data in track_data["courses"]:
            course = _child(track, CoursePage, course_data["slug"])
            if course is None:
                course = CoursePage(
                    title=course_data["title"],
                    slug=course_data["slug"],
                    summary=course_data["summary"],
                    outcomes="\n".join(course_data["outcomes"]),
                    level=course_data["level"],
                    hours=course_data["hours"],
                )
                course.prerequisites = [courses[slug] for slug in course_data["prerequisites"]]
                _create(track, course)
            courses[course_data["slug"]] = course
            for lesson_data in course_data["lessons"]:
                if _child(course, LessonPage, lesson_data["slug"]) is None:
                    _create(
                        course,
                        LessonPage(
                            title=lesson_data["title"],
                            slug=lesson_data["slug"],
                            summary=lesson_data["summary"],
                            estimated_minutes=lesson_data["minutes"],
                            body=_lesson_body(lesson_data, assets),
                        ),
                    )
    _urdu_seed(home, courses[urdu.COURSE["slug"]], urdu, assets)


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


def _lesson_body(lesson_data, assets):
    """The lesson's blocks, with image and document keys resolved, cleaned like the editor."""
    raw = []
    for block in lesson_data["body"]:
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
        raise ValidationError(
            f"Demo lesson {lesson_data['slug']!r} is invalid: {detail}"
        ) from error


# --- Urdu ---------------------------------------------------------------------------------------


def _urdu_seed(home, course, texts, assets) -> None:
    """Translate the home page and the whole Computer basics course (track, course, lessons)."""
    ur, _ = Locale.objects.get_or_create(language_code="ur")
    _translate(home, ur, lambda: {"title": texts.HOME["title"], "intro": texts.HOME["intro"]})
    track = course.get_parent().specific
    _translate(
        track, ur, lambda: {"title": texts.TRACK["title"], "summary": texts.TRACK["summary"]}
    )
    _translate(
        course,
        ur,
        lambda: {
            "title": texts.COURSE["title"],
            "summary": texts.COURSE["summary"],
            "outcomes": "\n".join(texts.COURSE["outcomes"]),
        },
    )
    for slug, lesson in texts.LESSONS.items():
        english = _child(course, LessonPage, slug)
        if english is None:
            continue

        def fields(lesson=lesson, slug=slug):
            return {
                "title": lesson["title"],
                "summary": lesson["summary"],
                "body": _lesson_body({**lesson, "slug": f"ur/{slug}"}, assets),
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
                png = _draw(key)
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


# --- Drawing the illustrations (Pillow, flat colours, small PNGs) -------------------------------

INK = "#1f2933"
MUTED = "#52606d"
LINE = "#9aa5b1"
BLUE = "#cfe3ff"
GREEN = "#d6f5d6"
YELLOW = "#f2c14e"
ACCENT = "#1d4e89"


def _draw(key: str) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    size = {"keyboard-home-row": (800, 330), "design-principles": (800, 500)}.get(key, (800, 450))
    canvas = PILImage.new("RGB", size, "white")
    draw = ImageDraw.Draw(canvas)
    fonts = {n: ImageFont.load_default(size=n) for n in (14, 16, 18, 22, 26)}
    _DRAWINGS[key](draw, fonts)
    out = BytesIO()
    canvas.quantize(colors=48).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _label(draw, xy, text, font, fill=INK, anchor="mm"):
    draw.text(xy, text, font=font, fill=fill, anchor=anchor)


def _draw_computer_parts(draw, fonts):
    # Monitor on a stand
    draw.rounded_rectangle((110, 60, 470, 280), 10, fill="#3e4c59")
    draw.rectangle((126, 76, 454, 264), fill="#dbeafe")
    _label(draw, (290, 170), "Windows desktop", fonts[18], MUTED)
    draw.polygon([(270, 280), (310, 280), (322, 318), (258, 318)], fill="#7b8794")
    draw.rectangle((225, 318, 355, 328), fill="#7b8794")
    _label(draw, (290, 36), "Monitor (output)", fonts[22])
    # System unit
    draw.rounded_rectangle((560, 70, 690, 330), 8, fill="#52606d")
    for y in (100, 118):
        draw.rectangle((580, y, 670, y + 8), fill="#7b8794")
    draw.ellipse((612, 280, 638, 306), outline="#a7f3d0", width=4)
    _label(draw, (625, 36), "System unit", fonts[22])
    _label(draw, (625, 352), "CPU, RAM, storage", fonts[16], MUTED)
    # Keyboard
    draw.rounded_rectangle((110, 350, 470, 410), 6, fill="#cbd2d9")
    for row in range(3):
        for col in range(14):
            x, y = 120 + col * 24.5, 358 + row * 17
            draw.rectangle((x, y, x + 20, y + 13), fill="white")
    _label(draw, (290, 432), "Keyboard (input)", fonts[22])
    # Mouse
    draw.ellipse((510, 360, 556, 420), fill="#cbd2d9", outline=MUTED, width=2)
    draw.line((533, 360, 533, 385), fill=MUTED, width=2)
    _label(draw, (533, 438), "Mouse (input)", fonts[18])


def _draw_folder_tree(draw, fonts):
    rows = [
        (0, "Documents", True),
        (1, "School", True),
        (2, "Science", True),
        (3, "water-cycle.docx", False),
        (2, "Maths", True),
        (3, "fractions.xlsx", False),
        (1, "Photos", True),
        (2, "trip-to-hunza.jpg", False),
    ]
    top, step, indent, left = 40, 48, 56, 50
    parents: list[int] = []
    for index, (depth, name, is_folder) in enumerate(rows):
        x, y = left + depth * indent, top + index * step
        del parents[depth:]
        if parents:
            parent_index = parents[-1]
            px = left + (depth - 1) * indent + 14
            draw.line((px, top + parent_index * step + 16, px, y), fill=LINE, width=2)
            draw.line((px, y, x - 4, y), fill=LINE, width=2)
        if is_folder:
            draw.rectangle((x, y - 14, x + 14, y - 10), fill=YELLOW)
            draw.rectangle((x, y - 10, x + 30, y + 12), fill=YELLOW)
            parents.append(index)
        else:
            draw.polygon(
                [
                    (x + 4, y - 14),
                    (x + 18, y - 14),
                    (x + 26, y - 6),
                    (x + 26, y + 14),
                    (x + 4, y + 14),
                ],
                fill="white",
                outline=MUTED,
            )
        _label(draw, (x + 40, y), name, fonts[22], anchor="lm")
    draw.rounded_rectangle((470, 60, 770, 200), 8, outline=LINE, width=2)
    _label(draw, (490, 90), "Path:", fonts[18], MUTED, anchor="lm")
    _label(draw, (490, 125), "Documents > School", fonts[18], anchor="lm")
    _label(draw, (490, 155), "  > Science", fonts[18], anchor="lm")
    _label(draw, (620, 250), "Folder", fonts[18], anchor="lm")
    draw.rectangle((580, 236, 594, 240), fill=YELLOW)
    draw.rectangle((580, 240, 610, 262), fill=YELLOW)
    _label(draw, (620, 300), "File", fonts[18], anchor="lm")
    draw.rectangle((584, 286, 606, 314), fill="white", outline=MUTED)


def _draw_keyboard_home_row(draw, fonts):
    _label(draw, (400, 26), "The home row", fonts[26])
    rows = [("QWERTYUIOP", 0), ("ASDFGHJKL;", 22), ("ZXCVBNM,./", 50)]
    key, gap, left, top = 58, 8, 60, 60
    for r, (letters, offset) in enumerate(rows):
        for c, letter in enumerate(letters):
            x, y = left + offset + c * (key + gap), top + r * (key + gap)
            fill = "#f5f7fa"
            if r == 1 and c < 4:
                fill = BLUE
            elif r == 1 and c >= 6:
                fill = GREEN
            draw.rounded_rectangle((x, y, x + key, y + key), 6, fill=fill, outline=LINE, width=2)
            _label(draw, (x + key / 2, y + key / 2 - 4), letter, fonts[22])
            if r == 1 and letter in "FJ":
                draw.line((x + 20, y + key - 10, x + key - 20, y + key - 10), fill=INK, width=3)
    y = top + 3 * (key + gap)
    draw.rounded_rectangle((left + 180, y, left + 480, y + 40), 6, fill="#f5f7fa", outline=LINE)
    _label(draw, (left + 330, y + 20), "space bar: thumbs", fonts[16], MUTED)
    draw.rectangle((60, 300, 78, 316), fill=BLUE)
    _label(draw, (86, 308), "left hand", fonts[16], anchor="lm")
    draw.rectangle((200, 300, 218, 316), fill=GREEN)
    _label(draw, (226, 308), "right hand", fonts[16], anchor="lm")
    _label(draw, (360, 308), "bumps on F and J", fonts[16], MUTED, anchor="lm")


def _draw_spreadsheet_grid(draw, fonts):
    draw.rectangle((40, 30, 140, 64), outline=ACCENT, width=2)
    _label(draw, (90, 47), "B3", fonts[22])
    _label(draw, (90, 82), "Name Box", fonts[14], MUTED)
    draw.rectangle((160, 30, 760, 64), outline=LINE, width=2)
    _label(draw, (176, 47), "fx   40", fonts[22], anchor="lm")
    _label(draw, (460, 82), "formula bar", fonts[14], MUTED)
    cells = [
        ["Item", "Price (Rs)", "Quantity", ""],
        ["Notebook", "150", "4", ""],
        ["Pen", "40", "3", ""],
        ["Pencil", "20", "5", ""],
        ["Eraser", "15", "2", ""],
        ["Ruler", "50", "1", ""],
    ]
    left, top, head, width, height = 40, 100, 50, 175, 48
    for c, letter in enumerate("ABCD"):
        x = left + head + c * width
        fill = BLUE if letter == "B" else "#eef2f7"
        draw.rectangle((x, top, x + width, top + 30), fill=fill, outline=LINE)
        _label(draw, (x + width / 2, top + 15), letter, fonts[18])
    for r, row in enumerate(cells):
        y = top + 30 + r * height
        fill = BLUE if r == 2 else "#eef2f7"
        draw.rectangle((left, y, left + head, y + height), fill=fill, outline=LINE)
        _label(draw, (left + head / 2, y + height / 2), str(r + 1), fonts[18])
        for c, text in enumerate(row):
            x = left + head + c * width
            draw.rectangle((x, y, x + width, y + height), outline=LINE)
            if text.isdigit():
                _label(draw, (x + width - 12, y + height / 2), text, fonts[18], anchor="rm")
            else:
                _label(draw, (x + 12, y + height / 2), text, fonts[18], anchor="lm")
    x, y = left + head + width, top + 30 + 2 * height
    draw.rectangle((x, y, x + width, y + height), outline="#137333", width=4)


def _draw_web_page_parts(draw, fonts):
    # Browser window with the page it builds
    draw.rounded_rectangle((30, 60, 330, 390), 8, outline=MUTED, width=2)
    draw.rectangle((32, 62, 328, 96), fill="#eef2f7")
    draw.rounded_rectangle((44, 70, 316, 90), 6, fill="white", outline=LINE)
    _label(draw, (54, 80), "https://example.com/about.html", fonts[14], MUTED, anchor="lm")
    draw.rectangle((56, 116, 250, 136), fill=ACCENT)
    for y in (152, 170, 188):
        draw.rectangle((56, y, 300, y + 8), fill="#cbd2d9")
    draw.rectangle((56, 212, 190, 300), fill=YELLOW)
    for y in (316, 334):
        draw.rectangle((56, y, 300, y + 8), fill="#cbd2d9")
    _label(draw, (180, 36), "Browser", fonts[26])
    _label(draw, (180, 420), "3. The browser builds the page", fonts[16], MUTED)
    # Server
    for i in range(3):
        y = 120 + i * 70
        draw.rounded_rectangle((600, y, 760, y + 56), 6, fill="#52606d")
        draw.ellipse((720, y + 22, 732, y + 34), fill="#a7f3d0")
    _label(draw, (680, 90), "Server", fonts[26])
    # Request and response
    draw.line((350, 140, 580, 140), fill=ACCENT, width=3)
    draw.polygon([(580, 132), (596, 140), (580, 148)], fill=ACCENT)
    _label(draw, (465, 118), "1. Request: /about.html", fonts[16])
    draw.line((366, 330, 590, 330), fill="#137333", width=3)
    draw.polygon([(366, 322), (350, 330), (366, 338)], fill="#137333")
    _label(draw, (470, 352), "2. Response: the files", fonts[16])
    for i, (name, colour) in enumerate(
        [("about.html", "#fde2e2"), ("style.css", BLUE), ("photo.jpg", "#fff3c4")]
    ):
        y = 180 + i * 44
        draw.rectangle((400, y, 530, y + 34), fill=colour, outline=MUTED)
        _label(draw, (465, y + 17), name, fonts[16])


def _draw_design_principles(draw, fonts):
    def card(x, y, label):
        draw.rounded_rectangle((x, y, x + 160, y + 150), 6, outline=LINE, width=2)
        _label(draw, (x + 80, y + 166), label, fonts[14], MUTED)

    def bars(x, y, widths, fill="#cbd2d9", height=10, gap=18, offsets=None):
        for i, w in enumerate(widths):
            dx = offsets[i] if offsets else 0
            draw.rectangle((x + dx, y + i * gap, x + dx + w, y + i * gap + height), fill=fill)

    panels = [
        ("Contrast", 20, 20),
        ("Alignment", 410, 20),
        ("Repetition", 20, 260),
        ("Proximity", 410, 260),
    ]
    for title, px, py in panels:
        _label(draw, (px + 185, py + 14), title, fonts[22])
        card(px + 10, py + 34, "before")
        card(px + 200, py + 34, "after")
    # Contrast: a title barely different from the text vs. a big dark title
    bars(40, 74, [110], fill="#aab4c0", height=12)
    bars(40, 96, [130, 120, 130, 90])
    bars(230, 70, [130], fill=INK, height=26)
    bars(230, 112, [130, 120, 130], height=8, gap=16)
    # Alignment: ragged vs. on one edge
    bars(430, 74, [100, 120, 80, 110, 90], offsets=[20, 0, 40, 10, 30], height=10, gap=22)
    draw.line((620, 66, 620, 178), fill="#d64545", width=1)
    bars(621, 74, [100, 120, 80, 110, 90], height=10, gap=22)
    # Repetition: headings in mixed colours, sizes and places vs. one repeated style
    for i, (colour, dx, height) in enumerate(
        [("#d64545", 0, 14), ("#137333", 24, 6), (ACCENT, 8, 10)]
    ):
        draw.rectangle((40 + dx, 312 + i * 42, 110 + dx, 312 + i * 42 + height), fill=colour)
        bars(40, 330 + i * 42, [120], height=6)
    for i in range(3):
        draw.ellipse((230, 311 + i * 42, 244, 325 + i * 42), fill=ACCENT)
        draw.rectangle((252, 312 + i * 42, 330, 324 + i * 42), fill=ACCENT)
        bars(252, 330 + i * 42, [100], height=6)
    # Proximity: evenly spread vs. two clear groups
    bars(430, 308, [120, 100, 110, 120, 90, 100], height=8, gap=22)
    bars(620, 312, [120, 100, 110], height=8, gap=14)
    bars(620, 384, [120, 90, 100], height=8, gap=14)


def _draw_colour_wheel(draw, fonts):
    colours = [
        "#e52421",
        "#f15a22",
        "#f7941d",
        "#fdb913",
        "#fff200",
        "#8dc63f",
        "#00a651",
        "#00a99d",
        "#0072bc",
        "#2e3192",
        "#662d91",
        "#b51f6f",
    ]
    names = {0: "red", 2: "orange", 4: "yellow", 6: "green", 8: "blue", 10: "violet"}
    cx, cy, radius = 240, 235, 165
    for i, colour in enumerate(colours):
        start = -90 - 15 + i * 30
        draw.pieslice(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            start,
            start + 30,
            fill=colour,
            outline="white",
            width=2,
        )
        if i in names:
            angle = math.radians(start + 15)
            x, y = cx + (radius + 26) * math.cos(angle), cy + (radius + 22) * math.sin(angle)
            _label(draw, (x, y), names[i], fonts[16])
    draw.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), fill="white")

    def point(i, r=radius - 50):
        angle = math.radians(-90 + i * 30)
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    draw.line((*point(8), *point(2)), fill=INK, width=3)
    _label(draw, (470, 90), "Complementary: opposite", fonts[22], anchor="lm")
    for i, index in enumerate((8, 2)):
        draw.rectangle((470 + i * 60, 118, 520 + i * 60, 168), fill=colours[index])
    _label(draw, (470, 200), "blue + orange: strong contrast", fonts[16], MUTED, anchor="lm")
    _label(draw, (470, 270), "Analogous: side by side", fonts[22], anchor="lm")
    for i, index in enumerate((4, 3, 2)):
        draw.rectangle((470 + i * 60, 298, 520 + i * 60, 348), fill=colours[index])
    _label(draw, (470, 380), "yellow to orange: calm", fonts[16], MUTED, anchor="lm")


_DRAWINGS = {
    "computer-parts": _draw_computer_parts,
    "folder-tree": _draw_folder_tree,
    "keyboard-home-row": _draw_keyboard_home_row,
    "spreadsheet-grid": _draw_spreadsheet_grid,
    "web-page-parts": _draw_web_page_parts,
    "design-principles": _draw_design_principles,
    "colour-wheel": _draw_colour_wheel,
}
