"""Browser journeys: one Debian Chromium for the whole session, driven from its own thread.

Playwright's sync API runs an event loop in the thread that starts it, and Django's ORM refuses
to run in a thread with a running loop. So Chromium lives in a ``playwright`` thread and a test
hands it steps (``web.do(step)``, where ``step(page)`` touches only the page); the test's own
thread prepares data and checks the database between steps. The live server (pytest-django) is a
third thread of the same process, so it shares the test database, the locmem cache and the
in-memory file storage.
"""

import concurrent.futures
import os
import queue
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HUNAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
STEP_TIMEOUT = 120  # seconds one step may take before the test fails instead of hanging
PASSWORD = "pass-1234-word"  # tests.factories.UserFactory's password


class BrowserThread:
    """A launched Chromium and a queue of steps to run against it, in its own thread."""

    def __init__(self):
        self._calls: queue.Queue = queue.Queue()
        self._ready: concurrent.futures.Future = concurrent.futures.Future()
        self._thread: threading.Thread | None = None

    def _start(self):
        """Launch on first use: a session whose browser tests all skip never starts Chromium."""
        self._thread = threading.Thread(target=self._main, name="playwright", daemon=True)
        self._thread.start()
        self._ready.result(timeout=60)  # raises what the launch raised

    def _main(self):
        try:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except BaseException as error:  # noqa: BLE001 -- handed to the waiting test thread
            self._ready.set_exception(error)
            return
        self._ready.set_result(None)
        try:
            while (call := self._calls.get()) is not None:
                func, args, future = call
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(func(browser, *args))
                    except BaseException as error:  # noqa: BLE001
                        future.set_exception(error)
        finally:
            browser.close()
            playwright.stop()

    def run(self, func, *args):
        """``func(browser, *args)`` in the browser thread; its result or its exception."""
        if self._thread is None:
            self._start()
        if threading.current_thread() is self._thread:
            raise RuntimeError("a browser step cannot wait for another step: it would deadlock")
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._calls.put((func, args, future))
        return future.result(timeout=STEP_TIMEOUT)

    def close(self):
        if self._thread is not None:
            self._calls.put(None)
            self._thread.join(timeout=30)


class Web:
    """One browser context (its own cookies) on the live server, for one test."""

    def __init__(self, chromium: BrowserThread, base_url: str, **context_options):
        self.chromium = chromium
        self.base_url = base_url
        self.page = chromium.run(self._open, context_options)

    def _open(self, browser, options):
        context = browser.new_context(base_url=self.base_url, **options)
        context.set_default_timeout(15_000)
        return context.new_page()

    def do(self, step, *args):
        """Run ``step(page, *args)`` in the browser thread and return its result."""
        return self.chromium.run(lambda _browser: step(self.page, *args))

    def close(self):
        self.chromium.run(lambda _browser: self.page.context.close())


@pytest.fixture(scope="session")
def chromium():
    """The session's one Chromium; it starts when a test first uses it (after the autouse check
    of the test's service markers has skipped, or failed, a test whose services are missing)."""
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture
def web(chromium, live_server):
    """A fresh browser context on the live server; ``web.new()`` opens another (a second user)."""
    opened = []

    def new(**options):
        session = Web(chromium, live_server.url, **options)
        opened.append(session)
        return session

    first = new()
    first.new = new
    yield first
    for session in opened:
        session.close()


def sign_in(page, username: str, password: str = PASSWORD, next_url: str = "") -> None:
    """Sign in through the sign-in form, as a person would (in the browser thread)."""
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"sign-in as {username} failed at {page.url}"


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def signing_key(settings, tmp_path):
    """A certificate signing key for this test (the live server reads the same settings)."""
    from certificates import signing

    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    return signing.key_generate()


URDU_TITLE = "فائلیں اور فولڈر"
URDU_PARAGRAPH = (
    "<p>کمپیوٹر آپ کا کام فائلوں میں محفوظ رکھتا ہے۔ ہر فائل کا ایک نام ہوتا ہے اور وہ ایک "
    "فولڈر میں رہتی ہے۔ فولڈر کے اندر اور فولڈر بھی ہو سکتے ہیں۔</p>"
)


@pytest.fixture
def urdu_lesson(make_course):
    """An English course whose first lesson is translated into Urdu and published, with the
    Urdu home, track and course above it (as ``seed_demo`` translates Computer basics)."""
    from wagtail.models import Locale
    from wagtail.rich_text import RichText

    _track, course, lessons = make_course(lessons=2, blocks=5)
    urdu, _created = Locale.objects.get_or_create(language_code="ur")
    page = lessons[0].copy_for_translation(urdu, copy_parents=True)
    page.title, page.summary = URDU_TITLE, "فائل کو نام دینا اور اسے دوبارہ ڈھونڈنا۔"
    page.body = [
        ("heading", {"text": "اپنا کام محفوظ کریں", "level": "h2"}),
        ("paragraph", RichText(URDU_PARAGRAPH)),
        ("callout", {"kind": "tip", "text": RichText("<p>اکثر Ctrl+S دبائیں۔</p>")}),
    ]
    page.save_revision().publish()
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:  # the copied parents start as drafts
            ancestor.save_revision().publish()
    page.refresh_from_db()
    return course, lessons, page


BLOCKING = ("serious", "critical")  # axe impacts a page may not have


SETTLED = """() => Promise.race([
  Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null))),
  new Promise(resolve => setTimeout(resolve, 2000)),
])"""


def axe_blocking(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands (browser thread)."""
    from axe_playwright_python.sync_playwright import Axe

    # Colours are checked once they have settled: a message fading in (Wagtail's admin) would
    # be measured half-way. Endless animations (spinners) are not waited for, and no page waits
    # more than 2 s (a long finite animation in Wagtail's admin made every admin page wait ~25 s).
    page.evaluate(SETTLED)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(f"{n['target'][0]} {n.get('failureSummary', '')[:300]}" for n in v["nodes"][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


class Journey:
    """What a journey saw: each page's language and direction, and its axe violations, kept
    as the browser goes (``visit`` in the browser thread), checked once at the end."""

    def __init__(self, language: str):
        self.language = language
        self.pages: dict[str, tuple[str, str]] = {}
        self.violations: dict[str, list[str]] = {}

    def visit(self, page, name: str) -> None:
        self.pages[name] = (page.get_attribute("html", "lang"), page.get_attribute("html", "dir"))
        self.violations[name] = axe_blocking(page)

    def check(self) -> None:
        """Every page read in the journey's language and direction, and had no serious or
        critical axe violation (Wagtail's admin may say ``en-us`` for English)."""
        direction = "rtl" if self.language == "ur" else "ltr"
        wrong = {
            name: seen
            for name, seen in self.pages.items()
            if (seen[0] or "").split("-")[0] != self.language or seen[1] != direction
        }
        assert not wrong, f"not in {self.language}/{direction}: {wrong}"
        problems = {name: found for name, found in self.violations.items() if found}
        assert not problems, problems


def translate_to_urdu(*pages):
    """Urdu copies of ``pages`` (and of their parents), published, titled "<title> (اردو)"."""
    from wagtail.models import Locale

    urdu, _created = Locale.objects.get_or_create(language_code="ur")
    copies = []
    for page in pages:
        existing = page.get_translation_or_none(urdu)
        copy = existing or page.copy_for_translation(urdu, copy_parents=True)
        copy = copy.specific
        copy.title = f"{page.title} (اردو)"
        copy.save_revision().publish()
        for ancestor in copy.get_ancestors().filter(depth__gt=1).specific():
            if not ancestor.live:  # the copied parents start as drafts
                ancestor.save_revision().publish()
        copy.refresh_from_db()
        copies.append(copy)
    return copies
