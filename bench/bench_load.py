"""A lab network's learners under Locust: 560 learners (14 school labs x 40) reading lessons on
gunicorn + PostgreSQL + Redis, with the bell-start spike (every learner arrives within 10 s).

What it does: builds a throwaway Hunar with lms.settings.production (bench/_server.py) on a
PostgreSQL database of its own (created and dropped here, or BENCH_DATABASE_URL as is) and a
Redis cache, migrates, collects static files and runs seed_demo (the demo network). It adds 40
learners to each of the 14 school labs, each in a cohort of the lab on the demo "Computer basics"
course (one in four reads it in Urdu), and signs each one in ahead of the bell (a session in the
database, as a lab computer signed in at the start of the period). It times a few real sign-ins
one after another, since a sign-in costs a password hash. Then it starts gunicorn as production
does (`gunicorn lms.wsgi`, the repository's gunicorn.conf.py: two sync workers) and runs
`locust -f bench/locustfile.py` headless: every learner spawns within BENCH_SPIKE_SECONDS
(default 10), opens "My learning", the stylesheet and the lesson to continue, then reads lessons
with a think time of BENCH_THINK seconds (default 10-30) and marks half of them complete, for
BENCH_LOAD_SECONDS (default 90) after the spawn. A few users fetch a static file once a second
all along: the floor.

How to read it: per endpoint and phase ("spike": the spawn plus the longest think time, so
every learner's first page after the bell too; "steady": the rest) it prints requests,
requests/s, p50/p95/p99 in ms and 5xx, and a timeline of p95 in 5 s buckets; then each
endpoint's latency over the static floor's in the same phase (ratios move less than absolute
numbers when the machine is shared: Locust itself runs on the same two cores), the server's CPU
per request and the CPU share gunicorn, Locust and other processes took during the run. It
compares every figure with bench/baseline.json and says which regressed (latency up by more
than 25 % and 10 ms, requests/s down by more than 20 %). BENCH_WRITE_BASELINE=1 writes the run
as the new baseline.

Targets: lesson page p95 <= 300 ms in the steady state at 560 learners; no 5xx and no failed
connection in the spike. Exit 1 if one is missed, 2 if PostgreSQL, Redis or Locust is missing.
Figures go to bench/results/load.json. BENCH_LOAD_USERS changes the learner count (for a short
try while developing: BENCH_LOAD_USERS=100 BENCH_LOAD_SECONDS=45 BENCH_THINK=5,10).
"""

import json
import os
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import _bell
import _server

HERE = Path(__file__).resolve().parent
RESULTS = _server.ROOT / "bench" / "results" / "load.json"
BASELINE = HERE / "baseline.json"
LOCUST = Path(sys.executable).with_name("locust")
USERS = int(os.environ.get("BENCH_LOAD_USERS", "560"))
SPIKE = int(os.environ.get("BENCH_SPIKE_SECONDS", "10"))
HOLD = int(os.environ.get("BENCH_LOAD_SECONDS", "90"))
THINK = os.environ.get("BENCH_THINK", "10,30")
# The spike lasts until every learner has also made its first request after the bell: the
# spawn, plus the longest think time (the second wave lands 10-30 s after the first).
SPIKE_WINDOW = SPIKE + float(THINK.split(",")[-1])
FLOOR_USERS = 4
SIGN_INS = 6
TARGET_LESSON_P95_MS = 300
LATENCY_TOLERANCE, LATENCY_SLACK_MS, RATE_TOLERANCE = 0.25, 10.0, 0.20
# The bell: sign-ins arrive within BENCH_BELL_SECONDS, each learner then opens "My learning" and
# a lesson. BENCH_BELL=0 skips it; BENCH_LOCUST=0 stops after it (the reading phase skipped).
BELL = os.environ.get("BENCH_BELL", "1") != "0"
LOCUST_PHASE = os.environ.get("BENCH_LOCUST", "1") != "0"
BELL_SECONDS = float(os.environ.get("BENCH_BELL_SECONDS", "60"))
BELL_READING_S = 75
BELL_WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "8"))
BELL_RESULTS = _server.ROOT / "bench" / "results" / "bell.json"
STATIC_PATH = "/static/css/hunar.css"
# Issue 14's "before", measured side by side on this machine: 110 req/s against the lesson's 449.
MY_LEARNING_BEFORE_RATIO = 110 / 449
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}

SETUP = """
import datetime
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.cached_db import SessionStore
from django.utils.crypto import get_random_string
from wagtail.models import Locale
from courses.models import CoursePage, LessonPage
from courses.services import enrollment_create
from demo.network import DEMO_PASSWORD, SCHOOL_LABS
from lms.models import Center, CohortMembership, LearnerProfile, Shift, User, Cohort
from lms.roles import LEARNER

per_lab, sign_ins = map(int, sys.argv[1:3])
course = CoursePage.objects.get(slug="computer-basics", locale__language_code="en")
lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
urdu = Locale.objects.get(language_code="ur")
from assessments.models import AssessmentPage
quiz = AssessmentPage.objects.live().child_of(course).filter(kind="quiz").first()
lessons_ur = [lesson.get_translation_or_none(urdu) for lesson in lessons]
lessons_ur = [lesson for lesson in lessons_ur if lesson is not None and lesson.live]
group = Group.objects.get(name=LEARNER)
backend = "django.contrib.auth.backends.ModelBackend"
users, number = [], 0
for _district, code, _school in SCHOOL_LABS:
    center = Center.objects.get(code=code)
    cohort, _ = Cohort.objects.get_or_create(
        center=center, name="Load class",
        defaults={"shift": Shift.SCHOOL_HOURS, "curriculum": course,
                  "start_date": datetime.date.today()})
    for index in range(per_lab):
        number += 1
        user = User.objects.create(username=f"load.{code.lower()}{index:02d}")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(group)
        LearnerProfile.objects.create(
            user=user, learner_type="student", home_center=center,
            full_name=f"Load Learner {number}", must_change_password=False)
        CohortMembership.objects.create(cohort=cohort, learner=user)
        enrollment_create(learner=user, course=course, cohort=cohort)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        urdu_reader = number % 4 == 0 and lessons_ur
        reading = lessons_ur if urdu_reader else lessons
        users.append({
            "sessionid": session.session_key,
            "csrftoken": get_random_string(32),
            "language": "ur" if urdu_reader else "en",
            "lessons": [lesson.url for lesson in reading],
            "lesson_ids": [lesson.pk for lesson in reading],
            "position": number % len(reading),
            "quiz_url": quiz.url if quiz else "",
            "quiz_id": quiz.pk if quiz else None,
        })
# Learners who sign in for real, with the demo password (the production password hasher).
for index in range(sign_ins):
    user = User.objects.create(username=f"signin.{index:02d}")
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    user.groups.add(group)
    LearnerProfile.objects.create(
        user=user, learner_type="student", home_center=center,
        full_name=f"Sign-in Learner {index}", must_change_password=False)
# The bell: learners who sign in for real (the production hasher: argon2id), one per load learner,
# in the same cohorts; and pairs with an old PBKDF2 hash and an argon2id one, to time both.
from django.contrib.auth.hashers import make_password
bell, pairs = [], []
for membership in list(CohortMembership.objects.filter(cohort__name="Load class")):
    cohort = membership.cohort
    user = User.objects.create(username="bell." + membership.learner.username[5:])
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    user.groups.add(group)
    LearnerProfile.objects.create(
        user=user, learner_type="student", home_center=cohort.center,
        full_name=f"Bell Learner {len(bell)}", must_change_password=False)
    CohortMembership.objects.create(cohort=cohort, learner=user)
    enrollment_create(learner=user, course=course, cohort=cohort)
    bell.append({"username": user.username, "lesson": lessons[len(bell) % len(lessons)].url})
for index in range(5):
    pair = []
    for hasher in ("pbkdf2_sha256", "argon2"):
        user = User.objects.create(username=f"pair.{hasher[:6]}{index}",
                                   password=make_password(DEMO_PASSWORD, hasher=hasher))
        user.groups.add(group)
        LearnerProfile.objects.create(
            user=user, learner_type="student", home_center=center,
            full_name=f"Pair Learner {index}", must_change_password=False)
        pair.append(user.username)
    pairs.append(pair)
print(json.dumps({"users": users, "bell": bell, "pairs": pairs, "lessons": len(lessons),
                  "lessons_ur": len(lessons_ur),
                  "hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]}))
"""


# --- PostgreSQL ---------------------------------------------------------------------------------


def pg_command(*args: str) -> subprocess.CompletedProcess:
    flags = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    return subprocess.run([args[0], *flags, *args[1:]], capture_output=True, text=True)


def database_create() -> str | None:
    """A throwaway database on the local PostgreSQL, or None when it does not answer."""
    if not shutil.which("createdb") or pg_command("pg_isready", "-q").returncode != 0:
        return None
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "hunar_bench_load")
    name = f"{prefix}_{secrets.token_hex(3)}"
    result = pg_command("createdb", name)
    if result.returncode != 0:
        print(f"  createdb failed: {result.stderr.strip()}")
        return None
    return name


def database_drop(name: str) -> None:
    pg_command("dropdb", "--if-exists", "--force", name)


# --- Steps --------------------------------------------------------------------------------------


def step(label: str, func, *args):
    started = time.monotonic()
    print(f"  {label} …", end="", flush=True)
    result = func(*args)
    print(f" {time.monotonic() - started:.1f} s", flush=True)
    return result


def prepare(env: dict[str, str]) -> dict:
    step("migrate", _server.manage, env, "migrate", "--noinput")
    step("collectstatic", _server.manage, env, "collectstatic", "--noinput")
    step("seed_demo (the demo network)", _server.seed_demo, env)
    per_lab = -(-USERS // 14)
    return step(
        f"{per_lab * 14} learners, enrolled and signed in",
        _server.django_json, env, SETUP, str(per_lab), str(SIGN_INS),
    )  # fmt: skip


def bell_phase(server, made: dict) -> dict:
    """Sign-in cost per hasher, capacity of "My learning", then the bell itself (_bell.py)."""
    base, first = server.url, made["users"][0]
    costs = _bell.sign_in_costs(server, base, made["pairs"], "hunar-demo-2026")
    cookies = {"sessionid": first["sessionid"], "csrftoken": first["csrftoken"]}
    lesson = first["lessons"][first["position"]]
    urls = {"my learning": base + "/learning/", "lesson page": base + lesson,
            "static": base + STATIC_PATH}  # fmt: skip
    capacity = _bell.capacity(server, urls, cookies, BELL_WRK_SECONDS)
    workers = server.workers()
    pss_before = server.memory_mib()["pss_mib"]
    cpu = server.cpu_seconds()
    records, done_at, started = _bell.run_bell(
        server, base, made["bell"][:USERS], "hunar-demo-2026", BELL_SECONDS, STATIC_PATH
    )
    cpu = server.cpu_seconds() - cpu
    memory = server.memory_mib()
    return {
        "sign_in_cpu_ms": costs,
        "capacity": capacity,
        "figures": _bell.summarise(records, started),
        "learners": len(made["bell"][:USERS]),
        "reading": len(done_at),
        "last_reading_s": round(max(done_at.values(), default=float("inf")), 1),
        "server_cpu_ms_per_request": round(cpu * 1000 / max(len(records), 1), 2),
        "pss_mib": round(memory["pss_mib"], 1),
        "pss_mib_before_bell": round(pss_before, 1),
        "workers_replaced": workers != server.workers(),
    }


def bell_targets(bell: dict) -> dict:
    figures, capacity = bell["figures"], bell["capacity"]
    ratio = capacity["my learning"]["requests_per_s"] / capacity["lesson page"]["requests_per_s"]
    return {
        f"every learner reading a lesson within {BELL_READING_S} s of the first sign-in": (
            bell["reading"] == bell["learners"] and bell["last_reading_s"] <= BELL_READING_S
        ),
        "sign-in p95 <= 1 s": figures["sign-in"]["p95_ms"] <= 1000,
        '"My learning" p95 <= 500 ms': figures["my learning"]["p95_ms"] <= 500,
        "no 5xx in the bell": sum(row["5xx"] for row in figures.values()) == 0,
        "PSS <= 180 MiB after the bell": bell["pss_mib"] <= 180,
        "no worker replaced inside the bell": not bell["workers_replaced"],
        f'"My learning"/lesson req/s >= {3 * MY_LEARNING_BEFORE_RATIO:.2f} (3x before)': (
            ratio >= 3 * MY_LEARNING_BEFORE_RATIO
        ),
    }


def report_bell(bell: dict, notes: list[str]) -> int:
    if not bell:
        return 0
    print("\n  the bell: " + f"{bell['learners']} learners signing in within {BELL_SECONDS} s")
    print(f"  {'request':<16}{'req':>6}{'p50':>8}{'p95':>8}{'p99':>8}", end="")
    print(f"{'5xx':>5}{'fail':>5}{'p95/st':>8}")
    for name, row in bell["figures"].items():
        print(
            f"  {name:<16}{row['requests']:>6}{row['p50_ms']:>8.1f}{row['p95_ms']:>8.1f}"
            f"{row['p99_ms']:>8.1f}{row['5xx']:>5}{row['failed']:>5}{row['p95_over_static']:>8.1f}"
        )
    print(
        f"  reading a lesson: {bell['reading']} of {bell['learners']}, the last "
        f"{bell['last_reading_s']} s after the first sign-in; server CPU "
        f"{bell['server_cpu_ms_per_request']} ms per request; PSS {bell['pss_mib']} MiB "
        f"(before the bell {bell['pss_mib_before_bell']}); "
        f"workers replaced: {bell['workers_replaced']}"
    )
    costs = bell["sign_in_cpu_ms"]
    print(
        f"  sign-in server CPU (form + post, alternating): PBKDF2 {costs['pbkdf2']} ms, "
        f"argon2id {costs['argon2id']} ms ({costs['argon2id'] / costs['pbkdf2']:.0%})"
    )
    capacity = bell["capacity"]
    for name, row in capacity.items():
        print(
            f"  wrk {name:<12}{row['requests_per_s']:>8.1f} req/s  p99 {row['p99_ms']:>7.1f} ms"
            f"  CPU {row['server_cpu_ms_per_request']:>5.2f} ms/req"
        )
    targets = bell_targets(bell)
    for label, met in targets.items():
        print(f"  target {label}: {'met' if met else 'MISSED'}")
    RESULTS.parent.mkdir(exist_ok=True)
    BELL_RESULTS.write_text(
        json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "notes": notes, **bell,
                    "targets": targets}, indent=2, default=str) + "\n"
    )  # fmt: skip
    print(f"  figures: {BELL_RESULTS.relative_to(_server.ROOT)}")
    return 0 if all(targets.values()) else 1


def time_sign_ins(base: str) -> list[float]:
    """Milliseconds for each of a few real sign-in POSTs (the form fetched first), one at a time.

    Cookies are handled by hand: production marks them Secure, and this is plain HTTP.
    """
    opener = urllib.request.build_opener(_server._NoRedirect)
    timings = []
    for index in range(SIGN_INS):
        status, headers, body = _server.fetch(base + "/accounts/login/")
        cookies = _cookies(headers)
        token = body.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        form = {"username": f"signin.{index:02d}", "password": "hunar-demo-2026"}
        request = urllib.request.Request(  # noqa: S310 -- our 127.0.0.1
            base + "/accounts/login/",
            data=urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode(),
            headers={"Cookie": f"csrftoken={cookies['csrftoken']}"},
        )
        started = time.perf_counter()
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # the 302 comes back as an "error"
            response = error
        timings.append((time.perf_counter() - started) * 1000)
        location = response.headers.get("Location", "")
        if response.status != 302 or "/learning/" not in location:
            raise SystemExit(f"Sign-in {index} answered {response.status} {location}")
        if "sessionid" not in _cookies(response.headers):
            raise SystemExit(f"Sign-in {index} set no session")
    return timings


def _cookies(headers) -> dict[str, str]:
    jar = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # Locust, once it has been waited for
    return usage.ru_utime + usage.ru_stime


def run_locust(base: str, tmp: Path, users_file: Path) -> list:
    record = tmp / "requests.json"
    total = USERS + FLOOR_USERS
    env = {
        **os.environ,
        "HUNAR_LOAD_USERS": str(users_file),
        "HUNAR_LOAD_RECORD": str(record),
        "HUNAR_LOAD_THINK": THINK,
        "HUNAR_LOAD_FLOOR_USERS": str(FLOOR_USERS),
    }
    cmd = [
        str(LOCUST), "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
        "--host", base, "--users", str(total), "--spawn-rate", str(total / SPIKE),
        "--run-time", f"{SPIKE + HOLD}s", "--stop-timeout", "5", "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    log = tmp / "locust.log"
    with open(log, "wb") as out:
        result = subprocess.run(cmd, cwd=HERE, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0 or not record.exists():
        raise SystemExit(f"locust failed ({result.returncode}):\n{log.read_text()[-3000:]}")
    return json.loads(record.read_text())


# --- Figures ------------------------------------------------------------------------------------


def timeline(records: list, started: float, step_s: int = 5) -> list[dict]:
    """Every request (any endpoint) in buckets of ``step_s`` seconds: count and p95."""
    buckets: dict[int, list[float]] = {}
    for start, _name, ms, _status in records:
        buckets.setdefault(int((start - started) // step_s), []).append(ms)
    return [
        {"from_s": index * step_s, "requests": len(times), "p95_ms": round(percentile(times, 0.95))}
        for index, times in sorted(buckets.items())
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summarise(records: list, started: float) -> dict:
    """Per phase and endpoint: requests, requests/s, p50/p95/p99 (ms), 5xx, failed connections."""
    spike_end = started + SPIKE_WINDOW
    last = max(record[0] for record in records)
    spans = {"spike": spike_end - started, "steady": max(last - spike_end, 1e-9)}
    phases: dict[str, dict[str, list]] = {"spike": {}, "steady": {}}
    for start, name, ms, status in records:
        phase = "spike" if start < spike_end else "steady"
        phases[phase].setdefault(name, []).append((ms, status))
    figures = {}
    for phase, endpoints in phases.items():
        figures[phase] = {}
        for name, rows in sorted(endpoints.items()):
            times = [ms for ms, _status in rows]
            figures[phase][name] = {
                "requests": len(rows),
                "requests_per_s": round(len(rows) / spans[phase], 2),
                "p50_ms": round(percentile(times, 0.50), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "p99_ms": round(percentile(times, 0.99), 1),
                "mean_ms": round(statistics.fmean(times), 1),
                "5xx": sum(1 for _ms, status in rows if status >= 500),
                "4xx": sum(1 for _ms, status in rows if 400 <= status < 500),
                "failed_connections": sum(1 for _ms, status in rows if status == 0),
            }
        floor = figures[phase].get("static (floor)")
        if floor:
            for row in figures[phase].values():
                row["p50_over_static"] = round(row["p50_ms"] / max(floor["p50_ms"], 0.1), 1)
                row["p95_over_static"] = round(row["p95_ms"] / max(floor["p95_ms"], 0.1), 1)
    return figures


def evaluate(figures: dict) -> dict:
    lesson = figures["steady"].get("lesson page", {})
    spike = figures["spike"].values()
    return {
        "lesson page p95 <= 300 ms (steady)": bool(lesson)
        and lesson["p95_ms"] <= TARGET_LESSON_P95_MS,
        "no 5xx in the spike": sum(row["5xx"] for row in spike) == 0,
        "no failed connection in the spike": sum(row["failed_connections"] for row in spike) == 0,
    }


def compare(figures: dict, cpu_ms: float) -> list[tuple[str, float, float, str]]:
    """(figure, baseline, now, verdict) for each latency and rate the baseline also has, and
    the server's CPU per request (the figure other work on the machine disturbs least)."""
    if not BASELINE.exists():
        return []
    saved = json.loads(BASELINE.read_text())
    baseline, rows = saved["figures"], []
    if "server_cpu_ms_per_request" in saved:
        old = saved["server_cpu_ms_per_request"]
        worse, better = cpu_ms > old * 1.15, cpu_ms < old * 0.85
        verdict = "REGRESSED" if worse else "improved" if better else "same"
        rows.append(("server CPU per request (ms)", old, cpu_ms, verdict))
    for phase, endpoints in figures.items():
        for name, row in endpoints.items():
            before = baseline.get(phase, {}).get(name)
            if not before:
                continue
            for key in ("p50_ms", "p95_ms", "p99_ms", "p95_over_static"):
                if key not in row or key not in before:
                    continue
                old, new = before[key], row[key]
                slack = LATENCY_SLACK_MS if key.endswith("_ms") else 0.5
                worse = new > old * (1 + LATENCY_TOLERANCE) and new - old > slack
                better = new < old * (1 - LATENCY_TOLERANCE) and old - new > slack
                verdict = "REGRESSED" if worse else "improved" if better else "same"
                rows.append((f"{phase} · {name} · {key}", old, new, verdict))
            if name.startswith("static (first"):
                continue  # arrivals, not throughput: set by the spawn rate
            old, new = before["requests_per_s"], row["requests_per_s"]
            worse = new < old * (1 - RATE_TOLERANCE)
            better = new > old * (1 + RATE_TOLERANCE)
            verdict = "REGRESSED" if worse else "improved" if better else "same"
            rows.append((f"{phase} · {name} · requests/s", old, new, verdict))
    return rows


def print_report(figures, targets, comparison, extra) -> None:
    print()
    header = f"  {'endpoint':<22}{'req':>7}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}"
    header += f"{'5xx':>6}{'fail':>6}{'p50/st':>8}{'p95/st':>8}"
    for phase in ("spike", "steady"):
        span = (
            f"first {SPIKE_WINDOW:.0f} s: the bell and the first page after it"
            if phase == "spike"
            else "after that: learners reading"
        )
        print(f"  {phase} ({span})")
        print(header)
        for name, row in figures[phase].items():
            print(
                f"  {name:<22}{row['requests']:>7}{row['requests_per_s']:>8.1f}"
                f"{row['p50_ms']:>8.1f}{row['p95_ms']:>8.1f}{row['p99_ms']:>8.1f}"
                f"{row['5xx']:>6}{row['failed_connections']:>6}"
                f"{row.get('p50_over_static', float('nan')):>8.1f}"
                f"{row.get('p95_over_static', float('nan')):>8.1f}"
            )
    print("  (ms; p50/st and p95/st: the endpoint's latency over the static floor's, same phase)")
    for label, value in extra.items():
        print(f"  {label}: {value}")
    if comparison:
        print(f"\n  against {BASELINE.relative_to(_server.ROOT)}:")
        for label, old, new, verdict in comparison:
            if verdict != "same":
                print(f"    {verdict:<10}{label}: {old} -> {new}")
        regressed = [row for row in comparison if row[3] == "REGRESSED"]
        same = sum(1 for row in comparison if row[3] == "same")
        print(f"    {len(regressed)} regressed, {same} unchanged of {len(comparison)} figures")
    else:
        print("\n  no baseline yet: BENCH_WRITE_BASELINE=1 writes this run as bench/baseline.json")
    print()
    for label, met in targets.items():
        print(f"  target {label}: {'met' if met else 'MISSED'}")


def main() -> int:
    if not LOCUST.exists():
        print("Locust is missing: pip install -e '.[dev]'")
        return 2
    if not _server.redis_answers():
        print("Redis does not answer on 127.0.0.1:6379: the load bench needs it (cache).")
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="hunar-load-"))
    created = None
    try:
        if not os.environ.get("BENCH_DATABASE_URL"):
            created = database_create()
            if created is None:
                print("PostgreSQL does not answer on 127.0.0.1:5432: set BENCH_DATABASE_URL.")
                return 2
            os.environ["BENCH_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{created}"
        env, notes = _server.bench_environment(tmp)
        notes.append(f"{USERS} learners in {SPIKE} s, then {HOLD} s reading (think {THINK} s)")
        print("\n".join(["Load bench (Locust)", *(f"  {note}" for note in notes)]), flush=True)
        made = prepare(env)
        users_file = tmp / "users.json"
        users_file.write_text(json.dumps(made["users"][:USERS]))
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 8192), hard), hard))
        with _server.Gunicorn(env, tmp / "gunicorn.log") as server:
            server.wait_healthy()
            sign_ins = step("sign-ins, one at a time", time_sign_ins, server.url)
            bell = step("the bell", bell_phase, server, made) if BELL else {}
            if not LOCUST_PHASE:
                return report_bell(bell, notes)
            _server.wait_for_quiet(limit=0.25, patience=20)
            busy, served = _server.busy_cpu_seconds(), server.cpu_seconds()
            loader, wall = _children_cpu_seconds(), time.monotonic()
            records = step(f"locust, {SPIKE + HOLD} s", run_locust, server.url, tmp, users_file)
            wall, busy = time.monotonic() - wall, _server.busy_cpu_seconds() - busy
            served, loader = server.cpu_seconds() - served, _children_cpu_seconds() - loader
            memory = server.memory_mib()
        started = min(record[0] for record in records)
        figures = summarise(records, started)
        figures_timeline = timeline(records, started)
        cores = os.cpu_count() or 1
        extra = {
            "sign-in (real password check, one at a time)": (
                f"median {statistics.median(sign_ins):.0f} ms with {made['hasher']}: "
                f"{USERS} learners signing in at the bell would need "
                f"~{statistics.median(sign_ins) * USERS / 1000 / cores:.0f} s of both cores"
            ),
            "server CPU per request": f"{served * 1000 / max(len(records), 1):.1f} ms",
            "CPU during the run (share of all cores)": (
                f"gunicorn {served / (wall * cores):.0%}, Locust {loader / (wall * cores):.0%}, "
                f"other processes {max(busy - served - loader, 0) / (wall * cores):.0%}"
            ),
            "gunicorn memory after the run": f"PSS {memory['pss_mib']:.0f} MiB",
        }
        targets = evaluate(figures)
        cpu_ms = round(served * 1000 / max(len(records), 1), 2)
        comparison = compare(figures, cpu_ms)
        print_report(figures, targets, comparison, extra)
        other = max(busy - served - loader, 0) / (wall * cores)
        if other > 0.10:
            print(
                f"  WARNING: other processes took {other:.0%} of the CPU during the run: latencies"
                " and requests/s are inflated by that; server CPU per request is not."
            )
        print("  timeline (all requests, 5 s buckets: requests / p95 ms):")
        print(
            "    "
            + "  ".join(f"{b['from_s']}s:{b['requests']}/{b['p95_ms']}" for b in figures_timeline)
        )
        result = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "notes": notes,
            "users": USERS,
            "spike_seconds": SPIKE,
            "hold_seconds": HOLD,
            "think_seconds": THINK,
            "sign_in_ms": [round(ms, 1) for ms in sign_ins],
            "server_cpu_ms_per_request": cpu_ms,
            "other_processes_cpu_share": round(other, 3),
            "figures": figures,
            "timeline": figures_timeline,
            "extra": extra,
            "targets": targets,
            "comparison": [list(row) for row in comparison],
        }
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n")
        print(f"  figures: {RESULTS.relative_to(_server.ROOT)}")
        if os.environ.get("BENCH_WRITE_BASELINE") == "1":
            BASELINE.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
            print(f"  baseline written: {BASELINE.relative_to(_server.ROOT)}")
        bell_failed = report_bell(bell, notes) if bell else 0
        return 0 if all(targets.values()) and not bell_failed else 1
    finally:
        if created:
            database_drop(created)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
