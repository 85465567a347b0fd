"""Certificates issued while the broker is down all get their PDF and their e-mail, once.

Everything is real: the test's own ``redis-server`` (broker and result backend, port
``HUNAR_TEST_BROKER_PORT``, 6395 by default, never the machine's shared Redis), a ``celery
worker`` with an embedded beat, and a long-lived issuing process that keeps its Celery client
across the outage as a gunicorn worker would. Redis is SIGKILLed mid-run and started again
empty (no persistence), so anything queued before the kill is lost as well. Only the sweep can
find the certificates whose tasks were never queued (certificates.pending).
"""

import datetime
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrollment
from tests.certificates.test_batch import make_cohort  # noqa: F401  (a fixture)
from tests.certificates.test_worker_batch import page_tree, shared_services  # noqa: F401
from tests.services import TEST_REDIS_URL, shared_database_url

ROOT = Path(__file__).resolve().parents[2]
BROKER_PORT = int(os.environ.get("HUNAR_TEST_BROKER_PORT", "6395"))
BROKER_URL = f"redis://127.0.0.1:{BROKER_PORT}/0"
SWEEP_SECONDS = 5
# A third issued before the kill, a half while Redis is down, the rest after (bench: larger).
CERTIFICATES = int(os.environ.get("HUNAR_TEST_OUTAGE_CERTIFICATES", "12"))


def redis_start(folder: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(BROKER_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    client = redis.Redis(port=BROKER_PORT, socket_connect_timeout=0.5)
    for _ in range(50):
        if process.poll() is not None:
            pytest.fail(f"redis-server could not start on port {BROKER_PORT} (in use?)")
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"redis-server did not start on port {BROKER_PORT}")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM) if process.pid == os.getpgid(
        process.pid
    ) else process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def outage_env(shared_services, settings, tmp_path):  # noqa: F811
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode:
        pytest.skip("redis-server is not installed")
    (tmp_path / "mail").mkdir()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.certificates.worker_settings",
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": BROKER_URL,
        "HUNAR_TEST_REDIS_URL": TEST_REDIS_URL,
        "HUNAR_TEST_CACHE_PREFIX": shared_services,
        "HUNAR_TEST_MEDIA_ROOT": settings.MEDIA_ROOT,
        "HUNAR_TEST_PRIVATE_MEDIA_ROOT": settings.PRIVATE_MEDIA_ROOT,
        "CERTIFICATE_KEY_DIR": str(settings.CERTIFICATE_KEY_DIR),
        "HUNAR_TEST_NOT_EAGER": "1",
        "HUNAR_TEST_EMAIL_DIR": str(tmp_path / "mail"),
        "HUNAR_TEST_SWEEP_SECONDS": str(SWEEP_SECONDS),
    }


def worker_start(env, tmp_path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-B",
         "-s", str(tmp_path / f"beat-{uuid.uuid4().hex[:6]}"), "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip


class Issuer:
    """The long-lived issuing process (tests/certificates/outage_issuer.py)."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.certificates.outage_issuer"],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, start_new_session=True,
        )  # fmt: skip
        assert json.loads(self.process.stdout.readline()) == {"ready": True}

    def issue(self, enrollment_id: int) -> dict:
        self.process.stdin.write(f"{enrollment_id}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the issuing process died"
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=20)


def _all_finished(ids) -> bool:
    return Certificate.objects.filter(pk__in=ids, notified_at__isnull=False).exclude(
        pdf_sha256=""
    ).count() == len(ids)


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_certificates_issued_while_the_broker_is_down_all_get_their_pdf_and_email_once(
    page_tree,  # noqa: F811
    make_cohort,  # noqa: F811
    outage_env,
    settings,
    tmp_path,
):
    cohort = make_cohort(completed=CERTIFICATES, active=0)
    # Completed long ago: the sweep's repair of lost completions (certificates.pending) leaves
    # them alone, so every certificate here is issued by the issuing process.
    Enrollment.objects.filter(cohort=cohort).update(
        completed_at=timezone.now() - datetime.timedelta(days=3)
    )
    enrollments = list(Enrollment.objects.filter(cohort=cohort).order_by("pk"))
    for number, enrollment in enumerate(enrollments):
        enrollment.learner.email = f"learner{number}@example.org"
        enrollment.learner.save(update_fields=["email"])
    third, half = CERTIFICATES // 4, CERTIFICATES // 2
    before, during, after = (
        enrollments[:third],
        enrollments[third : third + half],
        enrollments[third + half :],
    )

    broker = redis_start(tmp_path)
    worker = worker_start(outage_env, tmp_path)
    issuer = Issuer(outage_env)
    answers = {}
    try:
        for enrollment in before:
            answers[enrollment.pk] = issuer.issue(enrollment.pk)
        broker.send_signal(signal.SIGKILL)
        broker.wait(timeout=10)
        for enrollment in during:
            answers[enrollment.pk] = issuer.issue(enrollment.pk)
        # The learners got their certificates at once: queueing gave up in about a second
        # (the publish retry policy) and said so in the log, instead of hanging the request.
        for enrollment in during:
            assert answers[enrollment.pk]["errors"] >= 1, answers
            assert answers[enrollment.pk]["seconds"] < 5, answers[enrollment.pk]
        broker = redis_start(tmp_path)
        # The same issuing process queues again without a restart.
        for enrollment in after:
            answers[enrollment.pk] = issuer.issue(enrollment.pk)
            assert answers[enrollment.pk]["errors"] == 0, answers[enrollment.pk]
        ids = [answer["certificate"] for answer in answers.values()]
        back = time.monotonic()
        deadline = back + 120 + CERTIFICATES
        while not _all_finished(ids) and time.monotonic() < deadline:
            assert worker.poll() is None, worker.communicate()[0]
            time.sleep(0.5)
        print(
            f"BENCH issued={len(ids)} during_outage={len(during)} "
            f"slowest_issue_during_outage_s={max(answers[e.pk]['seconds'] for e in during)} "
            f"all_pdfs_and_emails_s_after_broker_back={time.monotonic() - back:.1f}"
        )
    finally:
        issuer.close()
        _stop(worker)
        _stop(broker)
    output = worker.communicate()[0]
    assert _all_finished(ids), output

    certificates = Certificate.objects.filter(enrollment__cohort=cohort)
    assert certificates.count() == CERTIFICATES
    assert certificates.values("enrollment").distinct().count() == CERTIFICATES
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    for certificate in certificates:
        data = (private / certificate.pdf.name).read_bytes()
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    assert len(list(private.glob("certificates/*.pdf"))) == CERTIFICATES
    # One e-mail per learner, never two (the file backend writes one file per message).
    recipients = []
    for message in (tmp_path / "mail").iterdir():
        recipients += [
            line.split(": ", 1)[1]
            for line in message.read_text().splitlines()
            if line.startswith("To: ")
        ]
    assert sorted(recipients) == sorted(f"learner{n}@example.org" for n in range(CERTIFICATES))
