"""Signed requests between a node and the programme's server.

Every request after registration carries four headers: the node's id, a timestamp, a random
nonce and an Ed25519 signature (the node's own key) over::

    METHOD \\n PATH \\n TIMESTAMP \\n NONCE \\n SHA-256(BODY)

The server accepts a signature only within ``SYNC_REPLAY_WINDOW`` seconds of its own clock and
only once (the nonce is remembered in the shared cache for the window), from a node that is not
revoked. Keys are raw 32-byte Ed25519, base64url, as ``certificates.signing`` writes them.
"""

import hashlib
import secrets
import time
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from certificates.signing import b64url, b64url_decode

HEADER_NODE = "X-Hunar-Node"
HEADER_TIME = "X-Hunar-Timestamp"
HEADER_NONCE = "X-Hunar-Nonce"
HEADER_SIGNATURE = "X-Hunar-Signature"


class SignatureRefused(Exception):
    """The request is not signed by a known, unrevoked node within the window."""

    def __init__(self, message: str, *, status: int = 401):
        super().__init__(message)
        self.status = status


def replay_window() -> int:
    return getattr(settings, "SYNC_REPLAY_WINDOW", 300)


def message(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, timestamp, nonce, digest]).encode()


def key_generate(path: Path) -> str:
    """Write a new private key (PEM, mode 0600) and return its public half, base64url."""
    private = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    return public_key_of(private)


def public_key_of(private: Ed25519PrivateKey) -> str:
    return b64url(
        private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    )


def key_load(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key.")
    return key


def headers_sign(
    *, key: Ed25519PrivateKey, node_id: str, method: str, path: str, body: bytes
) -> dict:
    timestamp = str(int(time.time()))
    nonce = secrets.token_urlsafe(16)
    signature = key.sign(message(method, path, timestamp, nonce, body))
    return {
        HEADER_NODE: node_id,
        HEADER_TIME: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: b64url(signature),
    }


def request_verify(request):
    """The Node that signed this request, or SignatureRefused (401, or 403 when revoked)."""
    from .models import Node

    node_id = request.headers.get(HEADER_NODE, "")
    timestamp = request.headers.get(HEADER_TIME, "")
    nonce = request.headers.get(HEADER_NONCE, "")
    signature = request.headers.get(HEADER_SIGNATURE, "")
    if not (node_id and timestamp.isdigit() and nonce and signature) or len(nonce) > 64:
        raise SignatureRefused("Missing or malformed signature headers.")
    if abs(time.time() - int(timestamp)) > replay_window():
        raise SignatureRefused("The request's timestamp is outside the replay window.")
    try:
        node = Node.objects.select_related("center").get(public_id=node_id)
    except (Node.DoesNotExist, ValidationError, ValueError):  # a malformed uuid too
        raise SignatureRefused("Unknown node.") from None
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(node.public_key))
    try:
        public.verify(
            b64url_decode(signature),
            message(request.method, request.path, timestamp, nonce, request.body),
        )
    except (InvalidSignature, ValueError):
        raise SignatureRefused("Bad signature.") from None
    if node.is_revoked:
        raise SignatureRefused("This node has been revoked.", status=403)
    if not cache.add(f"sync-nonce:{node.pk}:{nonce}", 1, timeout=2 * replay_window()):
        raise SignatureRefused("This request was already received (replay).")
    Node.objects.filter(pk=node.pk).update(last_seen_at=timezone.now())
    return node
