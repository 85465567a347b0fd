"""Django's Redis cache backend for Hunar: one redis-py client per pool, and Redis as a cache only.

Two changes to Django's ``RedisCache``:

- Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` around the same
  connection pool on every cache call (the cost is in bench/README.md). This backend keeps one
  client per pool. The clients hold no state of their own (the connections are the pool's, which
  redis-py replaces in a forked process), so this changes nothing but the cost.
- **Redis down is a cache miss, never an error** (docs/decisions/0018-dependency-outages.md).
  Every operation that cannot reach Redis answers as an empty cache would: ``get`` the default,
  ``get_many`` nothing, ``add`` False, ``set``/``delete`` nothing, ``incr`` ``ValueError`` (a
  missing key). Everything Hunar caches is also in PostgreSQL (pages, routes, ``cached_db``
  sessions), so learners go on, a little slower. After a failure this process does not try
  Redis again for ``RETRY_SECONDS`` (so a Redis that hangs costs one timeout, not one per call),
  and it logs the outage once a minute, not per request. A key this process failed to write or
  delete is deleted once Redis answers again, so a Redis that was only out of reach (its data
  intact) serves no value older than the database's (a signed-out session, an old page).

Selected in the settings: ``CACHES["default"]["BACKEND"] = "lms.redis_cache.RedisCache"``.
"""

import logging
import threading
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger("lms.redis_cache")

RETRY_SECONDS = 2.0
LOG_EVERY_SECONDS = 60.0
# Keys whose write failed, deleted once Redis is back; past this many the whole outage's
# writes cannot be tracked, and the next successful call clears this cache's keys instead.
MAX_MISSED_KEYS = 10_000


def cache_is_down(backend) -> bool:
    """Does this process treat the cache behind ``backend`` as unreachable right now? (Only
    Hunar's RedisCache can be down; any other backend answers False.)"""
    return isinstance(backend, RedisCache) and backend.is_down()


def cache_failed(backend, error: Exception) -> None:
    """Note a Redis error met outside the cache API (a raw client call), as the cache's own."""
    if isinstance(backend, RedisCache):
        backend._failed(error)


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)  # random among replicas for a read
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:  # as Django's _get_connection_pool, for this index
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class _Outage:
    """This process's view of one Redis: down until when, what it failed to write, when it last
    logged. Per process on purpose: it only saves futile round trips; Redis stays the truth."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.since = None  # monotonic time the outage began, None while Redis answers
        self.last_log = -LOG_EVERY_SECONDS
        self.failures = 0
        self.missed: set[str] = set()
        self.overflow = False


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._outage = _Outage()

    # -- the outage state ------------------------------------------------------------------------

    def is_down(self) -> bool:
        """True while this process treats Redis as unreachable (a failure in the last
        ``RETRY_SECONDS``)."""
        return time.monotonic() < self._outage.down_until

    def _failed(self, error: Exception, written_keys=()) -> None:
        outage, now = self._outage, time.monotonic()
        with outage.lock:
            outage.down_until = now + RETRY_SECONDS
            outage.failures += 1
            if outage.since is None:
                outage.since = now
            for key in written_keys:
                if len(outage.missed) >= MAX_MISSED_KEYS:
                    outage.overflow = True
                    break
                outage.missed.add(key)
            if now - outage.last_log >= LOG_EVERY_SECONDS:
                outage.last_log = now
                logger.warning(
                    "Redis cache unreachable (%s: %s): cache calls are misses; %d failed so far",
                    error.__class__.__name__,
                    error,
                    outage.failures,
                )

    def _recovered(self) -> None:
        """First call that reached Redis after an outage: forget what this process wrote
        meanwhile (or, past MAX_MISSED_KEYS, every key of this cache)."""
        outage = self._outage
        with outage.lock:
            if outage.since is None:
                return
            missed, overflow = outage.missed, outage.overflow
            outage.missed, outage.overflow = set(), False
            lasted = time.monotonic() - outage.since
            outage.since, outage.failures = None, 0
        logger.warning("Redis cache answers again after %.0f s", lasted)
        try:
            if overflow:
                super().clear()
            elif missed:
                self._cache.delete_many(list(missed))  # full keys, as made when they failed
        except RedisError as error:
            self._failed(error, missed)

    def _call(self, name, fallback, *args, written_keys=(), **kwargs):
        if self.is_down():
            self._remember(written_keys)
            return fallback()
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            self._failed(error, written_keys)
            return fallback()
        if self._outage.since is not None:
            self._recovered()
        return result

    def _remember(self, keys) -> None:
        outage = self._outage
        with outage.lock:
            for key in keys:
                if len(outage.missed) >= MAX_MISSED_KEYS:
                    outage.overflow = True
                    break
                outage.missed.add(key)

    def _full(self, key, version=None) -> str:
        return self.make_and_validate_key(key, version=version)

    # -- Django's cache API, degraded to misses --------------------------------------------------

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        full = [self._full(key, version)]
        return self._call("add", lambda: False, key, value, timeout, version, written_keys=full)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        full = [self._full(key, version)]
        return self._call("set", lambda: None, key, value, timeout, version, written_keys=full)

    def touch(self, key, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        full = [self._full(key, version)]
        return self._call("delete", lambda: False, key, version, written_keys=full)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the Redis cache is unreachable).")

        full = [self._full(key, version)]
        return self._call("incr", missing, key, delta, version, written_keys=full)

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        full = [self._full(key, version) for key in data]
        return self._call("set_many", lambda: list(data), data, timeout, version, written_keys=full)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        full = [self._full(key, version) for key in keys]
        return self._call("delete_many", lambda: None, keys, version, written_keys=full)

    def clear(self):
        def unreachable():
            with self._outage.lock:
                self._outage.overflow = True  # cleared for real once Redis answers

        return self._call("clear", unreachable)
