"""gunicorn settings, read from the working directory by ``gunicorn lms.wsgi`` (see the README).

Command-line options win over these. Measured with bench/bench_lesson_page.py on two cores
(figures in bench/README.md):

- Two sync workers: best on two cores (more only add memory and context switches).
- The application is loaded once, in the master, and the workers are forked from it: the ~2,000
  modules Django, Wagtail and our apps import sit in memory once, shared, instead of once per
  worker (memory after load, PSS: ~250 MiB without this, ~185 MiB with it). Before forking, the
  master also imports what a first request would (URL patterns and their views, templates,
  translation catalogues, the Redis client) and moves every object into the garbage collector's
  permanent generation, so the workers' collections do not walk, and so copy, shared pages.
  Because the code is loaded before forking, ``kill -HUP`` does not load new code: restart
  gunicorn to deploy.
- Workers are not replaced after a number of requests (``max_requests = 0``). Memory stayed flat
  over 30,000 requests per worker, so a count would only bound a leak nobody knows of, and it
  lands wherever the count runs out: inside the morning bell a replaced worker re-imports,
  re-warms and re-fills its caches while 560 learners wait. Deploys restart gunicorn anyway;
  bench/bench_load.py's bell phase fails if a worker is replaced during the bell.
"""

import contextlib
import gc
import os

wsgi_app = "lms.wsgi"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
preload_app = True
max_requests = 0
max_requests_jitter = 0

# No collection in the master while the application loads: it would leave holes in the pages
# the workers are to share (the workers collect again from the moment they are forked).
gc.disable()

# Templates that most page requests render: compiled once in the master, shared by the workers.
WARM_TEMPLATES = ("base.html", "404.html", "courses/lesson_page.html", "courses/course_page.html")


def when_ready(server):
    """In the master, after the application is loaded and before the first worker is forked."""
    if not server.cfg.preload_app:  # --no-preload: nothing loaded here to share
        gc.enable()
        return
    _import_what_requests_import()
    if os.environ.get("HUNAR_WARM_REQUESTS", "1") != "0":
        _warm_with_requests()
    from django.core.cache import caches
    from django.db import connections

    # Nothing the master opened may be inherited by a worker.
    connections.close_all()
    caches.close_all()
    gc.collect()  # the warm requests' garbage, before the rest is frozen and shared
    gc.freeze()
    _release_free_heap()


def post_fork(server, worker):
    gc.enable()
    _return_large_blocks()


# Bytes from which malloc maps memory of its own and unmaps it on free.
MMAP_THRESHOLD = 1024 * 1024


def _return_large_blocks():
    """Fix glibc's mmap threshold in the worker. Left dynamic, the first freed large block (the
    password hasher's 19 MiB argon2 buffer) raises the threshold above its size, so every later
    hash takes its buffer from the heap, where it stays resident once freed: ~19 MiB per worker
    after the first sign-in (bench/README.md, "The morning bell"). Set, large buffers are
    mapped and returned to the system on every free."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None).mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD


def _release_free_heap():
    """Give the heap's free pages back to the system before forking (glibc's malloc_trim), so
    that no worker inherits, and pays for, memory nobody uses."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)


def _import_what_requests_import():
    from django.conf import settings
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        import redis  # noqa: F401 -- Django's Redis cache imports it on first use
    get_resolver().url_patterns  # noqa: B018 -- imports every URL module and its views
    for name in WARM_TEMPLATES:
        with contextlib.suppress(TemplateDoesNotExist):
            get_template(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Hunar")  # loads the catalogue


# Pages every worker serves, requested a few times in the master (anonymously) before forking.
WARM_PATHS = ("/", "/ur/", "/healthz", "/accounts/login/", "/ur/accounts/login/", "/learning/")
WARM_ROUNDS = 12


def _warm_with_requests():
    """Run a few requests through the application in the master, so that what a request fills
    on first use is filled once, in memory the workers share: Python 3.11 specialises the
    bytecode of every function it runs (written into the code object, i.e. a copied page in
    each worker), and Django and Wagtail fill caches lazily (model metadata, URL resolvers,
    compiled templates, translations). Without this each worker dirties ~25 MiB of the shared
    pages on its first requests (bench/README.md, "The morning bell"). Nothing here needs the
    database to answer: a failed request is skipped."""
    import io
    import logging

    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if "*" not in h), "localhost")
    paths = list(WARM_PATHS)
    with contextlib.suppress(Exception):
        from courses.models import LessonPage

        lesson = LessonPage.objects.live().first()
        if lesson is not None and lesson.url:
            paths.append(lesson.url)
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        for _ in range(WARM_ROUNDS):
            for path in paths:
                environ = {
                    "REQUEST_METHOD": "GET",
                    "PATH_INFO": path,
                    "QUERY_STRING": "",
                    "SERVER_NAME": host,
                    "SERVER_PORT": "443",
                    "HTTP_HOST": host,
                    "HTTP_ACCEPT_ENCODING": "gzip",
                    "HTTP_X_FORWARDED_PROTO": "https",
                    "wsgi.url_scheme": "https",
                    "wsgi.input": io.BytesIO(),
                    "wsgi.errors": io.StringIO(),
                    "wsgi.version": (1, 0),
                    "wsgi.multithread": False,
                    "wsgi.multiprocess": True,
                    "wsgi.run_once": False,
                }
                with contextlib.suppress(Exception):
                    response = application(environ, lambda *args: None)
                    for _chunk in response:
                        pass
                    if hasattr(response, "close"):
                        response.close()
    finally:
        quiet.level = level
