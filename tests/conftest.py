import pytest

from tests.services import SERVICE_MARKERS, service_problem, skip_or_fail

# Fixtures that build a curriculum (home, make_course) serve every app's tests.
pytest_plugins = ["tests.curriculum"]


@pytest.fixture(autouse=True)
def _require_marked_services(request):
    """Skip (or, on CI, fail) a test whose service marker names a service this run lacks."""
    for marker in SERVICE_MARKERS:
        if request.node.get_closest_marker(marker):
            problem = service_problem(marker)
            if problem:
                skip_or_fail(marker, problem)


@pytest.fixture
def demo_network(db):
    from demo.network import demo_network_seed

    demo_network_seed()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Every test starts in English: a request to an /ur/ page leaves Urdu active in the thread."""
    from django.utils import translation

    with translation.override("en"):
        yield


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test starts with an empty cache: the database rolls back between tests, so cached
    routes, rate-limit counters or content versions from an earlier test would be stale.

    A test with a database then finds the programme's settings (every page's header and footer,
    ``lms.programme``) in the cache, as every request but the first after a change does in
    production: query counts measure a page's own work, not that once-per-change read."""
    from django.core.cache import caches

    for alias in ("default",):
        caches[alias].clear()
    if request.node.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(
        request.fixturenames
    ):
        request.getfixturevalue("_django_db_helper")
        from lms.programme import programme_get

        programme_get()
    yield
