"""Where a quiz autosave and a submit spend their CPU, in one process (no gunicorn, no network).

Builds what ``bench_assessments.py`` builds (its SETUP: the 10-question quiz, one lab of
learners with attempts started) on a PostgreSQL database of its own
(``BENCH_PROFILE_DATABASE_URL``, default ``hunar_bench_profile``; the name must contain
``bench``) with production settings and Redis, then sends autosaves and submits through Django's
test client (the whole middleware stack, CSRF checked, the learners' real sessions) and prints
this process's CPU per request: the median of blocks, autosaves and submits alternating with a
static-like floor (``/healthz``) so that load from other processes shows in the floor.

    .venv/bin/python bench/profile_assessments.py              # figures
    .venv/bin/python bench/profile_assessments.py autosave     # + cProfile of 300 autosaves
    .venv/bin/python bench/profile_assessments.py submit       # + cProfile of the submits

``BENCH_PROFILE_KEEP=1`` keeps the database, the learners and the secret key their sessions
were made with (``$TMPDIR/hunar-profile-assess.json``) for the next run, which then skips
migrate and setup (each learner's autosave sequence is read back from the database).
Not a target check: bench_assessments.py is.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import _server
import bench_assessments

DATABASE_URL = os.environ.get(
    "BENCH_PROFILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hunar_bench_profile"
)
LEARNERS = int(os.environ.get("BENCH_PROFILE_LEARNERS", "60"))
KEEP = os.environ.get("BENCH_PROFILE_KEEP") == "1"
SUBMITS = int(os.environ.get("BENCH_PROFILE_SUBMITS", "40"))  # learners who submit, per run
STATE = Path(tempfile.gettempdir()) / "hunar-profile-assess.json"

MEASURE = """
import cProfile, pstats, random, statistics, time
from urllib.parse import urlencode
from django.test import Client
from assessments.models import Attempt

learners, what = json.loads(sys.stdin.read()), sys.argv[1]
CSRF = "benchCsrfSecretOf32CharactersXyz"
rng = random.Random(14)
sequences = dict(Attempt.objects.filter(pk__in=[l["attempt"] for l in learners])
                 .values_list("pk", "sequence"))
open_ = set(Attempt.objects.filter(pk__in=sequences, status="in_progress")
            .values_list("pk", flat=True))
learners = [l for l in learners if l["attempt"] in open_]

def client_for(learner):
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = learner["session"]
    client.cookies["csrftoken"] = CSRF
    return client

def answers(learner, positions):
    fields = [("positions", ",".join(map(str, positions)))]
    for position in positions:
        kind, choices = learner["questions"][position]
        name = f"q-{position}"
        if kind == "multiple":
            fields += [(name, str(c)) for c in rng.sample(choices, 2)]
        elif choices:
            fields.append((name, str(rng.choice(choices))))
        else:
            fields.append((name, str(rng.randint(1, 30))))
    return fields

clients = {l["attempt"]: client_for(l) for l in learners}

def autosave(learner):
    attempt = learner["attempt"]
    body = urlencode([*answers(learner, range(5)), ("sequence", sequences[attempt])])
    response = clients[attempt].post(
        f"/learning/attempts/{attempt}/autosave/", body,
        content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=CSRF)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    sequences[attempt] = response.json()["sequence"]

def submit(learner):
    attempt = learner["attempt"]
    fields = [*answers(learner, range(5, len(learner["questions"]))), ("action", "submit"),
              ("sequence", sequences[attempt])]
    response = clients[attempt].post(
        f"/learning/attempts/{attempt}/", urlencode(fields),
        content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=CSRF)
    assert response.status_code == 302, (response.status_code, response.content[:300])

floor_client = Client(HTTP_HOST="127.0.0.1")

def floor(_):
    assert floor_client.get("/healthz").status_code == 200

def cpu_ms(func, items):
    started = time.process_time()
    for item in items:
        func(item)
    return (time.process_time() - started) * 1000 / len(items)

for learner in learners[:5]:  # warm: first requests import and fill caches
    autosave(learner)
keep = 20  # learners kept open for autosaves; the rest are submitted
submits = int(sys.argv[2])
savers, submitters = learners[:keep], learners[keep:keep + submits]
figures = {"autosave": [], "submit": [], "floor": []}
profiler = cProfile.Profile(time.process_time) if what in ("autosave", "submit") else None
for block in range(6):
    figures["floor"].append(cpu_ms(floor, range(50)))
    if profiler and what == "autosave":
        profiler.enable()
    figures["autosave"].append(cpu_ms(autosave, savers * 3))
    if profiler and what == "autosave":
        profiler.disable()
    batch = submitters[block::6]
    if batch:
        if profiler and what == "submit":
            profiler.enable()
        figures["submit"].append(cpu_ms(submit, batch))
        if profiler and what == "submit":
            profiler.disable()
if profiler:
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
print(json.dumps({name: {"median_ms": round(statistics.median(v), 3),
                         "blocks_ms": [round(x, 2) for x in v]}
                  for name, v in figures.items() if v}))
"""


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "figures"
    with tempfile.TemporaryDirectory(prefix="hunar-profile-assess-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
        env, notes = _server.bench_environment(tmp)
        print("\n".join(f"  {note}" for note in notes), flush=True)
        if KEEP and STATE.exists():
            state = json.loads(STATE.read_text())
            learners = state["learners"]
            env["DJANGO_SECRET_KEY"] = state["secret_key"]  # the sessions were signed with it
        else:
            bench_assessments.fresh_database(DATABASE_URL)
            _server.manage(env, "migrate", "--noinput")
            data = _server.django_json(env, bench_assessments.SETUP, "1", str(LEARNERS))
            learners = data["learners"]
            STATE.write_text(
                json.dumps({"learners": learners, "secret_key": env["DJANGO_SECRET_KEY"]})
            )
        code = "import django, json, sys\ndjango.setup()\n" + MEASURE
        out = _server.run(
            [sys.executable, "-c", code, what, str(SUBMITS)], env, json.dumps(learners)
        )
        *profile, last = out.splitlines()
        print("\n".join(profile))
        figures = json.loads(last)
    for name, figure in figures.items():
        print(f"  {name:<9} CPU {figure['median_ms']:7.2f} ms per request  {figure['blocks_ms']}")
    print(
        "  (the submits close their attempts: with BENCH_PROFILE_KEEP=1 a later run has fewer"
        " to submit)"
    )
    if not KEEP:
        STATE.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
