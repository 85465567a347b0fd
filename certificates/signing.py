"""Ed25519 signatures over RFC 8785 canonical JSON, and the keys that make them.

Private keys live outside the database, one PEM file per key id in ``CERTIFICATE_KEY_DIR``
(or a single key in the ``CERTIFICATE_SIGNING_KEY`` environment variable, PEM text, whose key id
is ``CERTIFICATE_SIGNING_KEY_ID``). The database holds only public keys with their validity
windows (``SigningKey``), which are published as a JWKS so anyone can verify offline.
"""

import base64
import datetime
from pathlib import Path

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone


class SigningKeyMissing(RuntimeError):
    """No current signing key, or its private half is not where the settings say."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(payload: dict) -> bytes:
    """RFC 8785 (JCS) bytes: the same object always gives the same bytes, in any language."""
    return rfc8785.dumps(payload)


def _key_dir() -> Path:
    return Path(settings.CERTIFICATE_KEY_DIR)


def _private_key(kid: str) -> Ed25519PrivateKey:
    pem = None
    if settings.CERTIFICATE_SIGNING_KEY and kid == settings.CERTIFICATE_SIGNING_KEY_ID:
        pem = settings.CERTIFICATE_SIGNING_KEY.encode()
    else:
        path = _key_dir() / f"{kid}.pem"
        if path.exists():
            pem = path.read_bytes()
    if pem is None:
        raise SigningKeyMissing(f"The private key {kid!r} is not in {_key_dir()}.")
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyMissing(f"The key {kid!r} is not an Ed25519 key.")
    return key


def current_key():
    from .models import SigningKey

    key = SigningKey.objects.filter(retired_at__isnull=True).order_by("-created_at").first()
    if key is None:
        raise SigningKeyMissing(
            "No signing key yet: run `python manage.py certificate_keys generate`."
        )
    return key


def sign(payload: dict, kid: str) -> str:
    """The base64url Ed25519 signature of the canonical payload."""
    return b64url(_private_key(kid).sign(canonical(payload)))


def verify(payload: dict, signature: str, public_x: str) -> bool:
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(public_x))
    try:
        public.verify(b64url_decode(signature), canonical(payload))
    except (InvalidSignature, ValueError):
        return False
    return True


@transaction.atomic
def key_generate(*, retire_current: bool = False):
    """Create a key pair: private PEM to the key directory, public half to the database."""
    from .models import SigningKey

    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    now = timezone.now()
    kid = f"hunar-{now:%Y%m%d}-{b64url(public_raw)[:8]}"
    directory = _key_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"{kid}.pem"
    path.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    if retire_current:
        SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=now)
    return SigningKey.objects.create(kid=kid, public_x=b64url(public_raw), created_at=now)


def jwks() -> dict:
    """Every public key, current and retired, with its validity window."""
    from .models import SigningKey

    def window(moment: datetime.datetime | None) -> int | None:
        return int(moment.timestamp()) if moment else None

    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "kid": key.kid,
                "x": key.public_x,
                "use": "sig",
                "alg": "EdDSA",
                "nbf": window(key.created_at),
                "exp": window(key.retired_at),
            }
            for key in SigningKey.objects.order_by("created_at")
        ]
    }
