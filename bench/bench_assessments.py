"""Quiz autosave and submit for whole labs at once, under gunicorn on PostgreSQL and Redis.

What it does: builds a throwaway Hunar (lms.settings.production, a fresh PostgreSQL database
BENCH_ASSESS_DATABASE_URL, default ``hunar_bench_assess`` on 127.0.0.1, dropped and created
again; Redis for the cache and the cached_db sessions), migrates and collects static files.
A setup step then prepares, through the services, a course with a 10-question quiz (4 fixed
questions, 6 drawn at random from two categories; every objective type; two pages of five) and
14 labs (centers) of 40 learners: each learner is enrolled in their lab's cohort
(``enrollment_create``), signed in (a session, as Django's test client makes one) and has a
quiz attempt started (``attempt_start``). Then, against ``gunicorn lms.wsgi`` (the repository's
gunicorn.conf.py, two sync workers), with a small asyncio HTTP client in this process:

1. static floor: a static CSS file from the same server, 16 connections, BENCH_SECONDS;
2. autosave at capacity: the 560 learners' autosaves (``POST .../autosave/``, the five answers
   of page 1 and the sequence of their last save, as the page's script sends them), 16 in
   flight at a time, round robin, BENCH_SECONDS: requests/s, p50/p95 next to the floor;
3. autosave at lab pace: every learner autosaves once per BENCH_AUTOSAVE_EVERY seconds
   (default 30, the script's interval), at random phases, for one interval: p50/p95 at the load
   14 full labs really make (560 / 30 s = 19 requests/s);
4. submit: lab after lab, the 40 learners of a lab press Submit at the same moment (``POST
   .../<attempt>/`` with ``action=submit``, page 2's answers and the sequence): each request's
   latency, and how long the lab waits until its last learner has an answer.

Afterwards it checks in the database that every attempt was submitted and graded exactly once
and that no autosave answered 409 (each learner sends the sequence of their last save, so one
would mean an answer was refused).

How to read it: requests/s drift with everything else on the two cores (and this loader shares
them with gunicorn): compare the ratios to the static floor measured in the same run. The
CPU time per request of gunicorn and of the PostgreSQL backends serving its connections is
printed too; it hardly depends on other load.

Targets: autosave p95 at lab pace <= 500 ms; the slowest learner of a 40-learner lab has their
submit answered within 10 s; no errors. Exit 1 when one is missed; figures go to
bench/results/assessments.json.
"""

import asyncio
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import _server

RESULTS = _server.ROOT / "bench" / "results" / "assessments.json"
DATABASE_URL = os.environ.get(
    "BENCH_ASSESS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hunar_bench_assess"
)
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
AUTOSAVE_EVERY = float(os.environ.get("BENCH_AUTOSAVE_EVERY", "30"))
LABS, PER_LAB, CONNECTIONS = 14, 40, 16
TARGET_AUTOSAVE_P95_MS, TARGET_LAB_SUBMIT_S = 500, 10.0
# How long to wait for other processes to leave the CPU before each measurement.
QUIET_PATIENCE = float(os.environ.get("BENCH_QUIET_PATIENCE", "30"))
OTHER_LOAD_WARNING = 0.10
CSRF = "benchCsrfSecretOf32CharactersXyz"  # the cookie's secret; the header repeats it

# --- Setup (runs in a Django process; prints one JSON line) ------------------------------------

SETUP = """
from decimal import Decimal
from django.test import Client
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.rich_text import RichText
from assessments.models import (AssessmentDraw, AssessmentPage, AssessmentQuestion, Choice,
                                Question, QuestionBank)
from assessments.services import attempt_start
from content.models import HomePage
from courses.models import CoursePage, LessonPage, TrackPage
from courses.services import enrollment_create
from lms.models import Center, Cohort, LearnerProfile, User
from lms.roles import LEARNER

labs, per_lab = int(sys.argv[1]), int(sys.argv[2])

def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page

home = HomePage.objects.get(depth=2, locale__language_code="en")
track = publish(home, TrackPage(title="Bench track", slug="bench-track", audience="students",
                                summary="Bench"))
course = publish(track, CoursePage(title="Bench course", slug="bench-course", hours=10,
                                   summary="Bench"))
publish(course, LessonPage(title="Lesson", slug="lesson",
                           body=[("paragraph", RichText("<p>Bench lesson.</p>"))]))
bank = QuestionBank.objects.create(course=course, title="Bench bank")

def question(category, kind, text, choices=(), **fields):
    q = Question(bank=bank, category=category, kind=kind, prompt=f"<p>{text}</p>", **fields)
    q.choices = [Choice(text=t, is_correct=c) for t, c in choices]
    q.save()
    return q

four = [("Right", True), ("Wrong one", False), ("Wrong two", False), ("Wrong three", False)]
fixed = [
    question("", "single", "Which part holds your work in progress?", four),
    question("", "multiple", "Which are input devices?", [("Keyboard", True), ("Mouse", True),
             ("Monitor", False), ("Printer", False)], points=Decimal(2)),
    question("", "short_text", "Which shortcut saves?", accepted_answers="Ctrl+S\\nCtrl + S"),
    question("", "numeric", "450 words at 30 words a minute: minutes?",
             numeric_answer=Decimal(15), numeric_tolerance=Decimal("0.5")),
]
for n in range(6):
    question("a", "single", f"Single {n}", four)
    question("b", "true_false", f"True or false {n}", [("True", n % 2 == 0), ("False", n % 2 == 1)])
quiz = AssessmentPage(title="Bench quiz", slug="quiz", pass_mark_percent=60,
                      questions_per_page=5, shuffle_choices=True)
quiz.fixed_questions = [AssessmentQuestion(question=q) for q in fixed]
quiz.draws = [AssessmentDraw(bank=bank, category=c, count=3) for c in "ab"]
publish(course, quiz)

learner_group = Group.objects.get_or_create(name=LEARNER)[0]
learners = []
for lab in range(labs):
    center = Center.objects.create(name=f"Bench lab {lab + 1}", code=f"BL{lab + 1:02d}",
                                   kind="school_lab", district="Gilgit", school_name="Bench")
    cohort = Cohort.objects.create(center=center, name=f"Bench lab {lab + 1}", curriculum=course,
                                   shift="school_hours", start_date=timezone.now().date())
    users = User.objects.bulk_create(
        User(username=f"bench.{lab + 1:02d}.{n + 1:02d}", password="!") for n in range(per_lab))
    LearnerProfile.objects.bulk_create(
        LearnerProfile(user=u, learner_type="student", home_center=center, full_name=u.username)
        for u in users)
    learner_group.user_set.add(*users)
    for user in users:
        enrollment_create(learner=user, course=course, cohort=cohort)
        attempt = attempt_start(learner=user, assessment=quiz)
        client = Client()
        client.force_login(user)
        learners.append({
            "lab": lab, "session": client.cookies["sessionid"].value, "attempt": attempt.pk,
            "questions": [[q["kind"], [c["id"] for c in q["choices"]]] for q in attempt.questions],
        })
print(json.dumps({"learners": learners}))
"""

CHECK = """
from django.db.models import Count
from assessments.models import Attempt, Response
print(json.dumps({
    "attempts": dict(Attempt.objects.values_list("status").annotate(n=Count("pk"))),
    "sequences": sorted(set(Attempt.objects.values_list("sequence", flat=True))),
    "responses": Response.objects.count(),
}))
"""


# --- A tiny HTTP client (gunicorn's sync workers close every connection) -----------------------


async def http(port: int, method: str, path: str, headers: dict, body: bytes = b""):
    """(status, body, seconds) of one request on a new connection."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    if body:
        head.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - started
    status = int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0
    return status, raw.partition(b"\r\n\r\n")[2], elapsed


class Learner:
    """One signed-in learner with an attempt: the requests their browser would send."""

    def __init__(self, data: dict, rng: random.Random):
        self.lab, self.attempt = data["lab"], data["attempt"]
        self.questions, self.sequence, self.saves, self.rng = data["questions"], 0, 0, rng
        self.headers = {
            "Cookie": f"sessionid={data['session']}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
        }

    def answers(self, positions) -> list[tuple[str, str]]:
        """Answers that change from one save to the next, so every save writes."""
        fields = [("positions", ",".join(map(str, positions)))]
        for position in positions:
            kind, choices = self.questions[position]
            name = f"q-{position}"
            if kind == "multiple":
                fields += [(name, str(c)) for c in self.rng.sample(choices, 2)]
            elif choices:
                fields.append((name, str(self.rng.choice(choices))))
            else:
                fields.append((name, str(self.rng.randint(1, 30))))
        return [*fields, ("sequence", str(self.sequence))]

    async def autosave(self, port: int) -> tuple[int, float]:
        body = urlencode(self.answers(range(5))).encode()
        path = f"/learning/attempts/{self.attempt}/autosave/"
        status, answer, seconds = await http(port, "POST", path, self.headers, body)
        if status in (200, 409):
            self.sequence = json.loads(answer)["sequence"]
        self.saves += 1
        return status, seconds

    async def submit(self, port: int) -> tuple[int, float]:
        fields = [*self.answers(range(5, len(self.questions))), ("action", "submit")]
        path = f"/learning/attempts/{self.attempt}/"
        status, _, seconds = await http(
            port, "POST", path, self.headers, urlencode(fields).encode()
        )
        return status, seconds


# --- Measurements -------------------------------------------------------------------------------


def summary(samples: list[tuple[int, float]], wall: float, ok=(200,)) -> dict:
    times = sorted(seconds * 1000 for _, seconds in samples)
    statuses: dict[str, int] = {}
    for status, _ in samples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "requests": len(samples),
        "requests_per_s": round(len(samples) / wall, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "statuses": statuses,
        "errors": sum(n for s, n in statuses.items() if int(s) not in ok),
    }


async def closed_loop(make_request, seconds: float, connections: int):
    """``connections`` requests in flight, each followed at once by the next, for ``seconds``."""
    samples, deadline = [], time.monotonic() + seconds

    async def lane(index):
        count = 0
        while time.monotonic() < deadline:
            samples.append(await make_request(index, count))
            count += 1

    started = time.monotonic()
    await asyncio.gather(*(lane(i) for i in range(connections)))
    return samples, time.monotonic() - started


async def static_floor(port: int, path: str) -> tuple[list, float]:
    return await closed_loop(lambda i, n: _get(port, path), SECONDS, CONNECTIONS)


async def _get(port, path):
    status, _, seconds = await http(port, "GET", path, {"Accept-Encoding": "gzip"})
    return status, seconds


async def autosave_capacity(port: int, learners: list[Learner]) -> tuple[list, float]:
    # Lane i serves learners i, i+16, i+32, ...: one request per learner in flight at a time.
    lanes = [learners[i::CONNECTIONS] for i in range(CONNECTIONS)]
    return await closed_loop(
        lambda i, n: lanes[i][n % len(lanes[i])].autosave(port), SECONDS, CONNECTIONS
    )


async def autosave_paced(port: int, learners: list[Learner], rng: random.Random):
    """Every learner saves once, at a random moment of one autosave interval."""

    async def one(learner):
        await asyncio.sleep(rng.uniform(0, AUTOSAVE_EVERY))
        return await learner.autosave(port)

    started = time.monotonic()
    samples = await asyncio.gather(*(one(learner) for learner in learners))
    return list(samples), time.monotonic() - started


async def submit_labs(port: int, learners: list[Learner]) -> tuple[list, list[float]]:
    samples, lab_seconds = [], []
    for lab in range(LABS):
        members = [learner for learner in learners if learner.lab == lab]
        started = time.monotonic()
        results = await asyncio.gather(*(learner.submit(port) for learner in members))
        lab_seconds.append(time.monotonic() - started)
        samples += results
        await asyncio.sleep(0.5)
    return samples, lab_seconds


def with_cpu(server, func, *args):
    """Run a measurement (after waiting for a quiet machine); returns what it returned and the
    server's and this loader's CPU time per request, and the share of the machine's CPU other
    processes took meanwhile (as ``_server.wrk_with_cpu`` does)."""
    _server.wait_for_quiet(patience=QUIET_PATIENCE)
    database = database_cpu()
    own, busy = resource.getrusage(resource.RUSAGE_SELF), _server.busy_cpu_seconds()
    served, started = server.cpu_seconds(), time.monotonic()
    samples, extra = asyncio.run(func(*args))
    served = server.cpu_seconds() - served
    after = resource.getrusage(resource.RUSAGE_SELF)
    loader = after.ru_utime + after.ru_stime - own.ru_utime - own.ru_stime
    busy = _server.busy_cpu_seconds() - busy
    database = sum(cpu - database.get(pid, 0.0) for pid, cpu in database_cpu().items())
    other = busy - served - loader - database
    capacity = (time.monotonic() - started) * (os.cpu_count() or 1)
    count = max(len(samples), 1)
    cpu = {
        "server_cpu_ms_per_request": round(served * 1000 / count, 2),
        "database_cpu_ms_per_request": round(database * 1000 / count, 2),
        "loader_cpu_ms_per_request": round(loader * 1000 / count, 2),
        "other_processes_cpu_share": round(max(other, 0.0) / capacity, 3),
    }
    return samples, extra, cpu


def database_cpu() -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend connected to the bench's database (the
    gunicorn workers' persistent connections): the database's share of a request's cost."""
    name = DATABASE_URL.rsplit("/", 1)[1]
    # The name is the bench's own (fresh_database checked it); psql takes no parameters here.
    sql = f"SELECT pid FROM pg_stat_activity WHERE datname = '{name}'"  # noqa: S608
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    out = subprocess.run(["psql", admin, "-At", "-c", sql], capture_output=True, text=True)
    pids = [int(line) for line in out.stdout.split() if line.isdigit()]
    return {pid: _server._proc_cpu_seconds(pid) for pid in pids}


# --- Main ---------------------------------------------------------------------------------------


def fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    if "bench" not in name:  # it is dropped: never someone's real database
        raise SystemExit(f"{name!r}: the bench's database name must contain 'bench'.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-q", "-c", sql], check=True, capture_output=True)


def step(label: str, func, *args):
    started = time.monotonic()
    print(f"  {label} …", end="", flush=True)
    result = func(*args)
    print(f" {time.monotonic() - started:.1f} s", flush=True)
    return result


def measure(env: dict, tmp: Path, learners: list[Learner], rng: random.Random) -> dict:
    manifest = json.loads((tmp / "static" / "staticfiles.json").read_text())
    static_path = "/static/" + manifest["paths"]["css/hunar.css"]
    figures = {}
    with _server.Gunicorn(env, tmp / "gunicorn.log") as server:
        server.wait_healthy()
        port = server.port
        status, _, _ = asyncio.run(http(port, "GET", f"/learning/attempts/{learners[0].attempt}/",
                                        learners[0].headers))  # fmt: skip
        if status != 200:
            raise SystemExit(f"The first learner's attempt page answered {status}: not signed in?")
        asyncio.run(closed_loop(lambda i, n: _get(port, static_path), 1, 4))  # warm both workers
        print(f"  static floor, {CONNECTIONS} connections, {SECONDS} s …", flush=True)
        samples, wall, cpu = with_cpu(server, static_floor, port, static_path)
        figures["static"] = {**summary(samples, wall), **cpu}
        print(f"  autosave at capacity, {len(learners)} learners, {SECONDS} s …", flush=True)
        samples, wall, cpu = with_cpu(server, autosave_capacity, port, learners)
        figures["autosave_capacity"] = {**summary(samples, wall), **cpu}
        print(f"  autosave at lab pace, one save each in {AUTOSAVE_EVERY:.0f} s …", flush=True)
        samples, wall, cpu = with_cpu(server, autosave_paced, port, learners, rng)
        figures["autosave_paced"] = {**summary(samples, wall), **cpu}
        print(f"  submit, {LABS} labs one after the other, {PER_LAB} at once …", flush=True)
        samples, lab_seconds, cpu = with_cpu(server, submit_labs, port, learners)
        figures["submit"] = {
            **summary(samples, sum(lab_seconds), ok=(302,)),
            **cpu,
            "first_lab": summary(samples[:PER_LAB], lab_seconds[0], ok=(302,)),
            "lab_seconds_median": round(statistics.median(lab_seconds), 2),
            "lab_seconds_max": round(max(lab_seconds), 2),
        }
        figures["memory"] = server.memory_mib()
    return figures


def report(figures: dict, check: dict) -> dict:
    static = figures["static"]
    print(f"  {'':<26}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'x floor p50':>12}{'req/s vs floor':>16}{'CPU ms/req':>11}"
          f"{'DB CPU ms':>10}")  # fmt: skip
    other = 0.0
    rows = [
        ("static file (floor)", static),
        ("autosave at capacity", figures["autosave_capacity"]),
        ("autosave at lab pace", figures["autosave_paced"]),
        ("submit, 40 at once ×14", figures["submit"]),
        ("submit, first lab", figures["submit"]["first_lab"]),
    ]
    for label, r in rows:
        ratio = r["p50_ms"] / static["p50_ms"]
        share = r["requests_per_s"] / static["requests_per_s"]
        cpu = r.get("server_cpu_ms_per_request", figures["submit"]["server_cpu_ms_per_request"])
        db = r.get("database_cpu_ms_per_request", figures["submit"]["database_cpu_ms_per_request"])
        other = max(other, r.get("other_processes_cpu_share", 0))
        print(f"  {label:<26}{r['requests_per_s']:>8.1f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
              f"{r['max_ms']:>9.1f}{ratio:>12.1f}{share:>16.1%}{cpu:>11.2f}"
              f"{db:>10.2f}")  # fmt: skip
    submit = figures["submit"]
    print(f"  a lab of {PER_LAB} waits {submit['lab_seconds_median']:.2f} s (median over {LABS}"
          f" labs, slowest {submit['lab_seconds_max']:.2f} s) for its last submit")  # fmt: skip
    paced = figures["autosave_paced"]
    print(f"  lab pace: {paced['requests']} saves spread over {AUTOSAVE_EVERY:.0f} s ="
          f" {paced['requests'] / AUTOSAVE_EVERY:.1f} requests/s offered")  # fmt: skip
    print(f"  loader CPU per autosave {figures['autosave_capacity']['loader_cpu_ms_per_request']}"
          " ms (this process shares the cores with gunicorn)")  # fmt: skip
    if other > OTHER_LOAD_WARNING:
        print(f"  WARNING: other processes took up to {other:.0%} of the CPU during a"
              " measurement: requests/s and latencies are inflated; trust CPU ms/request,"
              " or run again.")  # fmt: skip
    print(f"  database afterwards: attempts {check['attempts']}, responses {check['responses']}")
    errors = sum(figures[k]["errors"] for k in ("autosave_capacity", "autosave_paced", "submit"))
    targets = {
        "autosave_p95_at_lab_pace_ms": (paced["p95_ms"], "<=", TARGET_AUTOSAVE_P95_MS),
        "slowest_lab_submit_s": (submit["lab_seconds_max"], "<=", TARGET_LAB_SUBMIT_S),
        "errors": (errors, "<=", 0),
        "every_attempt_graded_once": (
            check["attempts"] == {"graded": LABS * PER_LAB}, "<=", True),
    }  # fmt: skip
    result = {
        name: {"value": v, "limit": lim, "met": v <= lim} for name, (v, _, lim) in targets.items()
    }
    for name, target in result.items():
        print(f"  {name:<30}{target['value']!s:>10}  limit {target['limit']!s:<8}"
              f"{'ok' if target['met'] else 'MISSED'}")  # fmt: skip
    return result


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not _server.redis_answers():
        print("Redis does not answer on 127.0.0.1:6379: this bench needs it (cache, sessions).")
        return 2
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory(prefix="hunar-bench-assess-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
        env, notes = _server.bench_environment(tmp)
        print("\n".join(f"  {note}" for note in notes), flush=True)
        step("fresh database", fresh_database, DATABASE_URL)
        step("migrate", _server.manage, env, "migrate", "--noinput")
        step("collectstatic", _server.manage, env, "collectstatic", "--noinput")
        data = step(
            f"{LABS} labs × {PER_LAB} learners enrolled, signed in, attempts started",
            lambda: _server.django_json(env, SETUP, str(LABS), str(PER_LAB)),
        )
        learners = [Learner(item, random.Random(rng.random())) for item in data["learners"]]
        figures = measure(env, tmp, learners, rng)
        check = _server.django_json(env, CHECK)
    figures["statuses_after"] = check
    targets = report(figures, check)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": notes, "seconds": SECONDS, "connections": CONNECTIONS,
        "labs": LABS, "per_lab": PER_LAB, **figures, "targets": targets,
    }, indent=2) + "\n")  # fmt: skip
    return 0 if all(t["met"] for t in targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
