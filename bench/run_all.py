"""Run every benchmark script in bench/ and print its figures (`make bench`).

Benchmarks are never part of the test suite: each script measures its path against a baseline
taken in the same run and prints ratios, because absolute numbers vary with the machine's load.
"""

import socket
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run after the others: the longest, and they leave the machine busy (bench_load.py drives Locust,
# whose bench/locustfile.py is not a bench of its own, and needs PostgreSQL and Redis;
# bench_faults.py starts, kills and restarts a PostgreSQL and a Redis of its own).
LAST = ("bench_load.py", "bench_faults.py")

# Scripts that need a service besides Redis: (host, port, what) -- skipped, saying so, when the
# service does not answer.
NEEDS = {
    "bench_assessments.py": ("127.0.0.1", 5432, "PostgreSQL (BENCH_ASSESS_DATABASE_URL)"),
    "bench_load.py": ("127.0.0.1", 5432, "PostgreSQL (the load bench makes its own database)"),
}


def _missing(script: str) -> str:
    if script not in NEEDS:
        return ""
    host, port, what = NEEDS[script]
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return what
    return ""


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"), key=lambda p: (p.name in LAST, p.name))
    if not scripts:
        print("No benchmarks yet: add bench/bench_<path>.py scripts.")
        return 0
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        if missing := _missing(script.name):
            print(f"skipped: {missing} does not answer")
            continue
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"Benchmarks that failed or missed their targets: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
