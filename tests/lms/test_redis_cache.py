"""lms.redis_cache: Django's Redis cache backend with one redis-py client per connection pool."""

import secrets

import pytest

from lms.redis_cache import RedisCache
from tests.services import TEST_REDIS_URL

pytestmark = pytest.mark.redis


@pytest.fixture
def backend():
    cache = RedisCache(TEST_REDIS_URL, {"KEY_PREFIX": f"test-{secrets.token_hex(4)}"})
    yield cache
    cache.delete_many(["a", "b", "c"])


def test_one_client_serves_every_call(backend):
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    assert backend._cache.get_client("some-key") is client


def test_it_behaves_as_djangos(backend):
    backend.set("a", {"lesson": 1})
    backend.set_many({"b": 2, "c": [3]})
    assert backend.get_many(["a", "b", "c", "missing"]) == {"a": {"lesson": 1}, "b": 2, "c": [3]}
    assert backend.add("a", "other") is False
    assert backend.incr("b") == 3
    backend.delete("c")
    assert backend.get("c", "gone") == "gone"
