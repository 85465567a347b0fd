"""Lesson page for a signed-in learner under gunicorn, next to a static file from the same server.

What it does: builds a throwaway Hunar in a temp directory with lms.settings.production (its own
SQLite database, swapped in after production's PostgreSQL check, or BENCH_DATABASE_URL as is;
Redis cache when Redis answers), migrates, collects static files, runs seed_demo, and publishes
its own track > course > 12 lessons, the middle lesson with a realistic ~25-block body. It signs
a learner in (a session in the database) and enrols them in the course, starts gunicorn as
production does (`gunicorn lms.wsgi`, so with the repository's gunicorn.conf.py; 2 sync workers:
best on two cores), checks the lesson answers 200 with its title for that session, then drives
both URLs with wrk (2 threads, 16 connections, BENCH_SECONDS each, default 10), the lesson with
the cookies the learner's browser would send (session and CSRF). The SQLite database keeps
production's persistent connections, and BENCH_PROPOSED=1 adds settings changes proposed but not
yet made (bench/_server.py says which); the first lines of the output say what was measured.

How to read it: absolute requests/s drift between runs because wrk and gunicorn share the cores;
judge the lesson/static ratio measured in the same run (a comparable Wagtail LMS manages 4.8 %).
Each wrk run waits until other processes leave the CPU alone, and reports the share they took
anyway plus the server's CPU time per request; the static/lesson ratio of CPU per request hardly
moves with other load, so trust it when a WARNING says requests/s were disturbed.
Transfer size is what a first visit downloads with gzip: the HTML plus every stylesheet and script
it links (gzip level 6 is applied here when the server sent it uncompressed); images and video are
not counted. The SQL count is the second of two GETs in one process (warm caches).

Memory is taken after the load, over the gunicorn master and its workers. The target holds PSS
(proportional set size): each page counted once, split between the processes sharing it, so the
sum is the memory the server really occupies. RSS is printed too, but it counts a page shared by
the three processes three times: with the application loaded once in the master and forked
(gunicorn.conf.py), RSS triples the shared ~120 MiB of Django and Wagtail while using less
memory than separate workers. A worker replaced during the run (max_requests) is reported, since
a fresh worker holds less memory than one that served the load.

Targets: transfer <= 30 KB, SQL <= 12, lesson/static >= 10 %, PSS <= 200 MiB. Exit 1 if one is
missed, 2 if wrk is missing and cannot be installed. Figures go to bench/results/lesson_page.json.
"""

import gzip
import json
import os
import random
import re
import secrets
import shutil
import signal
import string
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import _server

RESULTS = _server.ROOT / "bench" / "results" / "lesson_page.json"
LESSON_URL = "/bench-track/bench-course/bench-lesson/"
LESSON_TITLE = "Boxes, margins and a centred layout"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
BUDGET_KB, BUDGET_QUERIES, TARGET_RATIO, BUDGET_MEMORY_MIB = 30, 12, 0.10, 200
OTHER_LOAD_WARNING = 0.10  # share of the machine's CPU other processes may take during a run

# --- The bench lesson -------------------------------------------------------------------------

VOCABULARY = (
    "page element style colour margin padding border layout browser editor file folder save open "
    "heading paragraph list link image text width height selector class rule property value "
    "screen learner lab computer keyboard click type line box column row centre space inside "
    "the a of to and in with your on for is it this that each every when you can will then"
)
WORDS = VOCABULARY.split()
HTML_CODE = """<main class="card">
  <h1>My first web page</h1>
  <p>I made this page in the Hunar lab.</p>
  <ul>
    <li><a href="about.html">About me</a></li>
    <li><a href="projects.html">My projects</a></li>
  </ul>
</main>"""
CSS_CODE = """.card {
  max-width: 40rem;
  margin: 2rem auto;
  padding: 1rem 1.5rem;
  border: 2px solid #2a6f97;
  border-radius: 0.5rem;
}
.card h1 { font-size: 1.75rem; color: #2a6f97; }"""
# 25 blocks: headings, ~80-word paragraphs, code, callouts and a four-step exercise.
BODY_LAYOUT = "h2 p p html p tip h2 p css p p warning h3 p css p h2 exercise note h2 p p html p p"


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 16))).capitalize() + "."


def rich_paragraph(rng: random.Random, words: int = 80) -> str:
    parts: list[str] = []
    while sum(len(part.split()) for part in parts) < words - 12:
        parts.append(sentence(rng))
    parts[0] = f"<b>{parts[0]}</b>"
    parts[-1] = f'<a href="https://developer.mozilla.org/en-US/docs/Learn/CSS">{parts[-1]}</a>'
    return "<p>" + " ".join(parts) + " Try <code>margin: 0 auto;</code> on the box.</p>"


def block(kind: str, rng: random.Random) -> dict:
    if kind in ("h2", "h3"):
        value = {"text": sentence(rng)[:60].rstrip("."), "level": kind}
        return {"type": "heading", "value": value}
    if kind == "p":
        return {"type": "paragraph", "value": rich_paragraph(rng)}
    if kind in ("html", "css"):
        code = HTML_CODE if kind == "html" else CSS_CODE
        return {"type": "code", "value": {"language": kind, "code": code}}
    if kind == "exercise":
        steps = [
            {"type": "item", "value": rich_paragraph(rng, 25), "id": str(uuid.uuid4())}
            for _ in range(4)
        ]
        value = {"title": "Centre your card", "goal": "A page with a centred card", "steps": steps}
        return {"type": "exercise", "value": value}
    return {"type": "callout", "value": {"kind": kind, "text": rich_paragraph(rng, 30)}}


def lessons_spec() -> list[dict]:
    """Twelve lessons; the middle one ("bench-lesson") carries the realistic body."""
    rng = random.Random(2026)
    lessons = []
    for number in range(1, 13):
        kinds = BODY_LAYOUT.split() if number == 6 else ["h2", "p"]
        lessons.append(
            {
                "title": LESSON_TITLE if number == 6 else f"Lesson {number}: {sentence(rng)[:40]}",
                "slug": "bench-lesson" if number == 6 else f"lesson-{number}",
                "summary": sentence(rng),
                "estimated_minutes": 30,
                "body": [{**block(kind, rng), "id": str(uuid.uuid4())} for kind in kinds],
            }
        )
    return lessons


SETUP = """
from django.contrib.auth.models import Group
from django.test import Client
from content.models import HomePage
from courses.models import CoursePage, LessonPage, TrackPage
from lms.models import Center, LearnerProfile, User
from lms.roles import LEARNER

def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page

home = HomePage.objects.get(depth=2, locale__language_code="en")
for old in TrackPage.objects.filter(slug="bench-track"):  # a reused BENCH_DATABASE_URL
    old.delete()
track = publish(home, TrackPage(title="Bench track", slug="bench-track", audience="students",
                                summary="Web pages for school IT labs."))
course = publish(track, CoursePage(title="Bench course", slug="bench-course", hours=10,
                                   summary="Build and style a first web page."))
for lesson in json.load(sys.stdin):
    publish(course, LessonPage(**lesson))
center, _ = Center.objects.get_or_create(code="BENCH", defaults={
    "name": "Bench School IT Center", "kind": "school_lab", "district": "Gilgit",
    "school_name": "Bench High School"})
user, _ = User.objects.get_or_create(username="bench.learner")
user.set_unusable_password()
user.save()
user.groups.add(Group.objects.get_or_create(name=LEARNER)[0])
LearnerProfile.objects.update_or_create(user=user, defaults={
    "learner_type": "student", "home_center": center, "full_name": "Bench Learner"})
try:  # a learner reads lessons of a course they are enrolled in
    from courses.services import enrollment_create
except ImportError:  # enrolment not there yet: the learner reads as a visitor who signed in
    enrollment_create = None
if enrollment_create is not None:
    enrollment_create(learner=user, course=course)
client = Client()
client.force_login(user)
print(json.dumps({"sessionid": client.cookies["sessionid"].value,
                  "enrolled": enrollment_create is not None}))
"""

QUERIES = """
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lms.models import User

url, sessionid = sys.argv[1:3]
learner = User.objects.get(username="bench.learner")
signed_in = SessionStore(session_key=sessionid).get("_auth_user_id") == str(learner.pk)
client = Client(HTTP_HOST="127.0.0.1")
client.cookies["sessionid"] = sessionid  # the very session wrk sends
first = client.get(url)
with CaptureQueriesContext(connection) as captured:
    second = client.get(url)
print(json.dumps({"signed_in": signed_in, "status": [first.status_code, second.status_code],
                  "sql": [query["sql"] for query in captured.captured_queries]}))
"""

# --- Steps ------------------------------------------------------------------------------------


def step(label: str, func, *args):
    started = time.monotonic()
    print(f"  {label} …", end="", flush=True)
    result = func(*args)
    print(f" {time.monotonic() - started:.1f} s", flush=True)
    return result


def prepare(env: dict[str, str]) -> dict:
    """Migrate, collect static files, seed, publish the bench lesson; sign the learner in."""
    spec = json.dumps(lessons_spec())
    step("migrate", _server.manage, env, "migrate", "--noinput")
    step("collectstatic", _server.manage, env, "collectstatic", "--noinput")
    step("seed_demo", _server.seed_demo, env)
    created = step("bench lesson + learner", lambda: _server.django_json(env, SETUP, stdin=spec))
    return created


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def check_lesson(base: str, headers: dict[str, str]) -> dict:
    """Fetch the lesson once: 200, its title, the session honoured; sizes of what it links."""
    status, response, body = _server.fetch(base + LESSON_URL, headers)
    if status != 200:
        raise SystemExit(f"{LESSON_URL} answered {status} {response.get('Location', '')}")
    raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    html = raw.decode()
    if f"<h1>{LESSON_TITLE}</h1>" not in html:
        raise SystemExit(f"{LESSON_URL} answered 200 without the lesson's title")
    if any(c.startswith('sessionid="";') for c in response.get_all("Set-Cookie") or []):
        raise SystemExit("The server dropped the learner's session: not signed in")
    parser = _Assets()
    parser.feed(html)
    files = {"HTML": _server.gzipped_size(response, body)}
    for href in parser.urls:
        asset_status, asset_headers, asset_body = _server.fetch(urljoin(base, href), headers)
        if asset_status != 200:
            raise SystemExit(f"{href}, linked from the lesson, answered {asset_status}")
        files[href] = _server.gzipped_size(asset_headers, asset_body)
    return {
        "html_bytes": len(raw),
        "server_gzips_html": response.get("Content-Encoding") == "gzip",
        "reads_session": "Cookie" in (response.get("Vary") or ""),
        "files_gzip_bytes": files,
        "total_kb": round(sum(files.values()) / 1024, 1),
    }


def static_css_url(tmp: Path) -> str:
    manifest = json.loads((tmp / "static" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/hunar.css"]


def measure(env: dict[str, str], tmp: Path, sessionid: str) -> dict:
    # What a signed-in learner's browser sends: the session, and the CSRF cookie Django set when
    # they signed in (without it Django would mint a new CSRF secret and cookie on every page).
    csrftoken = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    cookies = f"sessionid={sessionid}; csrftoken={csrftoken}"
    headers = {"Cookie": cookies, "Accept-Encoding": "gzip"}
    with _server.Gunicorn(env, tmp / "gunicorn.log") as server:
        server.wait_healthy()
        page = check_lesson(server.url, headers)
        static, lesson = server.url + static_css_url(tmp), server.url + LESSON_URL
        _server.wrk(lesson, 2, headers)  # warm both workers up
        workers = server.workers()
        print(f"  wrk {SECONDS} s × 2 …", flush=True)
        results = {
            "static": _server.wrk_with_cpu(server, static, SECONDS, {"Accept-Encoding": "gzip"}),
            "lesson": _server.wrk_with_cpu(server, lesson, SECONDS, headers),
        }
        cpu = [results[name]["server_cpu_ms_per_request"] for name in ("static", "lesson")]
        memory = server.memory_mib()
        memory["workers_replaced"] = len(workers - server.workers())
        return {
            "page": page,
            **results,
            "cpu_per_request_ratio": round(cpu[0] / cpu[1], 4),
            "memory": memory,
        }


# --- Report -----------------------------------------------------------------------------------


def evaluate(figures: dict, sql: list[str]) -> dict[str, dict]:
    """Each target: its value, the comparison, the limit and whether it was met."""
    lesson, static, page = figures["lesson"], figures["static"], figures["page"]
    complete = all(
        r["non_2xx_3xx"] == 0 and not r["socket_errors"].get("timeout") for r in (lesson, static)
    )
    # A 3xx counts as success for wrk: every lesson response must also be page-sized.
    complete = complete and lesson["bytes_per_response"] >= page["files_gzip_bytes"]["HTML"]
    ratio = lesson["requests_per_s"] / static["requests_per_s"]
    targets = {
        "transfer_kb": (page["total_kb"], "<=", BUDGET_KB),
        "sql_queries": (len(sql), "<=", BUDGET_QUERIES),
        "lesson_static_ratio": (round(ratio, 4), ">=", TARGET_RATIO),
        "memory_pss_mib": (round(figures["memory"]["pss_mib"], 1), "<=", BUDGET_MEMORY_MIB),
        "every_response_200": (complete, "==", True),
    }
    compare = {"<=": lambda v, lim: v <= lim, ">=": lambda v, lim: v >= lim}
    compare["=="] = lambda v, lim: v == lim
    return {
        name: {"value": v, "op": op, "limit": lim, "met": compare[op](v, lim)}
        for name, (v, op, lim) in targets.items()
    }


def print_report(figures: dict, targets: dict[str, dict], sql: list[str]) -> None:
    t, page, memory = targets, figures["page"], figures["memory"]
    rows = [
        ("transfer, gzip (HTML+CSS+JS)", f"{page['total_kb']:.1f} KB", f"<= {BUDGET_KB} KB"),
        ("SQL queries, signed-in learner", str(len(sql)), f"<= {BUDGET_QUERIES}"),
        ("lesson / static requests/s", f"{t['lesson_static_ratio']['value']:.1%}", ">= 10%"),
        (
            "memory (PSS), master+workers",
            f"{memory['pss_mib']:.0f} MiB",
            f"<= {BUDGET_MEMORY_MIB} MiB",
        ),
        ("every response 200, full page", "yes" if t["every_response_200"]["value"] else "NO", ""),
    ]
    for (label, value, target), result in zip(rows, t.values(), strict=True):
        print(f"  {label:<32}{value:>10}   {target:<12}{'ok' if result['met'] else 'MISSED'}")
    runs = ("lesson", "static")
    for name in runs:
        r = figures[name]
        print(
            f"  {name:<7}{r['requests_per_s']:>8.1f} req/s  p50 {r['p50_ms']:.1f} ms"
            f"  p90 {r['p90_ms']:.1f} ms  p99 {r['p99_ms']:.1f} ms"
            f"  {r['bytes_per_response']} B/response  socket errors {r['socket_errors'] or 0}"
        )
        print(
            f"  {'':<7}server CPU {r['server_cpu_ms_per_request']:.2f} ms/request;"
            f" other processes took {r['other_processes_cpu_share']:.0%} of the CPU meanwhile"
        )
    print(
        f"  static/lesson server CPU per request: {figures['cpu_per_request_ratio']:.1%}"
        " (hardly depends on other load)"
    )
    if max(figures[name]["other_processes_cpu_share"] for name in runs) > OTHER_LOAD_WARNING:
        print("  WARNING: other processes used the CPU during the load: requests/s and the ratio")
        print("  are unreliable; trust the CPU-per-request figures or run the bench again.")
    gzipped = "gzipped by the app" if page["server_gzips_html"] else "NOT gzipped by the app"
    session = "reads" if page["reads_session"] else "never reads"
    print(
        f"  HTML {page['html_bytes'] / 1024:.1f} KB raw, {gzipped}; the page {session} the session"
    )
    print(
        f"  memory after the load, {memory['processes']} gunicorn processes:"
        f" PSS {memory['pss_mib']:.0f} MiB (the target; a shared page counts once),"
        f"\n  {'':<6}RSS {memory['rss_mib']:.0f} MiB (a page shared after fork counts in every"
        " process)"
    )
    if memory["workers_replaced"]:
        print(
            f"  {memory['workers_replaced']} worker(s) were replaced during the load"
            " (max_requests): memory is partly that of a fresh worker"
        )
    if len(sql) > BUDGET_QUERIES:
        print("  Queries of the second GET (select lists elided):")
        for number, query in enumerate(sql, 1):
            print(f"    {number:>2}. {re.sub(r'^SELECT .*? FROM', 'SELECT … FROM', query)[:200]}")


def write_json(notes: list[str], figures: dict, targets: dict, sql: list[str]) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    document = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": notes,
        "wrk": {"seconds": SECONDS, "threads": 2, "connections": 16},
        **figures,
        "sql": sql,
        "targets": targets,
        "passed": all(target["met"] for target in targets.values()),
    }
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")


def main() -> int:
    if not _server.wrk_ensure():
        return 2
    # A plain kill must still stop gunicorn and delete the temp directory (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="hunar-bench-"))
    try:
        env, notes = _server.bench_environment(tmp)
        print("\n".join(["Lesson page bench", *(f"  {note}" for note in notes)]), flush=True)
        learner = prepare(env)
        sessionid = learner["sessionid"]
        notes.append(f"learner: signed in, {'' if learner['enrolled'] else 'NOT '}enrolled")
        print(f"  {notes[-1]}")
        queries = step("SQL count", _server.django_json, env, QUERIES, LESSON_URL, sessionid)
        if not queries["signed_in"] or queries["status"] != [200, 200]:
            raise SystemExit(f"Session not the learner's, or GETs answered {queries['status']}")
        figures = measure(env, tmp, sessionid)
        targets = evaluate(figures, queries["sql"])
        print_report(figures, targets, queries["sql"])
        if any(note.startswith("PROPOSED") for note in notes):
            print(
                "  NOTE: measured WITH settings changes not yet in lms/settings (BENCH_PROPOSED=1)"
            )
        write_json(notes, figures, targets, queries["sql"])
        print(f"  figures: {RESULTS.relative_to(_server.ROOT)}")
        return 0 if all(target["met"] for target in targets.values()) else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
