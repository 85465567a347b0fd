"""What Hunar does while a dependency is down: a 503 page for a database outage, and the state
of each dependency for the staff banner (decision 0018).

``database_unavailable`` is the project's ``handler500``: an uncaught ``OperationalError`` or
``InterfaceError`` (PostgreSQL stopped, restarting or out of reach) answers 503 with
``Retry-After`` and a short page in the visitor's language, rendered without the database (no
session, user or context processors); any other error is Django's plain 500 as before.
"""

import logging
import sys
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.defaults import server_error

logger = logging.getLogger("lms.outages")

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_TITLE = _("Hunar is briefly unavailable")
UNAVAILABLE_MESSAGE = _(
    "Hunar is briefly unavailable. Your saved answers are safe. Please try again in a minute."
)
DATABASE_ERRORS = (OperationalError, InterfaceError)


def _database_down() -> bool:
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


def _wants_json(request) -> bool:
    return (
        request.path.startswith("/api/")
        or request.path.endswith("/autosave/")
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "application/json" in request.headers.get("accept", "")
    )


def _language(request) -> str:
    """From the URL prefix (/ur/…), then the language cookie, then the browser: no database."""
    try:
        return translation.get_language_from_request(request, check_path=True)
    except Exception:  # a malformed header must not turn the 503 into a 500
        return settings.LANGUAGE_CODE


def database_unavailable_response(request):
    """503 with Retry-After: the page (or, for scripts and the API, JSON) that says so."""
    with translation.override(_language(request)):
        if _wants_json(request):
            response = JsonResponse(
                {"saved": False, "unavailable": True, "message": str(UNAVAILABLE_MESSAGE)},
                status=503,
            )
        else:
            html = loader.render_to_string(
                "lms/unavailable.html",
                {
                    "title": UNAVAILABLE_TITLE,
                    "message": UNAVAILABLE_MESSAGE,
                    "LANGUAGE_CODE": translation.get_language(),
                    "LANGUAGE_BIDI": translation.get_language_bidi(),
                    "retry_after": RETRY_AFTER_SECONDS,
                },
            )  # no request: no context processor (session, user, messages) may touch the database
            response = HttpResponse(html, status=503)
            response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def handler500(request, *args, **kwargs):
    if _database_down():
        return database_unavailable_response(request)
    return server_error(request, *args, **kwargs)


# --- Dependency state for the staff banner ------------------------------------------------------

BANNER_CHECK_SECONDS = 5.0
_state = {"at": -BANNER_CHECK_SECONDS, "down": ()}
_state_lock = threading.Lock()


def _cache_status() -> str:
    from django.core.cache import caches
    from redis.exceptions import RedisError

    from .redis_cache import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return "embedded"
    if backend.is_down():
        return "error: unreachable"
    try:
        backend._cache.get_client().ping()
    except RedisError as error:
        backend._failed(error)
        return f"error: {error.__class__.__name__}"
    return "ok"


def dependencies_down() -> tuple[str, ...]:
    """Names of the dependencies that do not answer ("database", "cache", "broker"), checked at
    most every ``BANNER_CHECK_SECONDS`` per process (the banner is on every admin page)."""
    from .health import broker_status, database_status

    now = time.monotonic()
    with _state_lock:
        if now - _state["at"] < BANNER_CHECK_SECONDS:
            return _state["down"]
        _state["at"] = now  # one check at a time; others use the previous answer meanwhile
        previous = _state["down"]
    checks = {"database": database_status, "cache": _cache_status, "broker": broker_status}
    down = []
    for name, check in checks.items():
        try:
            status = check()
        except Exception as error:  # a check that breaks says "down", never breaks the page
            status = f"error: {error.__class__.__name__}"
        if status not in ("ok", "embedded"):
            down.append(name)
    result = tuple(down)
    with _state_lock:
        _state["down"] = result
    if result != previous:
        logger.warning("dependencies down: %s", ", ".join(result) or "none")
    return result
