"""Use-cases of lab nodes on the programme's server: enrol, revoke, receive an upload."""

import dataclasses
import datetime
import hashlib
import json
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EnrolmentToken, Node, UploadBatch

TOKEN_LIFETIME = datetime.timedelta(hours=48)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enrolment_token_create(*, center, created_by=None) -> str:
    """A new one-time token for ``center``; only its hash is stored, so show it now or never."""
    token = secrets.token_urlsafe(24)
    EnrolmentToken.objects.create(
        center=center,
        token_hash=_hash(token),
        expires_at=timezone.now() + TOKEN_LIFETIME,
        created_by=created_by,
    )
    return token


@transaction.atomic
def node_enrol(*, token: str, public_key: str, name: str) -> Node:
    """Exchange a one-time token for a Node bound to the token's center."""
    found = (
        EnrolmentToken.objects.select_for_update()
        .select_related("center")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if found is None or found.used_at is not None or found.expires_at <= timezone.now():
        raise PermissionDenied(_("This enrolment token is unknown, used or expired."))
    if not public_key or len(public_key) != 43:
        raise ValidationError(_("A node's public key is 32 bytes, base64url."))
    if Node.objects.filter(public_key=public_key).exists():
        raise ValidationError(_("This key is already registered."))
    node = Node.objects.create(
        center=found.center, public_key=public_key, name=(name or found.center.code)[:200]
    )
    found.used_at = timezone.now()
    found.node = node
    found.save(update_fields=["used_at", "node"])
    return node


def node_revoke(*, node: Node) -> None:
    """Stop a node's syncs from its next request on (its key is refused with 403)."""
    if node.revoked_at is None:
        Node.objects.filter(pk=node.pk).update(revoked_at=timezone.now())
        node.refresh_from_db()


def node_synced(*, node: Node) -> None:
    Node.objects.filter(pk=node.pk).update(last_sync_at=timezone.now())


def _result_dict(result) -> dict:
    if isinstance(result, dict):
        return result
    if dataclasses.is_dataclass(result):
        return dataclasses.asdict(result)
    return {"counts": getattr(result, "counts", {})}


def upload_receive(
    *, node: Node, batch_id, payload, files: dict, size_bytes: int
) -> tuple[dict, bool]:
    """Apply one batch of records for the node's center, once: (result, was it a replay).

    The batch row and the records it carries commit together, so a batch either left no trace
    (and is applied when sent again) or is known (and sending it again returns the same answer).
    records_apply refuses any record of another center (sync.records_apply.RecordRefused).
    """
    from .records import records_count
    from .records_apply import records_apply

    done = UploadBatch.objects.filter(batch_id=batch_id).first()
    if done is not None:
        if done.node_id != node.pk:
            raise PermissionDenied(_("This batch id belongs to another node."))
        return done.result, True
    try:
        with transaction.atomic():
            result = _result_dict(records_apply(center=node.center, payload=payload, files=files))
            UploadBatch.objects.create(
                batch_id=batch_id,
                node=node,
                size_bytes=size_bytes,
                record_count=records_count(payload),
                result=json.loads(json.dumps(result, cls=DjangoJSONEncoder)),
            )
    except IntegrityError:
        # The same batch, sent twice at once: the other request applied it.
        done = UploadBatch.objects.filter(batch_id=batch_id, node=node).first()
        if done is None:
            raise
        return done.result, True
    node_synced(node=node)
    return result, False
