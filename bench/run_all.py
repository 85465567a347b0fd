"""Run every benchmark script in bench/ and print its figures (`make bench`).

Benchmarks are never part of the test suite: each script measures its path against a baseline
taken in the same run and prints ratios, because absolute numbers vary with the machine's load.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("bench_*.py"))
    if not scripts:
        print("No benchmarks yet: add bench/bench_<path>.py scripts.")
        return 0
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"Benchmarks that failed or missed their targets: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
