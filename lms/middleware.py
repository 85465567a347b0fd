"""Session safety on shared lab computers: an idle timeout and a forced password change.

Both read only the session, which the authentication middleware loads anyway, so an ordinary
request costs no extra query. The session is written at most once a minute by the idle clock.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url

from . import accounts

# The idle clock is only written when it is at least this old: one session save a minute.
LAST_ACTIVITY_RESOLUTION = 60


def _signed_in(request) -> bool:
    """Is there a signed-in user, judged from the session alone (no user query)?

    A request without a session cookie is anonymous without loading anything.
    """
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return False
    return SESSION_KEY in session


def _wants_html_page(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return False
    accept = request.headers.get("accept", "")
    return not accept or "text/html" in accept or "*/*" in accept


class SessionIdleTimeoutMiddleware:
    """Ends a session after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

    An expired page request is sent to the sign-in page with a message; any other request goes
    on as anonymous (a view that needs a user answers as it does for anyone signed out).
    Anonymous sessions are never touched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request):
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        now = int(time.time())
        last = request.session.get(accounts.SESSION_LAST_ACTIVITY)
        if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            messages.info(request, accounts.IDLE_SIGNED_OUT % {"minutes": minutes})
            if _wants_html_page(request):
                login_url = resolve_url(settings.LOGIN_URL)
                if request.path == login_url:
                    return redirect(login_url)
                return redirect_to_login(request.get_full_path(), login_url)
            return None
        if last is None or now - last >= LAST_ACTIVITY_RESOLUTION:
            accounts.session_touch(request, now)
        return None


class ForcePasswordChangeMiddleware:
    """Sends a learner with a one-time password to the change-password page first.

    Every request (the Wagtail admin too) is redirected there, except the page itself, signing
    out, changing language, static and media files and the health check.
    """

    exempt_url_names = frozenset(
        {
            "password_change",
            "password_change_done",
            "logout",
            "wagtailadmin_logout",
            "set_language",
            "healthz",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _signed_in(request):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.exempt_url_names:
            return None
        if request.path.startswith(self._exempt_prefixes()):
            return None
        if not accounts.session_must_change_password(request):
            return None
        return redirect("password_change")

    @staticmethod
    def _exempt_prefixes() -> tuple[str, ...]:
        # A MEDIA_URL on another host (S3) never reaches Django, so only paths count here.
        prefixes = (settings.STATIC_URL, settings.MEDIA_URL, "/healthz")
        return tuple(p for p in prefixes if p and p.startswith("/"))


class LearnerAdminMiddleware:
    """A signed-in learner who opens the admin gets a page pointing to "My learning".

    Wagtail would send them to its own sign-in form with "you do not have permission", which
    reads as if their password were wrong. Staff (anyone with admin access) pass through, and a
    visitor who is not signed in gets Wagtail's sign-in form as before. Only admin paths pay for
    the permission check.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After ForcePasswordChangeMiddleware: a one-time password is changed first.
        if self.admin_prefix is None:
            from django.urls import reverse

            self.admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(self.admin_prefix) or not request.user.is_authenticated:
            return None
        from django.shortcuts import render

        from .roles import ACCESS_ADMIN

        if request.user.has_perm(ACCESS_ADMIN):
            return None
        from django.utils import translation

        from .languages import learner_language_get

        # /admin/ has no language prefix, so Django reads it in the default language: the page
        # (and its link to "My learning") speaks the learner's own language instead.
        language = learner_language_get(user=request.user) or translation.get_language()
        with translation.override(language):
            return render(request, "lms/not_staff.html", status=403)
