"""Issue 17's task rows, re-measured: certificates issued while the broker is down, a Celery
worker SIGKILLed mid-batch, and gunicorn workers SIGKILLed during saves and submits.

A thin runner over the tests that inject these faults on real processes (they hold the
machinery and the assertions; this prints their figures):

- tests/certificates/test_broker_outage.py with BENCH_CERTIFICATES certificates (default 40):
  own redis-server (port HUNAR_TEST_BROKER_PORT, 6395) as broker and result backend, a real
  worker with beat, a long-lived issuing process; Redis SIGKILLed and started empty mid-run.
  Prints the slowest issue during the outage and the seconds from the broker's return until
  every certificate had its PDF and its one e-mail.
- tests/certificates/test_worker_killed_sweep.py: a worker SIGKILLed mid-batch of
  BENCH_BATCH_LEARNERS (default 50) with production's 720 s visibility timeout; prints the
  seconds from the kill until every learner had a certificate with its PDF (the sweep).
- tests/certificates/test_worker_batch.py: a worker SIGKILLed mid-batch (30 certificates; the
  test shortens the visibility timeout to 20 s so the redelivered chunks finish the ZIP).
- tests/faults/test_web_worker_killed.py: six gunicorn worker kills under a learner burst.

Needs DATABASE_URL (PostgreSQL) and HUNAR_TEST_REDIS_URL like the tests. Run from the repository:
``.venv/bin/python bench/bench_tasks_faults.py``.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = [
    ("broker down while issuing", "tests/certificates/test_broker_outage.py"),
    ("worker SIGKILL mid-batch, sweep", "tests/certificates/test_worker_killed_sweep.py"),
    ("worker SIGKILL mid-batch, redelivery", "tests/certificates/test_worker_batch.py"),
    ("gunicorn worker SIGKILL x6", "tests/faults/test_web_worker_killed.py"),
]


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        print("Set DATABASE_URL=postgres://... (the tests need PostgreSQL).", file=sys.stderr)
        return 2
    env = {
        **os.environ,
        "HUNAR_TEST_OUTAGE_CERTIFICATES": os.environ.get("BENCH_CERTIFICATES", "40"),
        "HUNAR_TEST_BATCH_LEARNERS": os.environ.get("BENCH_BATCH_LEARNERS", "50"),
    }
    status = 0
    for label, path in TESTS:
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", path, "-q", "-s", "-p", "no:cacheprovider"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        figures = " ".join(re.findall(r"BENCH (.*)", run.stdout))
        outcome = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-300:]
        print(f"{label}: {outcome}; wall {time.monotonic() - started:.0f} s {figures}")
        status = status or run.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
