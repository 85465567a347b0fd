"""Sign-in protection that fits a lab: a per-username throttle, whatever the address.

Forty pupils sign in from one address, so nothing here counts by address alone. Each username
has a token bucket of wrong passwords, shared by every address: ``SIGNIN_USERNAME_BURST`` tries
at once, then one every ``3600 / SIGNIN_USERNAME_TRIES_PER_HOUR`` seconds. A try takes a token
*before* the password is checked (so parallel requests cannot all slip through); a successful
sign-in empties the username's record. With no token left the password is not checked at all
and the learner is told how long to wait, which is never longer than one interval after the
last wrong password. Why this shape: docs/decisions/0006-sign-in-protection.md.

django-axes still runs first, per username + address (:data:`AXES_LOCKOUT_PARAMETERS`), and this
module renders its lockout page too (:func:`lockout_response`).
"""

import hashlib
import logging
import math
import time

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Greatest
from django.shortcuts import render
from django.utils import timezone

from .client import client_address
from .models import SignInThrottle

log = logging.getLogger(__name__)

LOCKOUT_TEMPLATE = "registration/locked_out.html"


def signin_interval_ms() -> int:
    """Milliseconds for one token to come back."""
    return math.ceil(3_600_000 / settings.SIGNIN_USERNAME_TRIES_PER_HOUR)


def signin_try_take(*, username: str) -> int:
    """Take one try from ``username``'s bucket: 0 if taken (go on and check the password),
    else the seconds until a try comes back (nothing was taken; the password must not be
    checked). Atomic: one conditional UPDATE, so concurrent requests cannot overspend."""
    key = _key(username)
    interval = signin_interval_ms()
    for _attempt in range(3):
        now = _now_ms()
        # Full again later than this: fewer than one token left.
        latest = now + (settings.SIGNIN_USERNAME_BURST - 1) * interval
        taken = SignInThrottle.objects.filter(key=key, full_at_ms__lte=latest).update(
            full_at_ms=Greatest(F("full_at_ms"), Value(now)) + interval
        )
        if taken:
            return 0
        full_at = SignInThrottle.objects.filter(key=key).values_list("full_at_ms", flat=True)
        full_at = full_at.first()
        if full_at is not None:
            return max(1, math.ceil((full_at - latest) / 1000))
        # A full bucket has no row: clear out rows that are full again, then start this one.
        SignInThrottle.objects.filter(full_at_ms__lt=now).delete()
        try:
            with transaction.atomic():
                SignInThrottle.objects.create(key=key, full_at_ms=now + interval)
            return 0
        except IntegrityError:  # another request started it first: take from that row
            continue
    return max(1, interval // 1000)


def signin_throttle_clear(*, username: str) -> None:
    """Forget ``username``'s wrong passwords (a successful sign-in, a one-time password)."""
    SignInThrottle.objects.filter(key=_key(username)).delete()


class SignInThrottleBackend:
    """An authentication backend that authenticates nobody: placed before ModelBackend, it
    takes a try from the username's bucket and refuses the attempt when none is left."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        wait = signin_try_take(username=username)
        if not wait:
            return None
        if request is not None:
            log.warning(
                "Sign-in refused: too many wrong passwords for one username (client %s).",
                client_address(request),
            )
            request.hunar_signin_wait = wait
            # AxesMiddleware then answers with lockout_response (AXES_LOCKOUT_CALLABLE), and the
            # refused try is not recorded as a failure (AXES_RESET_COOL_OFF_ON_FAILURE_...).
            request.axes_locked_out = True
        raise PermissionDenied

    # No get_user on purpose: it signs nobody in, and Django's test client (force_login) takes
    # the first backend that has one as the session's backend.


def signin_throttle_clear_on_sign_in(sender, request=None, user=None, **kwargs):
    """``user_logged_in`` receiver: the owner got in, so their earlier typos no longer count."""
    if user is not None:
        signin_throttle_clear(username=user.get_username())


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the lockout page, saying how long this learner must wait."""
    username = get_client_username(request, credentials) or ""
    wait = max(getattr(request, "hunar_signin_wait", 0), _axes_wait(request, username), 1)
    context = {"username": username, "wait_seconds": wait, "wait_minutes": math.ceil(wait / 60)}
    response = render(request, LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(wait)
    return response


def _axes_wait(request, username: str) -> int:
    """Seconds until django-axes lifts its username + address lock (0 if none)."""
    cool_off = get_cool_off(request)
    ip_address = getattr(request, "axes_ip_address", None)
    if cool_off is None or not username:
        return 0
    latest = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    if latest is None:
        return 0
    return max(0, math.ceil((latest + cool_off - timezone.now()).total_seconds()))


def _key(username: str) -> str:
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()


def _now_ms() -> int:
    return int(time.time() * 1000)
