"""CSRF: every view the URLconf routes to refuses a POST that carries no token.

The URLs are enumerated from the URLconf (ours, Wagtail's admin as we mount it, the page
catch-all, Django's auth and i18n views), so a view added later is covered the day it appears.
A refusal counts only when Django's CSRF check made it (a marker from a test failure view), not a
permission check or a missing object: a view that lets a token-less POST through must be listed
in CSRF_EXEMPT with the reason, and must still not accept the POST (405).
"""

import functools
import itertools
import re
import uuid

import pytest
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MARKER = "X-Test-CSRF-Refused"
OUR_MODULES = ("lms.", "courses.", "content.", "assessments.", "certificates.", "reports.")
# Views that skip Django's CSRF middleware, why that is safe, and the refusal each must give to a
# token-less POST, PUT, PATCH or DELETE instead (by view-name prefix).
CSRF_EXEMPT = {
    "ninja.operation.PathView.get_view": (
        "our JSON API (django-ninja, certificates/api.py): read-only, GET only, no session auth",
        lambda response: response.status_code == 405,
    ),
    "sync.views.": (
        "the lab node API (/api/sync/v1/, sync/auth.py): no session or cookie is read; every "
        "request must carry the node's Ed25519 signature, else 401 (register: a one-time token; "
        "405 for other methods)",
        lambda response: response.status_code in (400, 401, 405),
    ),
    "wagtail.": (
        "Wagtail's read-only admin API (Django REST framework): DRF checks CSRF itself",
        lambda response: response.status_code == 403 and b"CSRF Failed" in response.content,
    ),
}
# Values tried for each URL parameter, until the built path resolves back to the same view.
CANDIDATES = ("1", "x", "x/", "0a1b2c3d4e5f", str(uuid.UUID(int=1)), "x/y")


def csrf_refused(request, reason=""):
    response = HttpResponseForbidden("CSRF refused")
    response[MARKER] = reason or "refused"
    return response


def _view_name(callback) -> str:
    while isinstance(callback, functools.partial):
        callback = callback.func
    view = getattr(callback, "view_class", None) or callback
    return f"{view.__module__}.{view.__qualname__}"


def _paths():
    """One concrete path per (view, URL shape) in the URLconf, in the default language."""
    found, unreachable = {}, []
    for callback, shapes, converters in _leaves(get_resolver().url_patterns, [("", [])], {}):
        paths = [
            _concrete("/" + template, params, callback, converters) for template, params in shapes
        ]
        for path in filter(None, paths):
            found.setdefault(path, callback)
        if not any(paths):
            unreachable.append((_view_name(callback), shapes))
    # A pattern no candidate value reaches would go untested: widen CANDIDATES for it.
    assert not unreachable, unreachable
    return found


def _leaves(patterns, prefixes, converters):
    """(view, [(format string, parameter names)]) for every URL pattern, includes walked."""
    for pattern in patterns:
        # normalize() is how Django's reverse() turns a pattern's regex into format strings.
        shapes = [
            (prefix + shape, prefix_params + params)
            for prefix, prefix_params in prefixes
            for shape, params in normalize(pattern.pattern.regex.pattern)
        ]
        known = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            yield from _leaves(pattern.url_patterns, shapes, known)
        else:
            yield pattern.callback, shapes, known


def _candidates(converter) -> tuple[str, ...]:
    """CANDIDATES, plus the words a converter spells out (e.g. ``csv|xlsx``)."""
    words = str(getattr(converter, "regex", "")).strip("()").split("|")
    return CANDIDATES + tuple(word for word in words if re.fullmatch(r"[\w.-]+", word))


def _concrete(template: str, params: list[str], callback, converters) -> str | None:
    choices = [_candidates(converters.get(param)) for param in params]
    for values in itertools.product(*choices):
        path = template % dict(zip(params, values, strict=True))
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.func is callback or _view_name(match.func) == _view_name(callback):
            return path
    return None


@pytest.fixture
def signed_in_client(settings):
    settings.CSRF_FAILURE_VIEW = "tests.security.test_csrf.csrf_refused"
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_every_view_refuses_a_post_without_a_csrf_token(signed_in_client):
    paths = _paths()
    views = {_view_name(callback) for callback in paths.values()}
    # The enumeration reaches our views, Wagtail's admin and the page catch-all.
    for expected in (
        "courses.views.lesson_complete",
        "courses.admin_roster.confirm_view",
        "certificates.admin_views.cohort_issue_view",
        "certificates.views.verify",
        "lms.accounts.SignInView",
        "lms.accounts.SignOutView",
        "wagtail.views.serve",
    ):
        assert expected in views, expected
    assert len(paths) > 300, len(paths)

    let_through = {}
    for path, callback in sorted(paths.items()):
        for method in ("post", "put", "patch", "delete"):
            response = getattr(signed_in_client, method)(path)
            if response.has_header(MARKER):
                assert response.status_code == 403
            else:
                let_through.setdefault(_view_name(callback), []).append((method, path, response))
    unexplained = {}
    for view, hits in let_through.items():
        exemption = next((e for prefix, e in CSRF_EXEMPT.items() if view.startswith(prefix)), None)
        for method, path, response in hits:
            if exemption is None or not exemption[1](response):
                unexplained.setdefault(view, []).append((method, path, response.status_code))
    assert not unexplained, f"token-less requests these views did not refuse: {unexplained}"


def test_ours_are_all_checked(signed_in_client):
    """Our own views, listed: each is refused without a token, none is exempt but the API."""
    ours = {
        path: callback
        for path, callback in _paths().items()
        if _view_name(callback).startswith(OUR_MODULES)
    }
    assert len(ours) >= 30, sorted(ours)
    for path, callback in ours.items():
        response = signed_in_client.post(path, {"anything": "1"})
        assert response.has_header(MARKER), (path, _view_name(callback), response.status_code)


def test_the_same_post_with_a_token_passes_the_check(signed_in_client):
    """The marker means the CSRF check refused, not that every POST is refused."""
    signed_in_client.get("/verify/")  # a page with a form: sets the CSRF cookie
    token = signed_in_client.cookies["csrftoken"].value
    response = signed_in_client.post("/learning/lessons/999999/complete/", HTTP_X_CSRFTOKEN=token)
    assert not response.has_header(MARKER)
    assert response.status_code == 404  # the view ran: there is no such lesson
