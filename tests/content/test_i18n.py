"""English and Urdu pages: direction, the Urdu web font, translated UI strings, the switcher.

The pages are built here (no demo data): the English home page from the data migration, an Urdu
copy of it, and a track > course > two lessons, of which only the first is translated.
"""

import gettext
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from wagtail.models import Locale, Site
from wagtail.rich_text import RichText

from content.models import HomePage
from courses.models import CoursePage, LessonPage, TrackPage

FONT_FILE = "fonts/noto-nastaliq-urdu-arabic-400-normal.woff2"
FONT_BUDGET_BYTES = 160_000  # 160 KB: the centers' connections are slow
LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "ur" / "LC_MESSAGES"
TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def pages(db):
    # Site root paths are cached (and the test cache outlives each test's transaction).
    Site.clear_site_root_paths_cache()
    home = HomePage.objects.get(depth=2, slug="home")
    ur_locale, _ = Locale.objects.get_or_create(language_code="ur")
    ur_home = publish(home.copy_for_translation(ur_locale))

    track = home.add_child(
        instance=TrackPage(
            title="Digital literacy", audience="students", summary="Computers for school."
        )
    )
    course = track.add_child(
        instance=CoursePage(title="Computer basics", summary="Start here.", hours=10)
    )
    lesson = course.add_child(
        instance=LessonPage(
            title="The keyboard",
            body=[("paragraph", RichText("<p>Keys and fingers.</p>"))],
            estimated_minutes=10,
        )
    )
    untranslated = course.add_child(
        instance=LessonPage(
            title="The mouse",
            body=[("paragraph", RichText("<p>Click and drag.</p>"))],
            estimated_minutes=15,
        )
    )

    ur_lesson = lesson.copy_for_translation(ur_locale, copy_parents=True)
    # copy_parents makes the missing Urdu track and course as aliases of the English ones; an
    # alias follows its original (live already, no revisions), anything else needs publishing.
    for ancestor in ur_lesson.get_ancestors().filter(depth__gt=2).specific():
        if ancestor.alias_of_id is None:
            publish(ancestor)
        assert ancestor.live
    ur_lesson = publish(ur_lesson)
    yield {
        "home": home,
        "ur_home": ur_home,
        "lesson": lesson,
        "untranslated": untranslated,
        "ur_lesson": ur_lesson,
    }
    Site.clear_site_root_paths_cache()


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def switcher_links(html):
    """{hreflang: where the link leads} of the language switcher's links (each goes through
    /language/<code>/?next=<url>, which stores an explicit switch)."""
    nav = re.search(r'<nav class="lang-switch"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no language switcher on the page"
    links = {}
    for tag in re.findall(r"<a\b[^>]*>", nav[1]):
        lang, href = re.search(r'\bhreflang="([^"]+)"', tag), re.search(r'\bhref="([^"]*)"', tag)
        assert lang and href, tag
        url = urlsplit(unescape(href[1]))
        assert url.path == f"/language/{lang[1]}/", href[1]
        links[lang[1]] = parse_qs(url.query)["next"][0]
    return links


def stylesheets(html):
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def static_path(url):
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is not a static file"
    return Path(path)


# --- Urdu pages ---------------------------------------------------------------------------------


def test_urdu_lesson_is_rtl_and_links_urdu_css(client, pages):
    url = pages["ur_lesson"].get_url()
    assert url.startswith("/ur/")
    html = get_ok(client, url)
    assert '<html lang="ur" dir="rtl">' in html
    assert static("css/urdu.css") in stylesheets(html)


def test_urdu_css_declares_the_nastaliq_font():
    css = Path(finders.find("css/urdu.css")).read_text(encoding="utf-8")
    face = re.search(r"@font-face\s*{(.*?)}", css, re.S)
    assert face, "no @font-face in urdu.css"
    face = face[1]
    assert re.search(r"font-family:\s*\"Noto Nastaliq Urdu\"", face)
    assert re.search(r"font-display:\s*swap", face)
    assert 'url("../fonts/noto-nastaliq-urdu-arabic-400-normal.woff2") format("woff2")' in face
    # Arabic script only, so Latin text keeps the system font.
    assert re.search(r"unicode-range:[^;]*U\+0600-06FF", face)
    assert not re.search(r"unicode-range:[^;]*U\+00(00|20|41)", face)
    assert re.search(r'font-family:\s*"Noto Nastaliq Urdu"', css.split("}", 1)[1])
    # Logical properties only (the site mirrors by direction, not by overrides).
    code = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert not re.search(r"\b(left|right)\b", code)


def test_font_file_is_there_small_and_licensed():
    css_path = Path(finders.find("css/urdu.css"))
    font = (css_path.parent / "../fonts/noto-nastaliq-urdu-arabic-400-normal.woff2").resolve()
    assert font == Path(finders.find(FONT_FILE)).resolve()
    data = font.read_bytes()
    assert data[:4] == b"wOF2"
    assert len(data) <= FONT_BUDGET_BYTES, f"{len(data)} bytes"
    licence = (font.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert (font.parent / "README.md").is_file()


def test_urdu_lesson_ui_strings_are_urdu(client, pages):
    html = get_ok(client, pages["ur_lesson"].get_url())
    assert '<button type="submit">تلاش</button>' in html
    assert 'placeholder="تلاش"' in html
    assert "مواد پر جائیں" in html  # Skip to content
    assert ">سرورق</a>" in html  # the Home breadcrumb
    assert "تقریباً 10 منٹ" in html  # About 10 minutes
    assert "· ہنر</title>" in html
    for english in (">Search</button>", "Skip to content", ">Home</a>", "About 10 minutes"):
        assert english not in html


def test_urdu_search_page_is_urdu(client, pages):
    html = get_ok(client, "/ur/search/")
    assert '<html lang="ur" dir="rtl">' in html
    assert "<h1>تلاش</h1>" in html
    assert "تلاش کے خانے میں کسی سبق یا کورس کا کوئی لفظ لکھیں۔" in html


# --- English pages ------------------------------------------------------------------------------


def test_english_lesson_loads_no_web_font(client, pages):
    html = get_ok(client, pages["lesson"].get_url())
    assert '<html lang="en" dir="ltr">' in html
    assert "urdu.css" not in html
    assert ".woff" not in html
    assert '<button type="submit">Search</button>' in html
    for sheet in stylesheets(html):
        if sheet == "/programme.css":  # the programme's colours, from its settings
            css = client.get(sheet).content.decode()
        else:
            css = static_path(sheet).read_text(encoding="utf-8")
        assert "@font-face" not in css, sheet
        assert ".woff" not in css, sheet


# --- The language switcher ----------------------------------------------------------------------


def test_switcher_links_to_the_urdu_translation(client, pages):
    html = get_ok(client, pages["lesson"].get_url())
    assert switcher_links(html) == {"ur": pages["ur_lesson"].get_url()}


def test_switcher_falls_back_to_urdu_home(client, pages):
    assert pages["ur_home"].get_url() == "/ur/"
    html = get_ok(client, pages["untranslated"].get_url())
    assert switcher_links(html) == {"ur": "/ur/"}


def test_switcher_on_urdu_lesson_links_back_to_english(client, pages):
    html = get_ok(client, pages["ur_lesson"].get_url())
    assert switcher_links(html) == {"en": pages["lesson"].get_url()}


def test_switcher_from_a_lessons_shared_parts_follows_a_new_translation_at_once(client, pages):
    lesson = pages["untranslated"]
    first = get_ok(client, lesson.get_url())
    cached = client.get(lesson.get_url())
    assert "includes/site_header.html" not in {t.name for t in cached.templates}  # the cache's
    assert switcher_links(cached.content.decode()) == switcher_links(first) == {"ur": "/ur/"}
    translated = publish(lesson.copy_for_translation(Locale.objects.get(language_code="ur")))
    assert switcher_links(get_ok(client, lesson.get_url())) == {"ur": translated.get_url()}


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("/ur/verify/", {"en": "/verify/"}),
        ("/verify/", {"ur": "/ur/verify/"}),
        ("/ur/verify/?utm_source=qr", {"en": "/verify/?utm_source=qr"}),
        ("/ur/accounts/login/", {"en": "/accounts/login/"}),
        ("/ur/accounts/login/?next=/ur/learning/", {"en": "/accounts/login/?next=%2Flearning%2F"}),
        ("/accounts/password/reset/", {"ur": "/ur/accounts/password/reset/"}),
        ("/ur/search/?q=keyboard", {"en": "/search/?q=keyboard"}),
    ],
)
def test_switcher_on_a_view_that_is_not_a_page_leads_to_the_same_view(client, pages, url, other):
    response = client.get(url)
    assert response.status_code == 200, url
    assert switcher_links(response.content.decode()) == other


def test_switcher_on_the_learning_dashboard_stays_on_the_dashboard(client, pages, learner_user):
    client.force_login(learner_user)
    assert switcher_links(get_ok(client, "/ur/learning/")) == {"en": "/learning/"}
    assert switcher_links(get_ok(client, "/learning/")) == {"ur": "/ur/learning/"}


# --- The learner's language ---------------------------------------------------------------------


@pytest.fixture
def learner_user(db):
    from lms import roles
    from tests.factories import CenterFactory, LearnerProfileFactory, UserFactory

    user = UserFactory(username="amina", role=roles.LEARNER)
    user.set_password("pass-1234-word")
    user.save()
    LearnerProfileFactory(user=user, home_center=CenterFactory(), preferred_language="ur")
    return user


def preferred(user):
    user.learner_profile.refresh_from_db()
    return user.learner_profile.preferred_language


def test_sign_in_lands_on_the_dashboard_in_the_preferred_language(client, learner_user):
    response = client.post("/accounts/login/", {"username": "amina", "password": "pass-1234-word"})
    assert response.status_code == 302
    assert response["Location"] == "/ur/learning/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ur"


def test_sign_in_keeps_next_but_in_the_preferred_language(client, learner_user):
    response = client.post(
        "/accounts/login/",
        {"username": "amina", "password": "pass-1234-word", "next": "/verify/offline/"},
    )
    assert response["Location"] == "/ur/verify/offline/"


def test_sign_in_never_follows_a_foreign_next(client, learner_user):
    response = client.post(
        "/ur/accounts/login/",
        {"username": "amina", "password": "pass-1234-word", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/ur/learning/"


def test_switching_language_stores_the_preference(client, learner_user):
    client.force_login(learner_user)
    response = client.get("/language/en/", {"next": "/learning/"})
    assert response.status_code == 302 and response["Location"] == "/learning/"
    assert preferred(learner_user) == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_link_on_another_site_cannot_change_the_preference(client, learner_user):
    client.force_login(learner_user)
    response = client.get(
        "/language/en/", {"next": "/learning/"}, headers={"sec-fetch-site": "cross-site"}
    )
    assert response["Location"] == "/learning/"
    assert preferred(learner_user) == "ur"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "learning/"])
def test_switching_language_never_redirects_off_site(client, learner_user, target):
    response = client.get("/language/ur/", {"next": target})
    assert response["Location"] == "/ur/"


def test_switching_to_an_unknown_language_is_a_404(client, learner_user):
    client.force_login(learner_user)
    assert client.get("/language/fr/", {"next": "/"}).status_code == 404
    assert preferred(learner_user) == "ur"


# --- The catalogue ------------------------------------------------------------------------------


def parse_po(path):
    """Entries of a .po file: references, flags, msgid, msgid_plural and msgstr(s)."""

    def unquote(s):
        return (
            s.strip()[1:-1]
            .replace(r"\"", '"')
            .replace(r"\n", "\n")
            .replace(r"\t", "\t")
            .replace("\\\\", "\\")
        )

    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"refs": [], "flags": set(), "msgid": None, "msgid_plural": None, "msgstr": {}}
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#~"):  # obsolete
                entry["msgid"], key = None, None
                break
            if line.startswith("#:"):
                entry["refs"] += line[2:].split()
            elif line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                target, index = key
                if index is None:
                    entry[target] += unquote(line)
                else:
                    entry[target][index] += unquote(line)
            else:
                word, _, rest = line.partition(" ")
                m = re.fullmatch(r"msgstr\[(\d+)\]", word)
                if m:
                    key = ("msgstr", int(m[1]))
                    entry["msgstr"][key[1]] = unquote(rest)
                elif word == "msgstr":
                    key = ("msgstr", 0)
                    entry["msgstr"][0] = unquote(rest)
                else:
                    key = (word, None)
                    entry[word] = unquote(rest)
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries():
    return parse_po(LOCALE_DIR / "django.po")


def test_po_header_has_urdu_plural_forms(po_entries):
    header = next(e for e in po_entries if e["msgid"] == "")
    assert "Language: ur\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert "fuzzy" not in header["flags"]


def test_template_strings_are_all_translated(po_entries):
    from_templates = [
        e for e in po_entries if any(ref.startswith("templates/") for ref in e["refs"])
    ]
    assert len(from_templates) >= 25
    for entry in from_templates:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        expected = 2 if entry["msgid_plural"] else 1
        assert len(entry["msgstr"]) == expected, entry["msgid"]
        assert all(s.strip() for s in entry["msgstr"].values()), entry["msgid"]


def test_no_fuzzy_entries_at_all(po_entries):
    assert [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]] == []


def test_every_literal_translate_tag_is_in_the_catalogue(po_entries):
    """A string added to a template without re-running makemessages shows up here."""
    translated = {e["msgid"] for e in po_entries if e["msgid"] and all(e["msgstr"].values())}
    pattern = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1""")
    missing = []
    for template in sorted(TEMPLATES_DIR.rglob("*.html")):
        for m in pattern.finditer(template.read_text(encoding="utf-8")):
            if m[2] not in translated:
                missing.append(f"{template.relative_to(TEMPLATES_DIR)}: {m[2]!r}")
    assert missing == []


def test_mo_file_matches_the_po_file(po_entries):
    """The shipped django.mo is compiled from the current django.po (run compilemessages)."""
    with open(LOCALE_DIR / "django.mo", "rb") as fp:
        catalog = gettext.GNUTranslations(fp)
    checked = 0
    for entry in po_entries:
        strings = entry["msgstr"].values()
        if not entry["msgid"] or "fuzzy" in entry["flags"] or not all(strings):
            continue  # the header, or not translated (gettext falls back to the msgid)
        context = entry.get("msgctxt")
        if entry["msgid_plural"]:
            for n, form in ((1, 0), (2, 1)):
                args = (entry["msgid"], entry["msgid_plural"], n)
                got = catalog.npgettext(context, *args) if context else catalog.ngettext(*args)
                assert got == entry["msgstr"][form], entry["msgid"]
        else:
            msgid = entry["msgid"]
            got = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
            assert got == entry["msgstr"][0], msgid
        checked += 1
    assert checked >= 25


def test_learner_language_set_refuses_an_unknown_language_and_saves_nothing(learner_user):
    from lms import languages

    with pytest.raises(ValueError):
        languages.learner_language_set(user=learner_user, language="fr")
    assert preferred(learner_user) == "ur"
    assert languages.learner_language_set(user=learner_user, language="en") is True
    assert languages.learner_language_set(user=learner_user, language="en") is False
    assert preferred(learner_user) == "en"
