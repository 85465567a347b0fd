"""Which real services this run can reach, and what a test does when one is missing.

``HUNAR_REQUIRE_SERVICES`` (a comma list such as ``postgres,redis,celery_worker``, set by
``.ci/run``) turns a skip into a failure: on CI a missing service must not pass silently.
"""

import os
import shutil
from functools import cache

import pytest

SERVICE_MARKERS = ("postgres", "redis", "celery_worker", "browser")
TEST_REDIS_URL = os.environ.get("HUNAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def required_services() -> set[str]:
    raw = os.environ.get("HUNAR_REQUIRE_SERVICES", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


@cache
def redis_problem() -> str | None:
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"Redis is not reachable at {TEST_REDIS_URL} ({exc.__class__.__name__})"
    return None


def postgres_problem() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return (
            "the suite is running on SQLite; set DATABASE_URL=postgres://... to run "
            "PostgreSQL-only tests"
        )
    return None


def browser_problem() -> str | None:
    if not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        return "Debian's chromium is not installed (apt-get install -y chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    return None


def service_problem(marker: str) -> str | None:
    if marker == "postgres":
        return postgres_problem()
    if marker in ("redis", "celery_worker"):
        return redis_problem()
    if marker == "browser":
        return browser_problem()
    return None


def skip_or_fail(marker: str, problem: str) -> None:
    if marker in required_services():
        pytest.fail(f"required service missing [{marker}]: {problem}", pytrace=False)
    pytest.skip(f"[{marker}] {problem}")


# --- A real Celery worker for the tests about one ---------------------------------------------


def celery_test_client():
    """The test process's own Celery client on the test Redis. Never the current app: a current
    app would capture every shared task's ``delay()`` for the rest of the session (the project's
    app runs tasks eagerly in tests)."""
    from celery import Celery

    return Celery(
        "test-client", broker=TEST_REDIS_URL, backend=TEST_REDIS_URL, set_as_current=False
    )


def shared_database_url() -> str:
    """This test run's PostgreSQL database as a URL, for a worker process to share it."""
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )


def celery_worker_start(queue: str, env: dict[str, str]):
    """``celery worker`` (solo pool) on ``queue`` in its own process group, with ``env`` over
    the test environment; the caller stops it."""
    import subprocess
    import sys
    from pathlib import Path

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "CELERY_BROKER_URL": TEST_REDIS_URL,
        "CELERY_RESULT_BACKEND": TEST_REDIS_URL,
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-Q", queue, "--loglevel=WARNING"],
        cwd=Path(__file__).resolve().parents[1], env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip


def celery_worker_stop(worker) -> None:
    import subprocess

    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
