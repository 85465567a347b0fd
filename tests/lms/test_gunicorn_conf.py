"""gunicorn.conf.py: what ``gunicorn lms.wsgi`` runs with, and the master's work before forking."""

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings


@pytest.fixture
def conf(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    try:
        yield runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    finally:
        gc.enable()  # the file stops collection in the master until the workers are forked


def test_two_sync_workers_forked_from_a_preloaded_master(conf):
    assert conf["wsgi_app"] == "lms.wsgi"
    assert conf["workers"] == 2 and conf["worker_class"] == "sync"
    assert conf["preload_app"] is True


def test_workers_are_not_replaced_inside_a_bell(conf):
    # A request count runs out wherever it runs out, the morning bell included.
    assert conf["max_requests"] == 0


def _record_requests(monkeypatch, calls):
    def handler(self, environ, start_response):
        calls.append(environ["PATH_INFO"])
        return []

    monkeypatch.setattr("django.core.handlers.wsgi.WSGIHandler.__call__", handler)


def test_the_master_warms_up_then_lets_go_of_connections_and_freezes(conf, monkeypatch):
    calls = []
    _record_requests(monkeypatch, calls)
    monkeypatch.setattr("django.db.connections.close_all", lambda: calls.append("db"))
    monkeypatch.setattr("django.core.cache.caches.close_all", lambda: calls.append("cache"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    conf["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
    requests = len(conf["WARM_PATHS"]) * conf["WARM_ROUNDS"]
    # The pages every worker serves run in the master first (their lazily filled caches and
    # specialised bytecode then sit in shared memory), then connections close, then the freeze.
    assert calls[:requests] == list(conf["WARM_PATHS"]) * conf["WARM_ROUNDS"]
    assert calls[requests:] == ["db", "cache", "freeze"]
    assert not gc.isenabled()
    conf["post_fork"](None, None)  # in each worker
    assert gc.isenabled()


def test_without_preloading_the_master_does_nothing(conf, monkeypatch):
    monkeypatch.setattr(gc, "freeze", lambda: pytest.fail("nothing to freeze"))
    conf["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))
    assert gc.isenabled()


def test_each_worker_returns_the_hashers_buffers_to_the_system(conf, monkeypatch):
    import ctypes

    calls = []

    class Libc:
        def __init__(self, name):
            pass

        def mallopt(self, option, value):
            calls.append((option, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", Libc)
    conf["post_fork"](None, None)
    # M_MMAP_THRESHOLD, below argon2id's 19 MiB: its buffer is mapped and unmapped each hash.
    assert calls == [(-3, conf["MMAP_THRESHOLD"])] and conf["MMAP_THRESHOLD"] < 19 * 1024 * 1024
