"""The fault suite's machinery: Hunar as deployed, on services of its own, and a learner load.

Everything here starts real processes and never touches the machine's shared PostgreSQL or
Redis: a PostgreSQL cluster made with ``initdb`` in a temp directory, a ``redis-server`` on a
spare port, gunicorn (the repository's ``gunicorn.conf.py``, two workers), one Celery worker and
one beat, all with production settings (``tests/faults/settings.py``). Fault injectors stop,
kill and restart the services; ``LearnerLoad`` drives learners and keeps a ledger of every answer
the server acknowledged, to be checked against the database afterwards.

Ports come from ``HUNAR_FAULT_PG_PORT`` (5441), ``HUNAR_FAULT_REDIS_PORT`` (6392) and
``HUNAR_FAULT_WEB_PORT`` (8150), so two suites on one machine can be kept apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("HUNAR_FAULT_PG_BIN", "/usr/lib/postgresql/15/bin"))
VENV_BIN = Path(sys.executable).parent
PG_PORT = int(os.environ.get("HUNAR_FAULT_PG_PORT", "5441"))
REDIS_PORT = int(os.environ.get("HUNAR_FAULT_REDIS_PORT", "6392"))
WEB_PORT = int(os.environ.get("HUNAR_FAULT_WEB_PORT", "8150"))


def missing_tools() -> list[str]:
    """What the suite needs and this machine lacks (empty when it can run)."""
    needs = {
        "initdb": PG_BIN / "initdb",
        "pg_ctl": PG_BIN / "pg_ctl",
        "redis-server": shutil.which("redis-server"),
        "gunicorn": VENV_BIN / "gunicorn",
        "celery": VENV_BIN / "celery",
    }
    return [name for name, path in needs.items() if not path or not Path(path).exists()]


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_for(check, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"{what}: not after {timeout:.0f} s")


def _as_postgres_user() -> list[str]:
    """``initdb`` and ``postgres`` refuse root: run them as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


# --- Services -----------------------------------------------------------------------------------


class PostgresCluster:
    """A PostgreSQL cluster of the suite's own (trust authentication, no fsync), on ``port``."""

    def __init__(self, base: Path, port: int = PG_PORT):
        self.dir = base / "pg"
        self.data = self.dir / "data"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/hunar"

    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*_as_postgres_user(), *args], capture_output=True, text=True, check=check
        )

    def init(self) -> None:
        if not port_free(self.port):
            raise RuntimeError(f"port {self.port} is taken: the suite's PostgreSQL needs it")
        self.dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._pg(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                 "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")  # fmt: skip
        self.start()
        self._pg(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "postgres", "hunar")  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                 "-l", str(self.dir / "log"), "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop",
                 check=False)  # fmt: skip

    def restart(self, mode: str = "fast") -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "restart",
                 "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                 "-l", str(self.dir / "log"))  # fmt: skip

    def answers(self) -> bool:
        return not port_free(self.port)


class RedisServer:
    """A redis-server of the suite's own on ``port``: no persistence, as a cache and broker."""

    def __init__(self, base: Path, port: int = REDIS_PORT):
        self.dir = base / f"redis-{port}"
        self.port = port
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        if not port_free(self.port):
            raise RuntimeError(f"port {self.port} is taken: the suite's Redis needs it")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir), "--logfile", str(self.dir / "log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.answers, 10, f"redis-server on {self.port}")

    def kill(self) -> None:
        """SIGKILL: what a crashed or OOM-killed Redis looks like (everything in it is gone)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        wait_for(lambda: port_free(self.port), 10, "redis port released")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


# --- Hunar's own processes ----------------------------------------------------------------------


@dataclass
class HunarEnvironment:
    """The environment every Hunar process of the suite shares (production settings)."""

    base: Path
    database_url: str
    redis: RedisServer
    web_port: int = WEB_PORT
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HUNAR_"))},
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
            "DJANGO_SECRET_KEY": self.secret,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.redis.url(0),
            "CELERY_RESULT_BACKEND": self.redis.url(0),
            "CACHE_URL": self.redis.url(1),
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{self.web_port}",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": str(self.base / "static"),
            "DJANGO_MEDIA_ROOT": str(self.base / "media"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(self.base / "private"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "AWS_STORAGE_BUCKET_NAME": "",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def manage(
        self, *args: str, stdin: str | None = None, timeout: float = 300, **extra: str
    ) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(**extra), input=stdin,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)[:60]} failed ({result.returncode}):\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
            )
        return result.stdout

    def django_json(self, code: str) -> dict | list:
        """Run ``code`` in ``manage.py shell`` against the suite's services; the last line it
        prints is JSON."""
        out = self.manage("shell", "--no-imports", "-c", code)
        return json.loads(out.strip().splitlines()[-1])


class HunarProcess:
    """One long-running Hunar process (gunicorn, a Celery worker or beat) in its own process
    group, its output in a log file; ``pid`` stays the same unless it is restarted, which the
    tests check to prove recovery without restarts."""

    def __init__(self, name: str, args: list[str], environment: HunarEnvironment):
        self.name, self.args, self.environment = name, args, environment
        self.log_path = environment.base / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.environment.env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def children(self) -> list[int]:
        """The pids of this process's children (gunicorn's workers, Celery's pool)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def gunicorn_process(environment: HunarEnvironment) -> HunarProcess:
    return HunarProcess(
        "gunicorn",
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{environment.web_port}", "--workers", "2",
         "--control-socket", str(environment.base / "gunicorn.ctl")],
        environment,
    )  # fmt: skip


def worker_process(environment: HunarEnvironment) -> HunarProcess:
    return HunarProcess(
        "celery-worker",
        [str(VENV_BIN / "celery"), "-A", "lms", "worker", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        environment,
    )  # fmt: skip


def beat_process(environment: HunarEnvironment) -> HunarProcess:
    return HunarProcess(
        "celery-beat",
        [str(VENV_BIN / "celery"), "-A", "lms", "beat", "--loglevel", "WARNING",
         "-s", str(environment.base / "beat-schedule")],
        environment,
    )  # fmt: skip


# --- Seeding ------------------------------------------------------------------------------------

SEED = """
import datetime, json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.utils.crypto import get_random_string
from assessments.models import AssessmentPage
from certificates.models import Certificate
from courses.models import CoursePage, LessonPage
from courses.services import enrollment_create
from lms.models import Center, Cohort, CohortMembership, LearnerProfile, Shift, User
from lms.roles import LEARNER

LEARNERS = %(learners)d
course = CoursePage.objects.get(slug="computer-basics", locale__language_code="en")
lessons = [p.url for p in LessonPage.objects.live().child_of(course).order_by("path")]
quiz = AssessmentPage.objects.live().child_of(course).filter(kind="quiz").first()
AssessmentPage.objects.filter(pk=quiz.pk).update(max_attempts=0, time_limit_minutes=0)
center = Center.objects.order_by("pk").first()
cohort, _ = Cohort.objects.get_or_create(
    center=center, name="Fault class",
    defaults={"shift": Shift.SCHOOL_HOURS, "curriculum": course,
              "start_date": datetime.date.today()})
group = Group.objects.get(name=LEARNER)
users = []
for index in range(LEARNERS):
    user = User.objects.create(username=f"fault.{index:02d}")
    user.set_password("fault-password-%(salt)s")
    user.save(update_fields=["password"])
    user.groups.add(group)
    LearnerProfile.objects.create(user=user, learner_type="student", home_center=center,
                                  full_name=f"Fault Learner {index}", must_change_password=False)
    CohortMembership.objects.create(cohort=cohort, learner=user)
    enrollment_create(learner=user, course=course, cohort=cohort)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    users.append({"username": user.username, "sessionid": session.session_key,
                  "csrftoken": get_random_string(32), "lessons": lessons, "quiz_id": quiz.pk})
codes = list(Certificate.objects.values_list("code", flat=True)[:10])
print(json.dumps({"users": users, "codes": codes, "password": "fault-password-%(salt)s"}))
"""

ATTEMPTS_STATE = """
import json
from assessments.models import Attempt
ids = %(ids)r
out = {}
for attempt in Attempt.objects.filter(pk__in=ids).prefetch_related("responses"):
    out[str(attempt.pk)] = {"sequence": attempt.sequence, "status": attempt.status,
        "answers": {str(r.position): r.answer for r in attempt.responses.all()}}
print(json.dumps(out))
"""


CACHE_DIR = Path(os.environ.get("HUNAR_FAULT_CACHE_DIR", ROOT / "var" / "faults-cache"))


def _schema_fingerprint() -> str:
    """Changes whenever migrations or demo data might: the cached database is then rebuilt."""
    digest = hashlib.sha256()
    paths = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("demo/**/*.py"))
    paths += sorted(ROOT.glob("demo/data/**/*.yaml"))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seed(environment: HunarEnvironment, learners: int = 6) -> dict:
    """Migrate, run ``seed_demo`` and add ``learners`` signed-in learners on the demo course
    with its quiz open for any number of attempts. Returns their cookies and some codes.

    Migrating and seeding cost a minute or more; the result is kept as a ``pg_dump`` in
    ``var/faults-cache/`` (by a fingerprint of migrations and demo code) and restored next time.
    """
    url = environment.database_url
    host_flags = ["-h", "127.0.0.1", "-p", url.rsplit(":", 1)[1].split("/")[0], "-U", "postgres"]
    dump = CACHE_DIR / f"demo-{_schema_fingerprint()}.dump"
    restored = False
    if dump.exists():
        result = subprocess.run(
            [str(PG_BIN / "pg_restore"), *host_flags, "-d", "hunar", "--no-owner", str(dump)],
            capture_output=True, text=True,
        )  # fmt: skip
        restored = result.returncode == 0
        if not restored:  # a half-restored database: start again from an empty one
            dump.unlink(missing_ok=True)
            for command in ("dropdb", "createdb"):
                subprocess.run([str(PG_BIN / command), *host_flags, "hunar"], check=True)
    if not restored:
        environment.manage("migrate", "--noinput")
        # The demo app is installed only for seeding: the processes under test run production's
        # settings, which never install it (docs/decisions/0015-demo-app.md).
        environment.manage(
            "seed_demo",
            "--i-know-this-creates-public-demo-accounts",
            DJANGO_SETTINGS_MODULE="tests.faults.demo_settings",
        )
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = dump.with_suffix(".partial")
        subprocess.run(
            [str(PG_BIN / "pg_dump"), *host_flags, "-Fc", "-f", str(partial), "hunar"], check=True
        )
        partial.rename(dump)
    return environment.django_json(SEED % {"learners": learners, "salt": secrets.token_hex(4)})


# --- Requests -----------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


def request(
    port: int, method: str, path: str, *, cookies: dict | None = None, form: dict | None = None,
    headers: dict | None = None, timeout: float = 15,
) -> Reply:  # fmt: skip
    """One HTTP request on a new connection (status 0: no answer at all, e.g. refused)."""
    from urllib.parse import urlencode

    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        if cookies and "csrftoken" in cookies:
            sent["X-CSRFToken"] = cookies["csrftoken"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
    except OSError as error:
        return Reply(0, {}, f"{error.__class__.__name__}: {error}")
    finally:
        connection.close()


# --- The learner load and its ledger ------------------------------------------------------------

SEQUENCE = re.compile(r'name="sequence" value="(\d+)"')
POSITIONS = re.compile(r'name="positions" value="([^"]*)"')
CHOICES = re.compile(r'type="(radio|checkbox)" name="q-(\d+)" value="(\d+)"')
TEXT = re.compile(r'<(?:input type="text"|textarea)[^>]* name="q-(\d+)"')
NUMBER = re.compile(r'<input[^>]*type="(?:number|text)"[^>]* name="q-(\d+)"')


@dataclass
class Record:
    at: float  # seconds since the load started
    kind: str
    status: int
    retry_after: str | None = None
    note: str = ""
    ms: float = 0.0  # time to the answer


@dataclass
class Ledger:
    """Every answer the server acknowledged: per attempt the last saved answers and sequence,
    and the attempts whose submit was acknowledged."""

    saved: dict[int, dict] = field(default_factory=dict)
    submitted: set[int] = field(default_factory=set)
    # Answers sent since the attempt's last acknowledgement: a request whose worker was killed
    # after its commit but before its answer leaves the database newer than the ledger, which is
    # not a loss. Requests of one attempt are sequential (one learner thread).
    unacked: dict[int, list[dict]] = field(default_factory=dict)
    save_acks: int = 0  # every acknowledged save, not only the last per attempt
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sent(self, attempt_id: int, answers: dict) -> None:
        with self.lock:
            self.unacked.setdefault(attempt_id, []).append(dict(answers))

    def ack_save(self, attempt_id: int, sequence: int, answers: dict) -> None:
        with self.lock:
            self.unacked.pop(attempt_id, None)
            self.save_acks += 1
            self.saved[attempt_id] = {"sequence": sequence, "answers": dict(answers)}

    def ack_submit(self, attempt_id: int, answers: dict) -> None:
        with self.lock:
            self.unacked.pop(attempt_id, None)
            self.submitted.add(attempt_id)
            previous = self.saved.get(attempt_id, {"sequence": 0})
            self.saved[attempt_id] = {"sequence": previous["sequence"], "answers": dict(answers)}

    def lost(self, environment: HunarEnvironment) -> list[str]:
        """Acknowledged answers the database does not hold (empty when nothing was lost)."""
        with self.lock:
            saved = {k: dict(v) for k, v in self.saved.items()}
            submitted = set(self.submitted)
            unacked = {k: list(v) for k, v in self.unacked.items()}
        if not saved:
            return []
        state = environment.django_json(ATTEMPTS_STATE % {"ids": sorted(saved)})
        problems = []
        for attempt_id, acked in saved.items():
            row = state.get(str(attempt_id))
            if row is None:
                problems.append(f"attempt {attempt_id}: gone")
                continue
            if row["sequence"] < acked["sequence"]:
                problems.append(f"attempt {attempt_id}: sequence {row['sequence']} < acked")
            stored = {int(position): answer for position, answer in row["answers"].items()}
            if any(
                all(stored.get(position) == answer for position, answer in later.items())
                for later in unacked.get(attempt_id, [])
            ):
                continue  # a later request, sent and committed, never answered: newer, not lost
            for position, answer in acked["answers"].items():
                if row["answers"].get(str(position)) != answer:
                    problems.append(
                        f"attempt {attempt_id} q{position}: acked {answer!r}, "
                        f"stored {row['answers'].get(str(position))!r}"
                    )
            if attempt_id in submitted and row["status"] == "in_progress":
                problems.append(f"attempt {attempt_id}: submit acknowledged, still in progress")
        return problems


class LearnerLoad:
    """Learner threads (lessons, "My learning", quiz autosaves and submits) and an employer
    thread (verification pages), each request recorded with its time and status.

    ``start()``, then ``records_between(t0, t1)`` / ``statuses()``; ``stop()`` joins them.
    ``ledger`` holds what the server acknowledged. Every request, whatever its answer, is kept,
    so a test can say what happened during a fault window (``mark()`` names moments).
    """

    def __init__(self, port: int, seeded: dict, *, think: float = 0.3, saves_per_attempt: int = 4):
        self.port, self.seeded, self.think = port, seeded, think
        self.saves_per_attempt = saves_per_attempt
        self.ledger = Ledger()
        self.records: list[Record] = []
        self.marks: dict[str, float] = {}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._t0 = time.monotonic()

    # -- bookkeeping
    def now(self) -> float:
        return time.monotonic() - self._t0

    def mark(self, name: str) -> float:
        self.marks[name] = self.now()
        return self.marks[name]

    def _record(self, kind: str, reply: Reply, started: float) -> Reply:
        note = ""
        if reply.status >= 500 or reply.status == 0:
            note = re.sub(r"\s+", " ", reply.body)[:300]
        now = self.now()
        with self._lock:
            self.records.append(
                Record(
                    started, kind, reply.status, reply.headers.get("retry-after"), note,
                    (now - started) * 1000,
                )
            )  # fmt: skip
        return reply

    def records_between(self, start: float, end: float) -> list[Record]:
        with self._lock:
            return [r for r in self.records if start <= r.at < end]

    def statuses(self, records: list[Record] | None = None) -> Counter:
        records = self.records if records is None else records
        return Counter((r.kind, r.status) for r in records)

    # -- threads
    def start(self) -> LearnerLoad:
        for account in self.seeded["users"]:
            self._spawn(self._learner, account)
        if self.seeded.get("codes"):
            self._spawn(self._employer, self.seeded["codes"])
        return self

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _pause(self) -> None:
        self._stop.wait(self.think * (0.5 + random.random()))

    def _get(self, kind: str, path: str, cookies: dict | None = None) -> Reply:
        started = self.now()
        return self._record(kind, request(self.port, "GET", path, cookies=cookies), started)

    def _post(self, kind: str, path: str, cookies: dict, form: dict) -> Reply:
        started = self.now()
        reply = request(self.port, "POST", path, cookies=cookies, form=form)
        return self._record(kind, reply, started)

    def _learner(self, account: dict) -> None:
        cookies = {"sessionid": account["sessionid"], "csrftoken": account["csrftoken"]}
        rng = random.Random(account["username"])
        attempt = None  # (url, form fields, expected stored answers, saves so far)
        while not self._stop.is_set():
            step = rng.random()
            if step < 0.25:
                self._get("lesson", rng.choice(account["lessons"]), cookies)
            elif step < 0.35:
                self._get("my-learning", "/learning/", cookies)
            else:
                attempt = self._quiz_step(account, cookies, attempt, rng)
            self._pause()

    def _quiz_step(self, account: dict, cookies: dict, attempt, rng):
        if attempt is None:
            started = self._post(
                "quiz-start", f"/learning/assessments/{account['quiz_id']}/start/", cookies,
                {"csrfmiddlewaretoken": cookies["csrftoken"]},
            )  # fmt: skip
            location = started.headers.get("location", "")
            if started.status != 302 or "/attempts/" not in location:
                return None
            url = "/learning/attempts/" + location.split("/attempts/")[1].split("?")[0]
            page = self._get("attempt-page", url, cookies)
            sequence, positions = SEQUENCE.search(page.body), POSITIONS.search(page.body)
            if page.status != 200 or not sequence or not positions:
                return None
            form = {"csrfmiddlewaretoken": cookies["csrftoken"], "sequence": sequence[1],
                    "positions": positions[1]}  # fmt: skip
            choices: dict[str, list[str]] = {}
            for _kind, position, value in CHOICES.findall(page.body):
                choices.setdefault(position, []).append(value)
            texts = sorted(set(TEXT.findall(page.body)) - set(choices))
            return {"url": url, "id": int(url.strip("/").split("/")[-1]), "form": form,
                    "choices": choices, "texts": texts, "saves": 0}  # fmt: skip
        form, expected = dict(attempt["form"]), {}
        for position, values in attempt["choices"].items():
            form[f"q-{position}"] = value = rng.choice(values)
            expected[int(position)] = [value]
        for position in attempt["texts"]:
            form[f"q-{position}"] = value = str(rng.randint(1, 999))
            expected[int(position)] = value
        self.ledger.sent(attempt["id"], expected)
        if attempt["saves"] < self.saves_per_attempt:
            reply = self._post("autosave", attempt["url"] + "autosave/", cookies, form)
            if reply.status == 200:
                data = json.loads(reply.body)
                if data.get("saved"):
                    self.ledger.ack_save(attempt["id"], data["sequence"], expected)
                    attempt["form"]["sequence"] = str(data["sequence"])
                    attempt["saves"] += 1
            elif reply.status == 409:
                with contextlib.suppress(ValueError, KeyError):
                    attempt["form"]["sequence"] = str(json.loads(reply.body)["sequence"])
            return attempt
        reply = self._post("submit", attempt["url"], cookies, {**form, "action": "submit"})
        if reply.status == 302 and "/submit/" in reply.headers.get("location", ""):
            # Saved; then "Submit now" on the confirmation step, at the sequence the save left.
            sequence = int(form["sequence"]) + 1
            self.ledger.ack_save(attempt["id"], sequence, expected)
            attempt["form"]["sequence"] = str(sequence)
            confirm = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "sequence": sequence}
            reply = self._post("submit", attempt["url"] + "submit/", cookies, confirm)
        if reply.status == 302 and "/result/" in reply.headers.get("location", ""):
            self.ledger.ack_submit(attempt["id"], expected)
            return None
        return attempt

    def _employer(self, codes: list[str]) -> None:
        rng = random.Random(0)
        while not self._stop.is_set():
            code = rng.choice(codes)
            if rng.random() < 0.5:
                self._get("verify-page", f"/verify/{code}/")
            else:
                self._get("verify-json", f"/api/v1/certificates/{code}/")
            self._pause()


def gunicorn_workers_unchanged(web: HunarProcess, before: list[int]) -> bool:
    return web.alive() and sorted(web.children()) == sorted(before)


def tempdir() -> Path:
    """A directory the postgres user can reach (pytest's own temp root is private to us)."""
    path = Path(tempfile.mkdtemp(prefix="hunar-faults-"))
    path.chmod(0o755)
    return path
