"""A lab node against the programme's server, both real Hunar processes (issue 15).

The server runs on this run's PostgreSQL test database (runserver on a port of 8300-8349); the
node is a second checkout's worth of state in a temporary directory on SQLite. The node is
registered and set up, the server is stopped, a learner signs in on the node and completes the
lessons, submits the quiz, a trainer marks attendance; the server comes back, one sync carries
everything up and the server grades, completes and issues the certificate. A second sync
carries nothing; a sync killed right after the server applied its batch, then run again,
loses and duplicates nothing.
"""

import io
import json
import os
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.management import call_command
from django.db import connection

from assessments.models import AssessmentPage, AssessmentQuestion, Attempt, QuestionBank
from certificates import signing
from certificates.models import Certificate
from courses.models import Enrollment, LessonProgress
from courses.services import enrollment_create
from lms.models import AttendanceChange, AttendanceMark, CohortMembership
from tests.assessments.conftest import make_question
from tests.curriculum import publish
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, trainer_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "lab-day-2026-pass"  # noqa: S105


def _free_port(taken=()) -> int:
    for port in range(8300, 8350):
        if port in taken:
            continue
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8300-8349")


def _server_env(tmp: Path) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": url,
        "CACHE_URL": f"filecache://{tmp / 'server-cache'}",
        "DJANGO_MEDIA_ROOT": str(tmp / "server-media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp / "server-private"),
        "CERTIFICATE_KEY_DIR": str(tmp / "server-keys"),
        "CELERY_BROKER_URL": "",
    }


def _node_env(tmp: Path) -> dict:
    node = tmp / "node"
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "lms.settings.node",
        "DATABASE_URL": f"sqlite:///{node / 'node.sqlite3'}",
        "CACHE_URL": f"filecache://{node / 'cache'}",
        "DJANGO_MEDIA_ROOT": str(node / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(node / "private"),
        "HUNAR_NODE_DIR": str(node / "state"),
        "CERTIFICATE_KEY_DIR": str(node / "keys"),
        "CELERY_BROKER_URL": "",
    }


class Web:
    """runserver in its own process, until stop()."""

    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=REPO,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/api/sync/v1/status", timeout=2)
                return self
            except requests.ConnectionError:
                assert self.process.poll() is None, self.log.read_text()[-3000:]
                time.sleep(0.3)
        raise AssertionError(f"runserver on {self.port} did not start")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def _manage(env, *arguments, check=True):
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def _node_action(env, *arguments, expect=0) -> dict | None:
    done = subprocess.run(
        [sys.executable, "tests/sync/node_actions.py", *arguments],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == expect, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]) if expect == 0 else None


def _summary(output: str) -> dict:
    """{'sent': n, 'received': n, ...} from node_sync's line."""
    line = output.strip().splitlines()[-1]
    parts = line.split(": ", 1)[1].split(", ")
    return {part.rsplit(" ", 1)[0]: int(part.rsplit(" ", 1)[1]) for part in parts}


@pytest.fixture
def lab(make_course, settings, tmp_path):
    """On the server: GLT with a cohort on a two-lesson course and its required quiz, one
    learner enrolled, one trainer, a signing key."""
    settings.CERTIFICATE_KEY_DIR = tmp_path / "server-keys"
    signing.key_generate()
    _track, course, lessons = make_course(lessons=2, blocks=2)
    bank = QuestionBank.objects.create(course=course, title="Computer basics")
    question = make_question(
        bank, "single", "Which key saves a file?", choices=[("Ctrl+S", True), ("Alt+F4", False)]
    )
    quiz = course.add_child(instance=AssessmentPage(title="Quiz", slug="quiz"))
    AssessmentQuestion.objects.create(page=quiz, question=question, sort_order=0)
    publish(quiz)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center")
    cohort = CohortFactory(center=center, curriculum=course, name="Morning")
    profile = LearnerProfileFactory(
        home_center=center, user__username="amna", full_name="Amna Khan", year_of_birth=2000
    )
    learner = profile.user
    learner.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    learner.save(update_fields=["password"])
    CohortMembership.objects.create(cohort=cohort, learner=learner)
    enrollment_create(learner=learner, course=course, cohort=cohort)
    trainer = trainer_of(center, "trainer.glt")
    cohort.trainers.add(trainer)
    other = CenterFactory(code="SKD")
    LearnerProfileFactory(home_center=other, user__username="bilal")
    return {
        "course": course,
        "lessons": lessons,
        "quiz": quiz,
        "cohort": cohort,
        "learner": learner,
    }


def test_a_lab_day_offline_reaches_the_server_once(lab, tmp_path):
    node_env = _node_env(tmp_path)
    (tmp_path / "node").mkdir()
    migrating = subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=REPO,
        env=node_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server_port = _free_port()
    node_port = _free_port({server_port})
    server = Web(_server_env(tmp_path), server_port, tmp_path / "server.log")
    node_web = Web(node_env, node_port, tmp_path / "node.log")
    try:
        server.start()
        out = io.StringIO()
        call_command("node_register", "--center", "GLT", stdout=out, stderr=io.StringIO())
        token = out.getvalue().strip()
        assert migrating.wait(timeout=300) == 0, migrating.stderr.read()
        setup = _manage(node_env, "node_setup", "--upstream", server.url, "--token", token)
        assert "Node set up" in setup.stdout

        # The link goes down; the lab carries on.
        server.stop()
        node_web.start()
        browser = requests.Session()
        browser.get(f"{node_web.url}/accounts/login/")
        signed_in = browser.post(
            f"{node_web.url}/accounts/login/",
            {
                "username": "amna",
                "password": PASSWORD,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            allow_redirects=False,
        )
        assert signed_in.status_code == 302, signed_in.text[:2000]
        for lesson in lab["lessons"]:
            done = browser.post(
                f"{node_web.url}/learning/lessons/{lesson.pk}/complete/",
                headers={"X-CSRFToken": browser.cookies["csrftoken"]},
                allow_redirects=False,
            )
            assert done.status_code == 302, done.text[:2000]
        node_web.stop()
        quiz = _node_action(node_env, "quiz", "amna", str(lab["quiz"].pk))
        _node_action(
            node_env, "attendance", "trainer.glt", str(lab["cohort"].pk), "amna", "present"
        )

        offline = _manage(node_env, "node_sync", check=False)
        assert offline.returncode == 2 and "offline" in offline.stdout
        state = _node_action(node_env, "state")
        assert state["offline_since"] and state["records_waiting"] >= 4

        # The link comes back: one sync carries the day up.
        server.start()
        first = _summary(_manage(node_env, "node_sync").stdout)
        assert first["sent"] >= 4 and first["conflicts"] == 0
        learner = lab["learner"]
        done_lessons = LessonProgress.objects.filter(
            enrollment__learner=learner, completed_at__isnull=False
        )
        assert done_lessons.count() == 2
        attempt = Attempt.objects.get(learner=learner)
        assert str(attempt.uuid) == quiz["attempt"]
        assert attempt.status == Attempt.Status.GRADED and attempt.percent == Decimal(100)
        mark = AttendanceMark.objects.get(learner=learner)
        assert mark.status == "present"
        enrollment = Enrollment.objects.get(learner=learner)
        assert enrollment.status == Enrollment.Status.COMPLETED
        assert Certificate.objects.filter(enrollment=enrollment).count() == 1
        assert not Certificate.objects.exclude(enrollment=enrollment).exists()

        # Nothing new: nothing travels.
        second = _summary(_manage(node_env, "node_sync").stdout)
        assert (second["sent"], second["received"]) == (0, 0)

        # A correction, and a sync killed right after the server applied it.
        _node_action(node_env, "attendance", "trainer.glt", str(lab["cohort"].pk), "amna", "late")
        _node_action(node_env, "sync_killed_after_upload", expect=9)
        mark.refresh_from_db()
        assert mark.status == "late"
        assert AttendanceChange.objects.filter(mark=mark).count() == 2
        assert _node_action(node_env, "state")["pending"] is not None
        again = _summary(_manage(node_env, "node_sync").stdout)
        assert again["sent"] == 0  # the server knew the batch: a replay, applied once
        assert AttendanceChange.objects.filter(mark=mark).count() == 2
        assert LessonProgress.objects.filter(enrollment__learner=learner).count() == 2
        assert Attempt.objects.filter(learner=learner).count() == 1
        assert _node_action(node_env, "state")["pending"] is None
    finally:
        node_web.stop()
        server.stop()
        if migrating.poll() is None:
            migrating.kill()
