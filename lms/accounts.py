"""Accounts on shared lab computers: sign-in, sign-out, password change and reset.

Learners sign in at ``/accounts/login/`` (``/ur/accounts/login/`` in Urdu). A learner who forgot
a password either resets it by e-mail or asks the center, whose manager gives a one-time
password (:func:`learner_password_reset_by_center`) that must be changed at the next sign-in;
the password itself comes from :mod:`lms.people`, the one generator.

The session carries two small pieces of state so that the middleware in :mod:`lms.middleware`
never has to query the database on an ordinary request: when the user was last active, and
whether they still have to change a one-time password. Both are written at sign-in by
:func:`session_start_on_sign_in`, a ``user_logged_in`` receiver.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.shortcuts import resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import languages, people, permissions, roles, signin
from .models import LearnerProfile

# --- User-facing messages ---------------------------------------------------------------------

IDLE_SIGNED_OUT = ngettext_lazy(
    "You were signed out after %(minutes)d minute without activity.",
    "You were signed out after %(minutes)d minutes without activity.",
    "minutes",
)
SIGNED_OUT = _("You have signed out. The next person can sign in now.")

# --- Session state ----------------------------------------------------------------------------

# Unix time (whole seconds) of the last request that refreshed it.
SESSION_LAST_ACTIVITY = "hunar.last_activity"
# [user id as stored under SESSION_KEY, must change password?]: tied to the user it was read for.
SESSION_MUST_CHANGE_PASSWORD = "hunar.must_change_password"  # noqa: S105 (a key, not a secret)
SIGN_IN_RECEIVER_UID = "lms.accounts.session_start_on_sign_in"


class AccountError(Exception):
    """Base class of the account errors."""


class LearnerPasswordResetRefused(AccountError):
    """The user may not give this account a one-time password (shown as a 404)."""


# --- Selectors and services -------------------------------------------------------------------


def user_must_change_password(*, user_id) -> bool:
    return LearnerProfile.objects.filter(user_id=user_id, must_change_password=True).exists()


def learner_password_reset_allowed(*, manager, learner_user) -> bool:
    """May ``manager`` give ``learner_user`` a one-time password?

    Only a manager of the learner's home center may, and only for a plain learner account: an
    account that can reach the admin (staff, superuser, trainer, manager) is never reset this
    way, or a manager could take over an account more powerful than their own.
    """
    if manager is None or learner_user is None or manager.pk == learner_user.pk:
        return False
    profile = LearnerProfile.objects.select_related("home_center").filter(user=learner_user)
    profile = profile.first()
    if profile is None or not permissions.can_manage_center(manager, profile.home_center):
        return False
    if learner_user.is_staff or learner_user.is_superuser:
        return False
    # Checked on the rows rather than with has_perm, which says no for an inactive account.
    return not (
        learner_user.center_roles.exists()
        or learner_user.groups.exclude(name=roles.LEARNER).exists()
        or learner_user.user_permissions.exists()
    )


@transaction.atomic
def learner_password_reset_by_center(*, manager, learner_user) -> str:
    """Give the learner a new one-time password and return it; it is stored only hashed.

    The learner must change it at the next sign-in. Any sign-in lockout or throttle on the
    learner's username is lifted, so the new password works at once; the learner's other
    sessions end, because their password hash changed.

    Raises :class:`LearnerPasswordResetRefused` unless
    :func:`learner_password_reset_allowed`.
    """
    if not learner_password_reset_allowed(manager=manager, learner_user=learner_user):
        raise LearnerPasswordResetRefused
    password = people.user_one_time_password_set(user=learner_user)
    _lockouts_clear(username=learner_user.get_username())
    return password


def learner_password_change_done(*, user) -> None:
    """The user chose a password of their own: drop the one-time password requirement."""
    LearnerProfile.objects.filter(user=user, must_change_password=True).update(
        must_change_password=False
    )


def _lockouts_clear(*, username: str) -> None:
    from axes.utils import reset

    reset(username=username)
    signin.signin_throttle_clear(username=username)


# --- Session helpers (used by lms.middleware) -------------------------------------------------


def session_touch(request, now: int | None = None) -> None:
    request.session[SESSION_LAST_ACTIVITY] = int(time.time()) if now is None else now


def session_must_change_password(request) -> bool:
    """Read from the session; only the first request of a session without the flag queries."""
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return False
    state = request.session.get(SESSION_MUST_CHANGE_PASSWORD)
    if not state or state[0] != user_id:
        state = [user_id, user_must_change_password(user_id=user_id)]
        request.session[SESSION_MUST_CHANGE_PASSWORD] = state
    return bool(state[1])


def session_password_changed(request) -> None:
    user_id = request.session.get(SESSION_KEY)
    if user_id is not None:
        request.session[SESSION_MUST_CHANGE_PASSWORD] = [user_id, False]


def session_start_on_sign_in(sender, request=None, user=None, **kwargs):
    """``user_logged_in`` receiver: start the idle clock and read the one-time-password flag."""
    if request is None or not hasattr(request, "session") or user is None:
        return
    session_touch(request)
    request.session[SESSION_MUST_CHANGE_PASSWORD] = [
        request.session.get(SESSION_KEY, user._meta.pk.value_to_string(user)),
        user_must_change_password(user_id=user.pk),
    ]


# --- Forms ------------------------------------------------------------------------------------


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with input hints for shared lab keyboards and phones, and labels
    and errors of our own: Django's Urdu catalogue words them differently from our glossary
    (docs/glossary.md)."""

    error_messages = {
        "invalid_login": _(
            "Your username and password did not match. Both are case-sensitive: check them "
            "and try again."
        ),
        "inactive": _("This account is not active. Ask your center for help."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}
        )


# --- Views ------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """After sign-in a learner lands in their preferred language: the ``next`` page (or the
    dashboard) at that language's URL, with the language cookie set for the non-prefixed
    views."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        language = languages.learner_language_get(user=form.get_user())
        self._signed_in_language = language
        self._signed_in_user = form.get_user()
        response = super().form_valid(form)
        if language:
            languages.language_cookie_set(response, language)
        return response

    def get_success_url(self):
        url = super().get_success_url()
        user = getattr(self, "_signed_in_user", None)
        if user is not None and not self.get_redirect_url() and user.has_perm(roles.ACCESS_ADMIN):
            # Staff who sign in on the public form came to work: the admin, not "My learning".
            return reverse("wagtailadmin_home")
        language = getattr(self, "_signed_in_language", None)
        if not language:
            return url
        # get_success_url already refused a foreign ``next``; only its language changes.
        with translation.override(language):
            default = resolve_url(settings.LOGIN_REDIRECT_URL)
        if not self.get_redirect_url():
            return default
        return languages.url_in_language(url=url, language=language)


class SignOutView(auth_views.LogoutView):
    """POST only (Django 5). ``logout`` flushes the session: its data goes and its key changes,
    so the old cookie no longer signs anyone in. The CSRF token changes too, so the next person
    at the computer starts clean; they land on the sign-in page."""

    next_page = "login"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        rotate_token(request)
        messages.info(request, SIGNED_OUT)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["must_change_password"] = session_must_change_password(self.request)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        learner_password_change_done(user=form.user)
        session_password_changed(self.request)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Sends a reset link to every active account with this e-mail; says the same either way."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        learner_password_change_done(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


# Connected here, at import, so it holds from start-up: ``lms.wagtail_hooks`` imports this module
# (through ``admin_accounts``) when Wagtail loads its hooks. The dispatch_uid makes a second
# connection from ``LmsConfig.ready`` harmless.
user_logged_in.connect(session_start_on_sign_in, dispatch_uid=SIGN_IN_RECEIVER_UID)
user_logged_in.connect(
    signin.signin_throttle_clear_on_sign_in, dispatch_uid="lms.signin.signin_throttle_clear"
)
