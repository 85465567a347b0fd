"""Certificates as a service: a 500-learner batch on real workers, worker memory, verification.

Builds a throwaway PostgreSQL database (``hunar_bench_certs``, created and dropped with psql)
with production settings from ``_server.bench_environment`` plus Redis as broker, result
backend and cache; every task goes to a private queue. Measures, each next to a floor taken in
the same run:

1. ``cohort_certificates_issue`` for 500 completed enrollments on one ``celery worker
   --concurrency=2 --pool=prefork`` until ``cohort_batch_progress`` says finished (the ZIP is
   built). Floor: one process rendering 20 of those certificates in-process; overhead ratio =
   batch time / (500 × floor / 2).
2. Max RSS of one process after rendering 1,000 certificates (the 500, twice).
3. ``/verify/<code>/`` and ``/api/v1/certificates/<code>/`` under gunicorn (2 sync workers):
   wrk 2 threads × 16 connections for 10 s, next to a static file from the same server; and the
   p95 latency at a fixed 50 requests/s for 10 s (a Python thread pool: Debian has no wrk2),
   measured from each request's scheduled time. The per-IP verification rate limit is lifted
   (VERIFY_RATE_LIMIT_PER_MINUTE=1000000) for the bench server.

Targets: batch ≤ 30 s, max RSS ≤ 250 MB, ≥ 300 requests/s, p95 ≤ 50 ms at 50 requests/s.
Exit 1 if one is missed. Figures go to bench/results/certificates_service.json.
"""

import concurrent.futures
import contextlib
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import _server

ROOT = _server.ROOT
RESULTS = ROOT / "bench" / "results" / "certificates_service.json"
DB_NAME = "hunar_bench_certs"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
LEARNERS = 500
FLOOR_RENDERS = 20
MEMORY_RENDERS = 1000
WRK_SECONDS = 10
FIXED_RATE, FIXED_SECONDS = 50, 10
CACHE_URL: dict[str, str] = {}  # the run's cache, for the cleanup
TARGETS = {"batch_s": 30.0, "max_rss_mb": 250.0, "requests_per_s": 300.0, "fixed_p95_ms": 50.0}

SETUP = """
import datetime
from django.contrib.auth.models import Group
from django.utils import timezone
from certificates import signing
from content.models import HomePage
from courses.models import CoursePage, Enrollment, LessonPage, TrackPage
from lms.models import Center, Cohort, CohortMembership, LearnerProfile, User
from lms.roles import LEARNER

def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page

count = int(sys.argv[1])
home = HomePage.objects.get(depth=2, locale__language_code="en")
track = publish(home, TrackPage(title="Bench track", slug="bench-certs-track",
                                audience="students", summary="Bench."))
course = publish(track, CoursePage(title="Freelancing: profiles, proposals and clients",
                                   slug="bench-certs-course", hours=48, summary="Bench."))
publish(course, LessonPage(title="Lesson 1", slug="lesson-1", estimated_minutes=15,
                           body=[("heading", {"text": "Your profile", "level": "h2"})]))
center = Center.objects.create(code="BCH01", name="Bench School IT Center", kind="school_lab",
                               district="Gilgit", school_name="Bench High School")
cohort = Cohort.objects.create(center=center, name="Bench cohort", shift="school_hours",
                               curriculum=course, start_date=datetime.date(2026, 9, 1))
users = User.objects.bulk_create(
    [User(username=f"bench.learner{n}", password="!") for n in range(count)])
group = Group.objects.get_or_create(name=LEARNER)[0]
User.groups.through.objects.bulk_create(
    [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
LearnerProfile.objects.bulk_create([
    LearnerProfile(user=u, learner_type="student", home_center=center,
                   full_name=f"Bench Learner {n}", full_name_ur="آمنہ بی بی خان")
    for n, u in enumerate(users)])
CohortMembership.objects.bulk_create([CohortMembership(cohort=cohort, learner=u) for u in users])
now = timezone.now()
Enrollment.objects.bulk_create([
    Enrollment(learner=u, course=course, cohort=cohort, center=center, status="completed",
               started_at=now, completed_at=now) for u in users])
key = signing.key_generate()
print(json.dumps({"cohort": cohort.pk, "kid": key.kid}))
"""

BATCH = """
import time
from lms import celery_app
from certificates.batch import cohort_batch_progress, cohort_certificates_issue
from lms.models import Cohort

deadline = time.monotonic() + 120
while not celery_app.control.ping(timeout=1.0):  # the worker is up and consuming
    if time.monotonic() > deadline:
        raise SystemExit("no celery worker answered ping")
cohort = Cohort.objects.get(pk=int(sys.argv[1]))
started = time.perf_counter()
batch_id = cohort_certificates_issue(cohort=cohort, by=None)
import redis
from django.conf import settings
broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
processed_at, queued = None, None
while True:
    progress = cohort_batch_progress(batch_id)
    if processed_at is None and progress is not None and progress.processed == progress.total:
        # every learner done: what still waits in the queue ahead of the ZIP task
        processed_at = time.perf_counter() - started
        queued = broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    if progress is not None and progress.finished:
        break
    if time.perf_counter() - started > 600:
        raise SystemExit(f"batch not finished after 600 s: {progress}")
    time.sleep(0.1)
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "all_processed_s": processed_at,
                  "queued_when_all_processed": queued, "done": progress.done,
                  "failed": len(progress.failed), "total": progress.total,
                  "zip": progress.zip_name}))
"""

RENDER = """
import resource, time
from certificates.models import Certificate
from certificates.rendering import certificate_pdf_render

count, warmup = int(sys.argv[1]), int(sys.argv[2])
certificates = list(Certificate.objects.order_by("pk")
                    .select_related("template__logo", "template__signature_image"))
for certificate in certificates[:warmup]:
    certificate_pdf_render(certificate)
samples = []
for n in range(count):
    certificate = certificates[n % len(certificates)]
    started = time.perf_counter()
    certificate_pdf_render(certificate)
    samples.append((time.perf_counter() - started) * 1000)
samples.sort()
print(json.dumps({"renders": count, "certificates": len(certificates),
                  "mean_ms": sum(samples) / len(samples), "p50_ms": samples[len(samples) // 2],
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CODES = """
from certificates.models import Certificate
codes = Certificate.objects.order_by("pk").values_list("code", flat=True)
print(json.dumps({"codes": list(codes)}))
"""


# --- Steps ------------------------------------------------------------------------------------


def step(label: str, func, *args):
    started = time.monotonic()
    print(f"  {label} …", end="", flush=True)
    result = func(*args)
    print(f" {time.monotonic() - started:.1f} s", flush=True)
    return result


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", *PG, "-d", "postgres", "-q", "-c", sql], check=True, capture_output=True
    )


def database_create() -> str:
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB_NAME}")
    return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def environment(tmp: Path, queue: str) -> tuple[dict[str, str], list[str]]:
    os.environ["BENCH_DATABASE_URL"] = database_create()
    env, notes = _server.bench_environment(tmp)
    CACHE_URL["url"] = env["CACHE_URL"]
    # Every task (the chord and the render task certificate_issue queues) to a private queue.
    base = env["DJANGO_SETTINGS_MODULE"]
    (tmp / "bench_certs_settings.py").write_text(
        f"from {base} import *  # noqa: F403\nCELERY_TASK_DEFAULT_QUEUE = {queue!r}\n"
    )
    env.update(
        DJANGO_SETTINGS_MODULE="bench_certs_settings",
        CELERY_RESULT_BACKEND=_server.BROKER_URL,
        CERTIFICATE_KEY_DIR=str(tmp / "keys"),
        VERIFY_RATE_LIMIT_PER_MINUTE="1000000",
    )
    notes.append(f"broker and result backend: {_server.BROKER_URL}, private queue {queue}")
    notes.append("VERIFY_RATE_LIMIT_PER_MINUTE=1000000 (per-IP limit lifted for the bench)")
    return env, notes


def worker_start(env: dict[str, str], queue: str, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "celery", "-A", "lms", "worker", "--concurrency=2"]
    cmd += ["--pool=prefork", "--without-gossip", "--without-mingle", "-Q", queue]
    cmd += ["--loglevel=WARNING"]
    with open(log, "wb") as handle:
        return subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def worker_stop(worker: subprocess.Popen | None) -> None:
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()  # warm shutdown
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def redis_cleanup(cache_url: str, queue: str) -> None:
    """The private queue, task results and the run's cache keys (batch progress keeps 2 weeks)."""
    import redis

    broker = redis.Redis.from_url(_server.BROKER_URL)
    broker.delete(queue, f"_kombu.binding.{queue}")
    for key in broker.scan_iter("celery-task-meta-*"):
        broker.delete(key)
    if "key_prefix=" in cache_url:
        prefix = cache_url.split("key_prefix=", 1)[1]
        cache = redis.Redis.from_url(_server.REDIS_CACHE_URL)
        for key in cache.scan_iter(f"{prefix}:*"):
            cache.delete(key)


# --- Fixed-rate latency -----------------------------------------------------------------------


def fixed_rate(url: str, rate: int, seconds: int) -> dict:
    """``rate`` requests a second for ``seconds``; latency from each request's scheduled time."""
    total = rate * seconds
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def one(index: int) -> None:
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            status = _server.fetch(url)[0]
        except OSError as error:
            status = repr(error)
        elapsed = (time.perf_counter() - scheduled) * 1000
        with lock:
            latencies.append(elapsed)
            if status != 200:
                errors.append(status)

    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, range(total)))
    wall = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, round(p * (len(latencies) - 1)))], 2)

    return {
        "requests": total,
        "achieved_per_s": round(total / wall, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1], 2),
        "errors": len(errors),
    }


def http_measure(env: dict[str, str], tmp: Path, code: str) -> dict:
    manifest = json.loads((tmp / "static" / "staticfiles.json").read_text())
    paths = {
        "static": "/static/" + manifest["paths"]["css/hunar.css"],
        "verify": f"/verify/{code}/",
        "api": f"/api/v1/certificates/{code}/",
    }
    with _server.Gunicorn(env, tmp / "gunicorn.log", workers=2) as server:
        server.wait_healthy()
        for path in paths.values():
            status = _server.fetch(server.url + path)[0]
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        _server.wrk(server.url + paths["verify"], 2, {})  # warm both workers up
        _server.wrk(server.url + paths["api"], 2, {})
        figures = {}
        for name, path in paths.items():
            print(f"  wrk {name} {WRK_SECONDS} s …", flush=True)
            figures[name] = _server.wrk_with_cpu(server, server.url + path, WRK_SECONDS, {})
        fixed = {}
        for name in ("verify", "api"):
            print(f"  {FIXED_RATE} requests/s for {FIXED_SECONDS} s: {name} …", flush=True)
            fixed[name] = fixed_rate(server.url + paths[name], FIXED_RATE, FIXED_SECONDS)
        fixed["static"] = fixed_rate(server.url + paths["static"], FIXED_RATE, FIXED_SECONDS)
        return {"paths": paths, "wrk": figures, "fixed_rate": fixed, "memory": server.memory_mib()}


# --- Main -------------------------------------------------------------------------------------


def measure(tmp: Path, queue: str) -> dict:
    env, notes = environment(tmp, queue)
    for note in notes:
        print(f"  {note}")
    step("migrate", _server.manage, env, "migrate", "--noinput")
    step("collectstatic", _server.manage, env, "collectstatic", "--noinput")
    created = step(
        f"{LEARNERS} learners, completed", _server.django_json, env, SETUP, str(LEARNERS)
    )
    worker = worker_start(env, queue, tmp / "worker.log")
    try:
        batch = step(
            f"batch of {LEARNERS} on 2 worker processes",
            _server.django_json,
            env,
            BATCH,
            str(created["cohort"]),
        )
    except SystemExit:
        print((tmp / "worker.log").read_text()[-3000:])
        raise
    finally:
        worker_stop(worker)
    if batch["done"] != LEARNERS or batch["failed"]:
        print((tmp / "worker.log").read_text()[-3000:])
        raise SystemExit(f"batch issued {batch['done']} of {LEARNERS}, {batch['failed']} failed")
    floor = step(
        f"floor: {FLOOR_RENDERS} renders in one process",
        _server.django_json,
        env,
        RENDER,
        str(FLOOR_RENDERS),
        "3",
    )
    memory = step(
        f"{MEMORY_RENDERS} renders in one process",
        _server.django_json,
        env,
        RENDER,
        str(MEMORY_RENDERS),
        "0",
    )
    codes = _server.django_json(env, CODES)["codes"]
    http = http_measure(env, tmp, codes[len(codes) // 2])
    ideal = LEARNERS * floor["mean_ms"] / 1000 / 2
    return {
        "notes": notes,
        "batch": {
            **batch,
            "certificates_per_s": round(LEARNERS / batch["seconds"], 2),
            "floor_ms_per_certificate": round(floor["mean_ms"], 1),
            "floor_p50_ms": round(floor["p50_ms"], 1),
            "ideal_seconds_two_processes": round(ideal, 2),
            "overhead_ratio": round(batch["seconds"] / ideal, 2),
        },
        "memory": {
            "renders": memory["renders"],
            "max_rss_mb": round(memory["max_rss_mb"], 1),
            "mean_render_ms": round(memory["mean_ms"], 1),
        },
        "http": http,
    }


def report(figures: dict) -> list[str]:
    batch, memory, http = figures["batch"], figures["memory"], figures["http"]
    wrk, fixed = http["wrk"], http["fixed_rate"]
    checks = [
        ("batch of 500 (s)", batch["seconds"], "<=", TARGETS["batch_s"]),
        ("max RSS after 1,000 renders (MB)", memory["max_rss_mb"], "<=", TARGETS["max_rss_mb"]),
        ("/verify/<code>/ requests/s", wrk["verify"]["requests_per_s"], ">=", 300.0),
        ("/api/v1/certificates/<code>/ requests/s", wrk["api"]["requests_per_s"], ">=", 300.0),
        ("/verify/<code>/ p95 at 50/s (ms)", fixed["verify"]["p95_ms"], "<=", 50.0),
        ("/api/v1/certificates/<code>/ p95 at 50/s (ms)", fixed["api"]["p95_ms"], "<=", 50.0),
    ]
    print()
    print(f"{'measure':<48}{'value':>10}  {'target':<10}{'met':>5}")
    missed = []
    for label, value, op, target in checks:
        met = value <= target if op == "<=" else value >= target
        if not met:
            missed.append(label)
        print(f"{label:<48}{value:>10.1f}  {op} {target:<7g}{'yes' if met else 'NO':>5}")
    print()
    print(
        f"batch: {batch['certificates_per_s']} certificates/s; floor "
        f"{batch['floor_ms_per_certificate']} ms a certificate in one process "
        f"(p50 {batch['floor_p50_ms']}); ideal on 2 processes "
        f"{batch['ideal_seconds_two_processes']} s; overhead ratio {batch['overhead_ratio']}"
    )
    print(
        f"  every learner issued and rendered after {batch['all_processed_s']:.1f} s; "
        f"{batch['queued_when_all_processed']} tasks then queued ahead of the ZIP task "
        "(the tasks certificate_issue queues for each new certificate: render, notify)"
    )
    print(f"memory: mean render {memory['mean_render_ms']} ms over {memory['renders']} renders")
    print(
        f"{'wrk 2 × 16, 10 s':<30}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}"
        f"{'others CPU':>12}"
    )
    for name in ("static", "verify", "api"):
        r = wrk[name]
        print(
            f"{http['paths'][name][:29]:<30}{r['requests_per_s']:>9.0f}{r['p50_ms']:>9}"
            f"{r['p99_ms']:>9}{r['server_cpu_ms_per_request']:>12}"
            f"{r['other_processes_cpu_share']:>12.0%}"
            + (f"  non-2xx {r['non_2xx_3xx']}" if r["non_2xx_3xx"] else "")
        )
    for name in ("verify", "api"):
        ratio = wrk[name]["requests_per_s"] / wrk["static"]["requests_per_s"]
        print(f"  {name}/static requests/s: {ratio:.1%}")
    print(f"{'fixed 50/s, 10 s':<30}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name in ("static", "verify", "api"):
        r = fixed[name]
        print(f"{name:<30}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}")
    print("(the per-IP verification rate limit was lifted: VERIFY_RATE_LIMIT_PER_MINUTE=1000000)")
    return missed


def main() -> int:
    if not shutil.which("psql"):
        print("psql is missing: this bench needs PostgreSQL at 127.0.0.1:5432")
        return 1
    if not _server.redis_answers():
        print("Redis does not answer at 127.0.0.1:6379: this bench needs it")
        return 1
    if not _server.wrk_ensure():
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="bench-certs-"))
    queue = f"bench-certs-{uuid.uuid4().hex[:8]}"
    try:
        figures = measure(tmp, queue)
    finally:
        with contextlib.suppress(Exception):
            redis_cleanup(CACHE_URL.get("url", ""), queue)
        shutil.rmtree(tmp, ignore_errors=True)
        with contextlib.suppress(subprocess.CalledProcessError):
            psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    missed = report(figures)
    RESULTS.parent.mkdir(exist_ok=True)
    figures["measured_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    figures["targets"] = TARGETS
    figures["missed"] = missed
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
