"""Fixtures of the fault suite: Hunar as deployed on services of its own, and learners on it.

Every test here is marked ``postgres`` and ``faults``: it runs on the PostgreSQL pass (where CI
requires it) and skips on SQLite. Missing tools (initdb, redis-server, gunicorn, celery) skip it
with the reason, or fail it when ``HUNAR_REQUIRE_SERVICES`` names postgres.

The package-scoped fixtures build one stack for the whole suite: a PostgreSQL cluster, a Redis,
a migrated and seeded database (kept as a dump in var/faults-cache/ for the next run), gunicorn,
a Celery worker and beat, torn down when the suite's last test ends. ``fault_stack`` hands it to
a test after making sure every service is up again, so a test may stop, kill or restart services
and leave them so. To add a fault test, take ``fault_stack`` and
``learner_load``::

    def test_something(fault_stack, learner_load):
        load = learner_load()
        fault_stack.redis.kill(); ...; fault_stack.redis.start()
        assert not load.ledger.lost(fault_stack.env)
"""

import shutil
from types import SimpleNamespace

import pytest

from tests.services import postgres_problem, skip_or_fail

from . import harness

FAULTS_DIR = __file__.rsplit("/", 1)[0]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if str(item.path).startswith(FAULTS_DIR):
            item.add_marker(pytest.mark.postgres)
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="package")
def fault_base():
    # Package-scoped fixtures are set up before the per-test marker check: on the SQLite pass,
    # skip here rather than build a whole stack for tests that then skip.
    problem = postgres_problem()
    if problem:
        skip_or_fail("postgres", problem)
    missing = harness.missing_tools()
    if missing:
        skip_or_fail("postgres", f"the fault suite needs {', '.join(missing)}")
    base = harness.tempdir()
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="package")
def pg_cluster(fault_base):
    cluster = harness.PostgresCluster(fault_base)
    cluster.init()
    yield cluster
    cluster.stop("immediate")


@pytest.fixture(scope="package")
def fault_redis(fault_base):
    server = harness.RedisServer(fault_base)
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="package")
def hunar_env(fault_base, pg_cluster, fault_redis):
    return harness.HunarEnvironment(fault_base, pg_cluster.url, fault_redis)


@pytest.fixture(scope="package")
def seeded(hunar_env):
    return harness.seed(hunar_env)


def _started(process, check=None, what=""):
    process.start()
    if check is not None:
        try:
            harness.wait_for(check, 60, what)
        except TimeoutError:
            process.stop()
            raise AssertionError(f"{what} did not come up:\n{process.log()[-3000:]}") from None
    return process


@pytest.fixture(scope="package")
def web(hunar_env, seeded):
    process = harness.gunicorn_process(hunar_env)
    _started(
        process,
        lambda: harness.request(hunar_env.web_port, "GET", "/healthz").status == 200,
        "gunicorn",
    )
    yield process
    process.stop()


@pytest.fixture(scope="package")
def worker(hunar_env, seeded):
    process = _started(harness.worker_process(hunar_env))
    yield process
    process.stop()


@pytest.fixture(scope="package")
def beat(hunar_env, seeded):
    process = _started(harness.beat_process(hunar_env))
    yield process
    process.stop()


@pytest.fixture
def fault_stack(hunar_env, pg_cluster, fault_redis, seeded, web, worker, beat):
    """The running stack, every service up: a test that stopped one and failed is repaired."""
    if not fault_redis.answers():
        fault_redis.start()
    if not pg_cluster.answers():
        pg_cluster.start()
    harness.wait_for(
        lambda: harness.request(hunar_env.web_port, "GET", "/healthz").status == 200,
        30,
        "healthz ok before the test",
    )
    for process in (web, worker, beat):
        assert process.alive(), f"{process.name} died:\n{process.log()[-3000:]}"
    # gunicorn answers as soon as one worker is up (or while it replaces one a test killed): a
    # test compares worker pids before and after its fault, so both must be there first.
    harness.wait_for(lambda: len(web.children()) == 2, 60, "gunicorn's two workers")
    return SimpleNamespace(
        env=hunar_env, pg=pg_cluster, redis=fault_redis, seeded=seeded,
        web=web, worker=worker, beat=beat, port=hunar_env.web_port,
    )  # fmt: skip


@pytest.fixture
def learner_load(fault_stack):
    """``learner_load(**options)`` starts a ``harness.LearnerLoad``; stopped after the test."""
    loads = []

    def start(**options):
        load = harness.LearnerLoad(fault_stack.port, fault_stack.seeded, **options).start()
        loads.append(load)
        return load

    yield start
    for load in loads:
        load.stop()
