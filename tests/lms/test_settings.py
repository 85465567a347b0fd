"""Settings: production refuses to start without secrets and passes `check --deploy` cleanly;
the embedded SQLite default survives a lab's worth of concurrent writers."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "k7#Qm2v!x9Lp4Zr8Tn6Wb3Yc5Hd1Jf0Gs-Ua+Ve=Xi*Ok&Pl%Mn@Bq",
    "DJANGO_ALLOWED_HOSTS": "hunar.example.org",
    "DATABASE_URL": "postgres://hunar:secret@db.internal:5432/hunar",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "WAGTAILADMIN_BASE_URL": "https://hunar.example.org",
}


def _clean_env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    for key in ("CELERY_BROKER_URL", "CACHE_URL", "CELERY_RESULT_BACKEND", "EMAIL_URL"):
        env.pop(key, None)
    env.update(overrides)
    return env


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_with_required_variables():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_clean_env(**PRODUCTION_ENV)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"],
)
def test_production_refuses_to_start_without(missing):
    env = _clean_env(**PRODUCTION_ENV)
    del env[missing]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_a_weak_secret_and_sqlite():
    weak = _manage("check", env=_clean_env(**{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"}))
    assert weak.returncode != 0 and "at least 50" in weak.stderr
    sqlite = _manage(
        "check", env=_clean_env(**{**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/x.db"})
    )
    assert sqlite.returncode != 0 and "PostgreSQL" in sqlite.stderr


CONCURRENT_WRITERS = textwrap.dedent(
    """
    import multiprocessing, sys
    import django
    django.setup()
    from django.db import connection, transaction

    def writer(n):
        from django.db import connection, transaction
        for i in range(40):
            # read-then-write in one transaction: the pattern that locks under DEFERRED mode
            with transaction.atomic():
                with connection.cursor() as c:
                    c.execute("SELECT COUNT(*) FROM tally")
                    c.fetchone()
                    c.execute("INSERT INTO tally (writer, seq) VALUES (%s, %s)", [n, i])
        connection.close()

    if __name__ == "__main__":
        with connection.cursor() as c:
            c.execute("CREATE TABLE tally (writer INTEGER, seq INTEGER)")
            c.execute("PRAGMA journal_mode")
            print("journal", c.fetchone()[0])
        connection.close()
        ctx = multiprocessing.get_context("fork")
        procs = [ctx.Process(target=writer, args=(n,)) for n in range(8)]
        [p.start() for p in procs]
        [p.join() for p in procs]
        print("exitcodes", [p.exitcode for p in procs])
        with connection.cursor() as c:
            c.execute("SELECT COUNT(*) FROM tally")
            print("rows", c.fetchone()[0])
    """
)


def test_embedded_sqlite_takes_concurrent_writers_without_locking(tmp_path):
    script = tmp_path / "writers.py"
    script.write_text(CONCURRENT_WRITERS)
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'lab.sqlite3'}",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "journal wal" in result.stdout
    assert "exitcodes [0, 0, 0, 0, 0, 0, 0, 0]" in result.stdout, result.stderr
    assert "rows 320" in result.stdout
    assert "database is locked" not in result.stderr


def test_embedded_defaults_run_tasks_in_process():
    result = _manage(
        "shell", "-c",
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['OPTIONS']['transaction_mode'])",
        env=_clean_env(DJANGO_SETTINGS_MODULE="lms.settings.dev"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "True django.db.backends.sqlite3 IMMEDIATE" in result.stdout
