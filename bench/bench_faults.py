"""Issue 17's fault table, re-measured: Hunar as deployed under a learner load while Redis is
killed, PostgreSQL is stopped, and PostgreSQL restarts.

What it does: with the fault suite's machinery (tests/faults/harness.py) it makes a PostgreSQL
cluster and a Redis of its own (ports 5441 and 6392, or HUNAR_FAULT_PG_PORT / _REDIS_PORT; never
the machine's shared ones), restores or builds the seeded database, starts gunicorn (two workers,
gunicorn.conf.py), one Celery worker and beat on production settings, and drives learners
(lessons, "My learning", quiz autosaves and submits) and an employer (verification page and JSON)
with an acknowledgement ledger. Phases, one after another on the same processes:

- baseline, BENCH_FAULT_BASELINE seconds (default 30);
- Redis killed (SIGKILL) for BENCH_REDIS_DOWN seconds (default 60), then started empty;
- PostgreSQL stopped (`pg_ctl stop -m fast`) for BENCH_PG_DOWN seconds (default 60), then started;
- PostgreSQL `pg_ctl restart -m fast`.

For each phase it prints the requests, their answers (200/302/409, 503, other 5xx, no answer),
p95 latency, how long after the fault ended learner pages answered again, whether any Hunar
process was restarted, and the acknowledged answers missing from the database. Figures go to
bench/results/faults.json. Exit 2 when initdb, redis-server or gunicorn is missing.
"""

import json
import os
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults import harness  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "faults.json"
BASELINE = int(os.environ.get("BENCH_FAULT_BASELINE", "30"))
REDIS_DOWN = int(os.environ.get("BENCH_REDIS_DOWN", "60"))
PG_DOWN = int(os.environ.get("BENCH_PG_DOWN", "60"))
AFTER = 10


def summary(load, start: float, end: float) -> dict:
    records = load.records_between(start, end)
    answers = Counter()
    for record in records:
        if record.status == 0:
            answers["no answer"] += 1
        elif record.status == 503:
            answers["503" + (" + Retry-After" if record.retry_after else "")] += 1
        elif record.status >= 500:
            answers[f"{record.status}"] += 1
        else:
            answers["ok (2xx/3xx/409)"] += 1
    times = sorted(r.ms for r in records if 0 < r.status < 500)
    p95 = times[int(len(times) * 0.95) - 1] if len(times) >= 20 else None
    return {
        "requests": len(records),
        "answers": dict(answers),
        "p95_ms": round(p95, 1) if p95 else None,
        "median_ms": round(statistics.median(times), 1) if times else None,
    }


def recovery_seconds(stack_port: int, account: dict, since: float, load) -> float:
    cookies = {"sessionid": account["sessionid"], "csrftoken": account["csrftoken"]}
    harness.wait_for(
        lambda: harness.request(stack_port, "GET", "/learning/", cookies=cookies).status == 200,
        60,
        "learner pages after the fault",
        interval=0.05,
    )
    return round(load.now() - since, 2)


def pids(processes) -> dict:
    web = processes[0]
    return {"main": [p.pid for p in processes], "gunicorn workers": sorted(web.children())}


def main() -> int:
    missing = harness.missing_tools()
    if missing:
        print(f"bench_faults needs {', '.join(missing)}")
        return 2
    base = harness.tempdir()
    cluster = harness.PostgresCluster(base)
    redis = harness.RedisServer(base)
    processes = []
    try:
        print("setting up (own PostgreSQL and Redis, seeded database) …", flush=True)
        cluster.init()
        redis.start()
        environment = harness.HunarEnvironment(base, cluster.url, redis)
        seeded = harness.seed(environment)
        processes = [
            harness.gunicorn_process(environment),
            harness.worker_process(environment),
            harness.beat_process(environment),
        ]
        for process in processes:
            process.start()
        harness.wait_for(
            lambda: harness.request(environment.web_port, "GET", "/healthz").status == 200,
            90,
            "gunicorn",
        )
        before = pids(processes)
        load = harness.LearnerLoad(environment.web_port, seeded).start()
        account = seeded["users"][0]
        phases = {}

        print(f"baseline {BASELINE} s …", flush=True)
        start = load.now()
        time.sleep(BASELINE)
        phases["baseline"] = summary(load, start, load.now())

        print(f"Redis killed for {REDIS_DOWN} s …", flush=True)
        down = load.mark("redis killed")
        redis.kill()
        time.sleep(REDIS_DOWN)
        up = load.mark("redis started")
        redis.start()
        phases["redis killed"] = summary(load, down, up)
        time.sleep(AFTER)
        phases["redis killed"]["after"] = summary(load, up, load.now())

        print(f"PostgreSQL stopped for {PG_DOWN} s …", flush=True)
        cluster.stop("fast")
        down = load.mark("postgres stopped")
        time.sleep(PG_DOWN)
        cluster.start()
        up = load.mark("postgres started")
        phases["postgres stopped"] = summary(load, down, up)
        phases["postgres stopped"]["recovered_after_s"] = recovery_seconds(
            environment.web_port, account, up, load
        )
        time.sleep(AFTER)

        print("PostgreSQL restart -m fast …", flush=True)
        at = load.mark("postgres restart")
        cluster.restart("fast")
        done = load.now()
        phases["postgres restart -m fast"] = summary(load, at, done + AFTER)
        phases["postgres restart -m fast"]["restart_s"] = round(done - at, 2)
        time.sleep(AFTER)
        load.stop()

        lost = load.ledger.lost(environment)
        result = {
            "phases": phases,
            "acknowledged_saves": load.ledger.save_acks,
            "attempts": len(load.ledger.saved),
            "acknowledged_submits": len(load.ledger.submitted),
            "acknowledged_answers_lost": lost,
            "processes_restarted": pids(processes) != before,
            "learners": len(seeded["users"]),
        }
    finally:
        for process in processes:
            process.stop()
        if redis.answers():
            redis.kill()
        cluster.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)

    for name, figures in result["phases"].items():
        print(f"\n{name}: {json.dumps(figures)}")
    print(
        f"\nacknowledged saves {result['acknowledged_saves']}, submits "
        f"{result['acknowledged_submits']}, lost: {len(lost)} {lost[:5]}; "
        f"processes restarted: {result['processes_restarted']}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    return 1 if lost or result["processes_restarted"] else 0


if __name__ == "__main__":
    sys.exit(main())
