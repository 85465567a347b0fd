"""A Redis of the test's own (port 6391 by default, never the shared one) behind the default
cache, to stop and start under a test. A module takes the fixtures it needs::

    own_redis = outage_fixtures.own_redis
    redis_cache = outage_fixtures.redis_cache
"""

import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.services import skip_or_fail

OWN_REDIS_PORT = int(os.environ.get("HUNAR_TEST_OWN_REDIS_PORT", "6391"))


@pytest.fixture(scope="module")
def own_redis():
    """A redis-server on ``OWN_REDIS_PORT``, started for the module; tests may kill and restart
    it (``own_redis.kill()``, ``own_redis.start()``)."""
    from tests.faults.harness import RedisServer

    if not shutil.which("redis-server"):
        skip_or_fail("redis", "redis-server is not installed (apt-get install -y redis-server)")
    base = Path(tempfile.mkdtemp(prefix="hunar-own-redis-"))
    server = RedisServer(base, OWN_REDIS_PORT)
    server.start()
    yield server
    if server.answers():
        server.kill()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def redis_cache(settings, own_redis):
    """The default cache on the own Redis with Hunar's backend and production's timeouts; Redis
    is up when the test starts (restarted if an earlier test left it down)."""
    from django.core.cache import caches

    from lms import redis_cache

    if not own_redis.answers():
        own_redis.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "lms.redis_cache.RedisCache",
            "LOCATION": own_redis.url(2),
            "KEY_PREFIX": f"t{os.getpid()}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    backend = caches["default"]
    backend.clear()
    yield SimpleNamespace(server=own_redis, backend=backend, module=redis_cache)
    if own_redis.answers():
        backend._outage.down_until = 0
        backend.clear()
