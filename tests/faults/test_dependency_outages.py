"""Redis and PostgreSQL outages under a learner load, on Hunar as deployed (tests/faults/).

Each test drives learners (lessons, "My learning", quiz autosaves and submits) and an employer
(verification page and JSON), injects one fault, and checks what learners saw during it, that
every acknowledged answer is in the database, and that Hunar recovered with the same processes.
"""

import time

from . import harness

REDIS_DOWN_SECONDS = 20
PG_DOWN_SECONDS = 15


def _pids(stack) -> dict:
    """Every Hunar process and gunicorn's two workers (Celery's pool children are its own
    business: it may replace them when the broker connection comes back)."""
    pids = {p.name: p.pid for p in (stack.web, stack.worker, stack.beat) if p.alive()}
    pids["gunicorn workers"] = sorted(stack.web.children())
    return pids


def _recovered(stack, load, since: float, timeout: float = 20) -> float:
    """Seconds from ``since`` until a learner page answers 200 again."""
    account = stack.seeded["users"][0]
    cookies = {"sessionid": account["sessionid"], "csrftoken": account["csrftoken"]}
    harness.wait_for(
        lambda: harness.request(stack.port, "GET", "/learning/", cookies=cookies).status == 200,
        timeout,
        "learner pages after the fault",
    )
    return load.now() - since


def _describe(records) -> str:
    bad = [r for r in records if r.status >= 500 or r.status == 0]
    return "\n".join(f"{r.at:6.1f}s {r.kind} {r.status} {r.note[:160]}" for r in bad[:15])


def test_redis_killed_learners_keep_learning(fault_stack, learner_load):
    stack = fault_stack
    pids = _pids(stack)
    load = learner_load()
    time.sleep(4)
    down = load.mark("redis killed")
    stack.redis.kill()
    time.sleep(REDIS_DOWN_SECONDS)
    up = load.mark("redis back")
    stack.redis.start()
    time.sleep(3)
    load.stop()

    during = load.records_between(down, up)
    statuses = load.statuses(during)
    failures = [r for r in during if r.status >= 500 or r.status == 0]
    assert not failures, f"{len(failures)} errors while Redis was down:\n{_describe(during)}"
    # Learning went on from PostgreSQL: pages, saves and verifications answered while it was down.
    for kind in ("lesson", "my-learning", "autosave", "verify-page", "verify-json"):
        assert statuses[(kind, 200)] > 0, f"no {kind} answered while Redis was down: {statuses}"
    assert load.ledger.lost(stack.env) == []
    assert _pids(stack) == pids, "a Hunar process was restarted"


def test_postgres_stopped_learners_get_503_then_recovery(fault_stack, learner_load):
    stack = fault_stack
    pids = _pids(stack)
    load = learner_load()
    time.sleep(4)
    stack.pg.stop("fast")
    down = load.mark("postgres stopped")
    time.sleep(PG_DOWN_SECONDS)
    stack.pg.start()
    up = load.mark("postgres started")
    recovery = _recovered(stack, load, up)
    time.sleep(2)
    load.stop()

    during = load.records_between(down + 0.5, up)
    assert [r for r in during if r.status == 500] == [], _describe(during)
    unavailable = [r for r in during if r.status == 503]
    assert unavailable, f"no 503 while PostgreSQL was stopped: {load.statuses(during)}"
    assert all(r.retry_after for r in unavailable), "a 503 without Retry-After"
    # Learner pages say so (the page itself is checked in tests/lms/test_database_outage.py).
    assert {r.kind for r in unavailable} >= {"lesson", "my-learning"}
    assert recovery < 10, f"learner pages came back {recovery:.1f} s after PostgreSQL"
    assert load.ledger.lost(stack.env) == []
    assert _pids(stack) == pids, "a Hunar process was restarted"


def test_postgres_fast_restart_loses_nothing(fault_stack, learner_load):
    stack = fault_stack
    pids = _pids(stack)
    load = learner_load()
    time.sleep(4)
    at = load.mark("postgres restart")
    stack.pg.restart("fast")
    time.sleep(6)
    load.stop()

    after = load.records_between(at, load.now())
    assert [r for r in after if r.status == 500] == [], _describe(after)
    assert load.statuses(after)[("lesson", 200)] > 0
    assert load.ledger.lost(stack.env) == []
    assert _pids(stack) == pids, "a Hunar process was restarted"
