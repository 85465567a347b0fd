"""Gunicorn workers SIGKILLed in the middle of saves and submits (tests/faults/).

A burst of learners autosaving and submitting while one gunicorn worker after another is killed:
every acknowledged answer is in the database, and every attempt is whole. A submit is one
transaction under the attempt's row lock (assessments.services.attempt_submit), so a request
killed part-way leaves the attempt in progress with the answers saved before it, and a submit
sent again grades it once; a graded attempt has one response per question and a score that is
their sum, never a second grading on top.
"""

import os
import signal
import time

from . import harness

KILLS = 6

ATTEMPTS_WHOLE = """
import json
from decimal import Decimal
from assessments.models import Attempt
out = []
for a in Attempt.objects.filter(learner__username__in=%(names)r).prefetch_related("responses"):
    responses = list(a.responses.all())
    scores = [r.score for r in responses if r.score is not None]
    out.append({"id": a.pk, "status": a.status, "submitted_at": bool(a.submitted_at),
        "graded_at": bool(a.graded_at), "questions": len(a.snapshot["questions"]),
        "responses": len(responses), "positions": len({r.position for r in responses}),
        "score": None if a.score is None else str(a.score), "sum": str(sum(scores, Decimal(0)))})
print(json.dumps(out))
"""


def test_gunicorn_workers_killed_mid_request_leave_no_attempt_half_submitted(
    fault_stack, learner_load
):
    stack = fault_stack
    load = learner_load(think=0.02, saves_per_attempt=2)
    time.sleep(3)
    killed = []
    for _ in range(KILLS):
        workers = stack.web.children()
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])
        time.sleep(1.5)
    time.sleep(2)
    load.stop()

    assert len(killed) == KILLS and stack.web.alive()
    harness.wait_for(lambda: len(stack.web.children()) == 2, 30, "gunicorn's two workers")
    interrupted = [r for r in load.records if r.status in (0, 502)]
    submits = load.statuses()
    assert interrupted, f"no request was cut by a kill: {submits}"
    assert load.ledger.submitted, f"no submit was acknowledged: {submits}"
    assert not load.ledger.lost(stack.env)

    names = [account["username"] for account in stack.seeded["users"]]
    attempts = stack.env.django_json(ATTEMPTS_WHOLE % {"names": names})
    for attempt in attempts:
        assert attempt["responses"] == attempt["positions"], attempt  # no position twice
        if attempt["status"] == "in_progress":
            assert not attempt["submitted_at"] and attempt["score"] is None, attempt
            continue
        # Submitted: every question has its response, auto-graded once.
        assert attempt["submitted_at"] and attempt["responses"] == attempt["questions"], attempt
        if attempt["status"] == "graded":
            assert attempt["graded_at"] and attempt["score"] == attempt["sum"], attempt
