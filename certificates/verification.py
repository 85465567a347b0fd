"""Public verification: finding a certificate by code, checking a QR link, rate limiting and
counting. Views, the JSON API and the ``verify_certificate`` command call these; uploaded PDFs
are checked by ``pdf_check``.
"""

import contextlib
import json
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from redis.exceptions import LockError, RedisError

from lms.redis_cache import cache_failed, cache_is_down

from . import signing
from .codes import CodeError, code_normalize
from .models import Certificate

CODE_TYPO = _(
    "This code has a typo: a letter or digit is wrong or two are swapped. "
    "Check it against the certificate and type it again."
)
CODE_LENGTH = _(
    "A certificate code has 14 letters and digits, like 7KQ2-M9XD-4RT8-VY. "
    "Check it against the certificate and type it again."
)
RATE_LIMITED = _("Too many checks from your connection. Please wait a minute and try again.")


def code_problem(typed: str) -> str | None:
    """The friendly message for a code that cannot be one (no database involved), or None."""
    try:
        code_normalize(typed)
    except CodeError as exc:
        return str(CODE_TYPO if str(exc) == "check symbol" else CODE_LENGTH)
    return None


def certificate_get(*, code: str) -> Certificate | None:
    """The certificate with this normalized code (what it replaces, or what replaced it, loads
    when asked: only re-issued and revoked certificates have them)."""
    # get(), not first(): codes are unique, and first()'s ORDER BY alone costs ~0.5 ms to
    # compile; joining the two related certificates on every request costs as much again.
    try:
        # The enrollment rides along: whether the holder may be named needs its learner.
        return Certificate.objects.select_related("enrollment").get(code=code)
    except Certificate.DoesNotExist:
        return None


# --- Counting verifications -------------------------------------------------------------------
# With Redis as the cache and a Celery beat running, a verification is one HINCRBY in a Redis
# hash (certificate id -> verifications not yet in the database) instead of an UPDATE and its
# commit on every request; ``verification_counts_flush_task`` moves the hash into
# ``Certificate.verification_count`` every ``VERIFICATION_FLUSH_SECONDS`` (the beat schedule), so
# the database lags by about that much. Without Redis or without a beat (the embedded defaults:
# file cache, tasks run in process) every verification is counted in the database at once.

PENDING_COUNTS_KEY = "certificates:verifications-pending"
VERIFICATION_FLUSH_SECONDS = 60


def _pending_counts():
    """(Redis client, hash key, key of a batch being flushed), or None: count in the database."""
    backend = caches["default"]
    if settings.CELERY_TASK_ALWAYS_EAGER or not isinstance(backend, RedisCache):
        return None
    key = backend.make_and_validate_key(PENDING_COUNTS_KEY)
    return backend._cache.get_client(write=True), key, f"{key}:flushing"


def certificate_count_verification(*, certificate: Certificate) -> None:
    """One more verification for the center's reports (atomic increments, no lost updates).

    When Redis cannot take it (down, or out of reach), the count goes to the database at once,
    as on the embedded defaults: a verification is never refused or lost for a counter
    (decision 0018)."""
    pending = _pending_counts()
    if pending is not None and not cache_is_down(caches["default"]):
        client, key, _flushing = pending
        try:
            client.hincrby(key, str(certificate.pk), 1)
            return
        except RedisError as error:
            cache_failed(caches["default"], error)
    Certificate.objects.filter(pk=certificate.pk).update(
        verification_count=F("verification_count") + 1
    )


def verification_counts_flush() -> int:
    """Add the verifications counted in Redis to the database; how many certificates changed.

    The pending hash is renamed to a batch key first, so requests meanwhile count into a new
    hash; the batch is deleted only after its transaction commits. A flush that dies before the
    commit leaves the batch for the next one (nothing is lost); one that dies between the commit
    and the delete (microseconds) would count that batch twice. A lock keeps flushes one at a time.
    """
    pending = _pending_counts()
    if pending is None:
        return 0
    client, key, flushing = pending
    lock = client.lock(f"{key}:lock", timeout=300)
    if not lock.acquire(blocking=False):
        return 0  # another flush is running
    try:
        if not client.exists(flushing):  # else: a batch an earlier flush left, first
            if not client.exists(key):
                return 0
            client.rename(key, flushing)
        counts = {int(pk): int(n) for pk, n in client.hgetall(flushing).items()}
        with transaction.atomic():
            for pk, n in sorted(counts.items()):
                Certificate.objects.filter(pk=pk).update(
                    verification_count=F("verification_count") + n
                )
        client.delete(flushing)
    finally:
        with contextlib.suppress(LockError):  # held past its timeout: released already
            lock.release()
    return len(counts)


def certificate_url(certificate: Certificate) -> str:
    return reverse("verify_certificate", kwargs={"code": certificate.code})


def qr_link(certificate: Certificate) -> str:
    """What the QR code carries: the public page, and after ``#`` the signed record, so an
    offline verifier can check it with the published key (the fragment never reaches a server)."""
    fragment = f"{signing.b64url(signing.canonical(certificate.payload))}.{certificate.signature}"
    return f"{settings.HUNAR_PUBLIC_URL}/verify/{certificate.code}/#{fragment}"


def certificate_names_holder(certificate: Certificate) -> bool:
    """May the public page, JSON and PDF show the holder's name? The rule is
    :func:`lms.consent.learner_may_be_named_publicly`; an erased learner's snapshot is marked."""
    from lms.consent import learner_may_be_named_publicly

    if certificate.snapshot.get("name_withheld"):
        return False
    return learner_may_be_named_publicly(user_id=certificate.enrollment.learner_id)


def certificate_public_data(certificate: Certificate) -> dict:
    """The public record as the JSON API gives it; the page shows the same values.

    Only what the certificate prints, its status and dates (and the file's hash and signing key
    to check a copy against). The revocation reason stays with staff (the certificates admin).
    The holder's name is None (and ``holder_name_withheld`` true) unless
    :func:`certificate_names_holder`.
    """
    snapshot = certificate.snapshot
    named = certificate_names_holder(certificate)
    revoked_on = timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None
    return {
        "code": certificate.code,
        "serial": certificate.serial,
        "status": "valid" if certificate.is_valid else "revoked",
        "learner_name": snapshot["learner_name"] if named else None,
        "holder_name_withheld": not named,
        "course": snapshot["course_title"],
        "hours": snapshot.get("hours"),
        "grade": None if snapshot.get("grade") is None else str(snapshot["grade"]),
        "center": {
            "name": snapshot["center_name"],
            "code": snapshot["center_code"],
            "district": snapshot["district"],
        },
        "issued_on": snapshot["issued_on"],
        "revoked_on": revoked_on.isoformat() if revoked_on else None,
        "pdf_sha256": certificate.pdf_sha256 or None,
        "kid": certificate.kid,
    }


# --- Rate limiting ----------------------------------------------------------------------------


def rate_limit_hit(request) -> int | None:
    """Count this request against its client's fixed one-minute window in the shared cache;
    the seconds to wait when over ``VERIFY_RATE_LIMIT_PER_MINUTE``, else None.

    The client is :func:`lms.client.client_network`: behind the load balancer each employer has
    a bucket of their own, and a forged ``X-Forwarded-For`` buys no new one.

    Fails open: while the shared cache is unreachable nobody is limited (a lookup is one indexed
    read of a public record, and codes are unguessable; decision 0018)."""
    from lms.client import client_network

    now = time.time()
    window = int(now // 60)
    count = _window_count(f"verify-rate:{client_network(request)}:{window}")
    if count is not None and count > settings.VERIFY_RATE_LIMIT_PER_MINUTE:
        return max(1, 60 - int(now % 60))
    return None


def _window_count(key: str) -> int | None:
    """Add one to a rate-limit window's counter (kept 90 s) and return it; None when the shared
    cache cannot count (Redis unreachable): each caller states whether that fails open or shut."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        if cache_is_down(backend):
            return None
        # One round trip (Django's add + incr take three: add, exists, incr).
        full_key = backend.make_and_validate_key(key)
        try:
            pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
            pipe.set(full_key, 0, ex=90, nx=True)
            pipe.incr(full_key)
            return pipe.execute()[1]
        except RedisError as error:
            cache_failed(backend, error)
            return None
    cache.add(key, 0, timeout=90)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        return 1


# --- Signed records (QR links, credentials) ---------------------------------------------------


class LinkError(ValueError):
    """Not a Hunar QR link: no ``#payload.signature`` fragment that decodes."""


@dataclass(frozen=True)
class SignedRecord:
    payload_bytes: bytes
    signature: str
    path_code: str | None = None

    @property
    def payload(self) -> dict:
        return json.loads(self.payload_bytes)


def qr_link_parse(link: str) -> SignedRecord:
    """Split ``<site>/verify/<code>/#<b64url payload>.<b64url signature>`` (or the fragment
    alone) into the exact signed bytes, the signature and the code in the path."""
    link = link.strip()
    fragment = link.split("#", 1)[1] if "#" in link else link
    parts = fragment.split(".")
    if len(parts) != 2 or not all(parts):
        raise LinkError("no signed record in this link")
    try:
        payload_bytes = signing.b64url_decode(parts[0])
        json.loads(payload_bytes)
        signing.b64url_decode(parts[1])
    except ValueError as exc:
        raise LinkError("the signed record does not decode") from exc
    match = re.search(r"/verify/([^/#?]+)", urlsplit(link).path) if "#" in link else None
    return SignedRecord(payload_bytes, parts[1], match.group(1) if match else None)


def published_keys(jwks: dict | None = None) -> dict[str, dict]:
    """The public keys by kid: from a JWKS document, or the database's."""
    keys = (jwks or signing.jwks())["keys"]
    return {key["kid"]: key for key in keys if key.get("crv") == "Ed25519"}


def signed_bytes_verify(payload_bytes: bytes, signature: str, public_x: str) -> bool:
    """Ed25519 over exactly these bytes (the canonical JSON as carried, not re-encoded)."""
    try:
        public = Ed25519PublicKey.from_public_bytes(signing.b64url_decode(public_x))
        public.verify(signing.b64url_decode(signature), payload_bytes)
    except (InvalidSignature, ValueError):
        return False
    return True


def record_problem(record: SignedRecord, keys: dict[str, dict]) -> str | None:
    """Why a signed record is not genuine, or None when its signature verifies."""
    try:
        payload = record.payload
    except ValueError:
        return "the signed record is not JSON"
    if not isinstance(payload, dict):
        return "the signed record is not an object"
    key = keys.get(payload.get("kid"))
    if key is None:
        return f"unknown key {payload.get('kid')!r}"
    if not signed_bytes_verify(record.payload_bytes, record.signature, key["x"]):
        return "the signature does not match"
    if record.path_code is not None:
        path_code = None if code_problem(record.path_code) else code_normalize(record.path_code)
        if path_code != payload.get("code"):
            return "the link's code is not the signed code"
    return None
