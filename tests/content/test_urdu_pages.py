"""Every learner-facing page, rendered in Urdu, reads as Urdu and lays out right to left.

A course (track > course > lessons > quiz) is built in English and translated to Urdu (titles
in Urdu, bodies copied: content the authors have not translated yet stays English, and is not
what this test judges). Each Urdu page must:

- open with ``<html lang="ur" dir="rtl">``;
- show no common English UI word in its template chrome: the visible text, leaving out content
  (lesson bodies, question prompts and choices, names and codes, all isolated in ``<bdi>``,
  ``dir="auto"``/``dir="ltr"`` or ``lang="en"`` elements, and code);
- isolate what it interpolates: no Latin phrase or "#<number>" sitting bare inside an Urdu
  text run.

Our stylesheets use logical properties only, so that the Urdu pages mirror.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Locale, Site

from assessments.services import attempt_start, attempt_submit
from courses.models import LessonPage
from tests.assessments.conftest import (  # noqa: F401 (fixtures)
    cohort_learner,
    make_quiz,
    question_bank,
)
from tests.certificates.conftest import completed_enrollment, signing_key  # noqa: F401
from tests.curriculum import publish

# Words of the interface (not of course content) that must not appear on an Urdu page.
UI_WORDS = [
    "Sign in", "Sign out", "Search", "Username", "Password", "Submit", "Save", "Next",
    "Previous", "Continue", "Attempt", "Question", "points", "Result", "Certificate", "Course",
    "Lesson", "Enrol", "Enroll", "Verify", "True", "False", "Home", "Skip to content",
    "Language", "My learning", "Download", "Upload", "passed", "Score", "Back", "minutes",
    "hours", "Start", "Your answer", "Forgot", "Change", "Mark as complete", "Progress",
    "Completed", "required", "This field",
]  # fmt: skip
UI_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for w in UI_WORDS) + r")\b", re.I)
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
BARE_LATIN_PHRASE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")
BARE_HASH_NUMBER = re.compile(r"#\s*\d")
SKIPPED_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "bdi", "title", "textarea"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}  # fmt: skip
CONTENT_CLASSES = {"prompt", "choice-text", "block-code", "code", "summary"}
STYLESHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)(?:-\w+)?|left|right)\s*:"
    r"|(?:float|clear|text-align)\s*:\s*(?:left|right)\b",
    re.I,
)


class ChromeText(HTMLParser):
    """The visible text of a page that its templates wrote, content and isolated parts left
    out; ``runs`` keeps each text node on its own."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # True for each open element whose text is skipped
        self.runs = []

    def _skipped(self, tag, attrs) -> bool:
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        return (
            tag in SKIPPED_TAGS
            or attrs.get("dir") in ("auto", "ltr")
            or (attrs.get("lang") not in (None, "ur"))
            or bool(classes & CONTENT_CLASSES)
            or any(c.startswith("block-") for c in classes)
            or "hidden" in attrs
        )

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        self.stack.append(
            (tag, (bool(self.stack) and self.stack[-1][1]) or self._skipped(tag, attrs))
        )

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _skip = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            return
        if data.strip():
            self.runs.append(" ".join(data.split()))


def chrome_runs(html: str) -> list[str]:
    body = html.split("<body", 1)[1]
    parser = ChromeText()
    parser.feed("<body" + body)
    return parser.runs


def problems(html: str, content: set[str]) -> list[str]:
    found = []
    head = re.search(r"<html\b[^>]*>", html)[0]
    if 'lang="ur"' not in head or 'dir="rtl"' not in head:
        found.append(f"not an Urdu right-to-left page: {head}")
    for run in chrome_runs(html):
        text = run
        mixed_in = []
        for piece in sorted(content, key=len, reverse=True):
            pattern = re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)")
            if pattern.search(text):
                text = pattern.sub(" ", text)
                mixed_in.append(piece)
        word = UI_WORD.search(text)
        if word:
            found.append(f"English UI word {word[0]!r} in {run!r}")
        # Content in the other script that shares its text with template words (a title and
        # its number, a name in a sentence) must be isolated; alone in its element it is fine.
        # (A one-word Latin term, such as "PDF", reads right on its own.)
        phrases = [p for p in mixed_in if BARE_LATIN_PHRASE.search(p)]
        if text.strip(" :·,.()") and phrases:
            found.append(f"not isolated: content {phrases[0]!r} inside {run!r}")
        bare = BARE_HASH_NUMBER.search(text)
        if bare:
            found.append(f"not isolated: {bare[0]!r} in {run!r}")
        if ARABIC.search(text):
            bare = BARE_LATIN_PHRASE.search(text)
            if bare:
                found.append(f"not isolated: {bare[0]!r} in the Urdu text {run!r}")
    return found


# --- The course, in English and Urdu ------------------------------------------------------------

URDU_TITLES = {"track": "ڈیجیٹل خواندگی", "course": "کمپیوٹر کی بنیادی باتیں", "quiz": "کوئز"}


def translate(page, title, ur_locale):
    ur_page = page.copy_for_translation(ur_locale, copy_parents=True)
    ur_page.title = title
    ur_page.save()
    return publish(ur_page)


@pytest.fixture
def course_in_two_languages(home, make_quiz, cohort_learner):  # noqa: F811
    Site.clear_site_root_paths_cache()
    ur_locale, _created = Locale.objects.get_or_create(language_code="ur")
    ur_home = publish(home.copy_for_translation(ur_locale))
    quiz = make_quiz(title="Computer basics quiz")
    course = quiz.get_parent().specific
    track = course.get_parent().specific
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    ur = {
        "home": ur_home,
        "track": translate(track, URDU_TITLES["track"], ur_locale),
        "course": translate(course, URDU_TITLES["course"], ur_locale),
    }
    ur["lesson"] = translate(lessons[0], "سبق ۱", ur_locale)
    ur["quiz"] = translate(quiz, URDU_TITLES["quiz"], ur_locale)
    user, _enrollment = cohort_learner
    yield {"ur": ur, "quiz": quiz, "course": course, "lessons": lessons, "user": user}
    Site.clear_site_root_paths_cache()


def content_strings(data) -> set[str]:
    """Texts that are course content or names, not interface: judged elsewhere."""
    from assessments.models import Choice, Question

    strings = {data["course"].title, data["quiz"].title, data["user"].get_username()}
    strings |= {lesson.title for lesson in data["lessons"]}
    strings |= set(data["course"].outcomes.splitlines()) | {data["course"].summary}
    strings |= {re.sub(r"<[^>]+>", "", q.prompt) for q in Question.objects.all()}
    strings |= {c.text for c in Choice.objects.exclude(text__in=["True", "False"])}
    return {s for s in strings if s}


def get_urdu(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_urdu(client, url, data):
    found = problems(get_urdu(client, url), content_strings(data))
    assert not found, f"{url}:\n" + "\n".join(found)


# --- The checker itself -------------------------------------------------------------------------


def test_the_checker_finds_each_fault():
    page = (
        '<html lang="en" dir="ltr"><body><h1>سبق</h1><button>Submit</button>'
        "<p>کوئز Computer basics quiz #1: پاس</p>"
        "<p>سبق <bdi>Computer basics</bdi></p></body></html>"
    )
    found = problems(page, set())
    assert any("right-to-left" in f for f in found)
    assert any("'Submit'" in f for f in found)
    assert any("not isolated: 'Computer basics" in f for f in found)
    assert any("not isolated: '#1'" in f for f in found)
    assert len(found) == 4, found
    title_and_number = (
        '<html lang="ur" dir="rtl"><body><li>Quiz one #2: <a>پاس</a></li></body></html>'
    )
    found = problems(title_and_number, {"Quiz one"})
    assert any("content 'Quiz one'" in f for f in found) and any("'#2'" in f for f in found)
    assert (
        problems('<html lang="ur" dir="rtl"><body><li>Quiz one</li></body></html>', {"Quiz one"})
        == []
    )
    assert (
        problems('<html lang="ur" dir="rtl"><body><p>سبق <bdi>#1</bdi></p></body></html>', set())
        == []
    )


def test_the_css_checker_finds_physical_properties():
    assert PHYSICAL.search(".a { margin-left: 1rem; }")
    assert PHYSICAL.search(".a { float: right }")
    assert PHYSICAL.search(".a { text-align: left; }")
    assert PHYSICAL.search(".a { left: 0 }")
    assert not PHYSICAL.search(
        ".a { margin-inline-start: 1rem; inset-inline-start: 0; text-align: start }"
    )


# --- The pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda p: p.name)
def test_our_stylesheets_use_logical_properties_only(stylesheet):
    css = re.sub(r"/\*.*?\*/", "", stylesheet.read_text(encoding="utf-8"), flags=re.S)
    assert not PHYSICAL.findall(css), PHYSICAL.findall(css)


@pytest.mark.parametrize(
    "url",
    [
        "/ur/verify/",
        "/ur/verify/offline/",
        "/ur/accounts/login/",
        "/ur/accounts/password/reset/",
        "/ur/search/?q=keyboard",
        "/ur/search/?q=xyzzy",
        "/ur/about/",
        "/ur/centers/",
    ],
)
def test_urdu_pages_for_everyone(client, course_in_two_languages, url):
    assert_urdu(client, url, course_in_two_languages)


@pytest.mark.parametrize("key", ["home", "track", "course", "lesson", "quiz"])
def test_urdu_course_pages(client, course_in_two_languages, key):
    data = course_in_two_languages
    assert_urdu(client, data["ur"][key].get_url(), data)
    client.force_login(data["user"])
    assert_urdu(client, data["ur"][key].get_url(), data)


def test_urdu_pages_of_a_signed_in_learner(client, course_in_two_languages):
    data = course_in_two_languages
    user = data["user"]
    client.force_login(user)
    attempt = attempt_start(learner=user, assessment=data["quiz"])
    for url in [
        "/ur/learning/",
        "/ur/accounts/password/change/",
        f"/ur/learning/attempts/{attempt.pk}/",
    ]:
        assert_urdu(client, url, data)
    attempt_submit(attempt=attempt)
    assert_urdu(client, f"/ur/learning/attempts/{attempt.pk}/result/", data)
    assert_urdu(client, "/ur/learning/", data)


def test_a_wrong_password_is_explained_in_urdu(client, course_in_two_languages):
    response = client.post("/ur/accounts/login/", {"username": "nobody", "password": "wrong-1"})
    found = problems(response.content.decode(), set())
    assert not found, found
    assert "صارف نام" in response.content.decode() and "پاس ورڈ" in response.content.decode()


def test_password_change_errors_are_in_urdu(client, course_in_two_languages):
    client.force_login(course_in_two_languages["user"])
    response = client.post(
        "/ur/accounts/password/change/",
        {"old_password": "not-it", "new_password1": "123", "new_password2": "1234"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    found = problems(html, set())
    assert not found, found
    assert "لفظ اجازت" not in html and "پاس ورڈ" in html


def test_urdu_certificate_verification_page(client, course_in_two_languages, completed_enrollment):  # noqa: F811
    from certificates.services import certificate_issue

    certificate = certificate_issue(enrollment=completed_enrollment(slug="cert-course"))
    html = get_urdu(client, f"/ur/verify/{certificate.code}/")
    found = problems(html, content_strings(course_in_two_languages) | {"Amina Khan"})
    assert not found, found


@pytest.mark.parametrize(
    ("url", "status"), [("/ur/followup/any/?done=1", 200), ("/ur/followup/not-a-token/", 404)]
)
def test_urdu_followup_pages(client, course_in_two_languages, url, status):
    response = client.get(url)
    assert response.status_code == status
    found = problems(response.content.decode(), set())
    assert not found, found
