"""Use-cases on a lab node: set it up against its upstream, and sync both ways.

One sync sends first (a batch of the records made here since the last acknowledged one, kept on
disk under its id until the server acknowledges it, so a sync killed mid-upload sends the same
batch again and the server's UploadBatch makes the replay a no-op), then receives (each snapshot
whose hash changed, applied in one transaction and only then remembered).
"""

import base64
import gzip
import json
import platform
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from . import snapshot
from .auth import key_generate
from .client import Link, LinkDown, key_path, upstream_check
from .models import NodeState


class NodeSetupError(Exception):
    pass


@dataclass
class SyncSummary:
    sent: int = 0
    received: int = 0
    conflicts: int = 0
    # Rows from upstream that clashed with one made here (a session the trainer opened
    # offline, say): the node keeps its own, whose records went up.
    kept_local: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    files: int = 0
    online: bool = True
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def node_state() -> NodeState | None:
    return NodeState.objects.select_related("center").first()


def _outbox() -> Path:
    path = Path(settings.SYNC_NODE_DIR) / "outbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def record_count(payload) -> int:
    from .records import records_count

    return records_count(payload)


def node_setup(*, upstream: str, token: str, name: str = "") -> SyncSummary:
    """Register this machine with its upstream and pull everything its center needs."""
    upstream = upstream_check(upstream)
    if NodeState.objects.exists():
        raise NodeSetupError("This node is already set up (see `manage.py node_sync`).")
    link = Link(upstream)
    public_key = key_generate(key_path())
    answer = link.register(token=token, public_key=public_key, name=name or platform.node())
    snapshot.node_sequences_raise()
    NodeState.objects.create(upstream=upstream, node_id=answer["node"])
    settings_file = Path(settings.SYNC_NODE_DIR) / "node.json"
    settings_file.write_text(
        json.dumps({"upstream": upstream, "node": answer["node"], "center": answer["center"]})
    )
    summary = node_sync(link=link)
    if not summary.online:
        raise NodeSetupError(f"Registered, but the first sync failed: {summary.error}")
    return summary


def _files_of(payload) -> dict:
    """The project files a payload's responses name, base64, to travel with it."""
    from .records import records_files

    files = {}
    for ref, name in records_files(payload).items():
        with storages["private"].open(name, "rb") as handle:
            files[ref] = base64.b64encode(handle.read()).decode("ascii")
    return files


def _up(state: NodeState, link: Link, summary: SyncSummary) -> None:
    from .records import records_collect

    if state.pending_batch_id is None:
        payload = records_collect(center=state.center, since=state.up_cursor or None)
        count = record_count(payload)
        if count == 0:
            state.up_cursor = payload.get("cursor") or state.up_cursor
            state.records_waiting = 0
            state.save(update_fields=["up_cursor", "records_waiting"])
            return
        batch_id = uuid.uuid4()
        body = json.dumps(
            {"batch": str(batch_id), "payload": payload, "files": _files_of(payload)},
            cls=DjangoJSONEncoder,
            separators=(",", ":"),
        )
        temporary = _outbox() / f"{batch_id}.tmp"
        temporary.write_bytes(gzip.compress(body.encode(), 9))
        temporary.rename(_outbox() / f"{batch_id}.json.gz")
        state.pending_batch_id, state.pending_cursor = batch_id, payload.get("cursor") or ""
        state.records_waiting = count
        state.save(update_fields=["pending_batch_id", "pending_cursor", "records_waiting"])
    path = _outbox() / f"{state.pending_batch_id}.json.gz"
    answer = link.up(path.read_bytes())
    result = answer.get("result") or {}
    # Submitted attempts that came again with other answers: the server's copy stays.
    summary.conflicts += len(result.get("ignored") or [])
    # Sent: the records the server took as new or changed (a record sent again, as the
    # collector's settle margin or a replayed batch does, changes nothing and counts 0).
    if not answer.get("replayed"):
        counts = result.get("counts")
        summary.sent += sum(counts.values()) if counts else state.records_waiting
    state.up_cursor, state.pending_batch_id = state.pending_cursor, None
    state.pending_cursor, state.records_waiting = "", 0
    state.save(update_fields=["up_cursor", "pending_batch_id", "pending_cursor", "records_waiting"])
    path.unlink(missing_ok=True)


def _down(state: NodeState, link: Link, summary: SyncSummary) -> None:
    for part in snapshot.PARTS:
        held = state.down_hashes.get(part)
        digest, body = link.down(part, held)
        if body is None:
            continue
        stats = snapshot.snapshot_apply(part, body, first=held is None)
        summary.received += stats["saved"]
        summary.kept_local += stats["kept_local"]
        if part == "curriculum":
            summary.files += _files_fetch(link, json.loads(body))
            from content.page_cache import content_changed

            content_changed()
        if part == "center" and state.center_id is None:
            rows = json.loads(body)
            center_pk = next(row["pk"] for row in rows if row["model"] == "lms.center")
            state.center_id = center_pk
            state.save(update_fields=["center"])
        state.down_hashes = {**state.down_hashes, part: digest}
        state.save(update_fields=["down_hashes"])
    snapshot.node_sequences_raise()


def _files_fetch(link: Link, rows: list[dict]) -> int:
    documents = get_document_model()._meta.label_lower
    fetched = 0
    for row in rows:
        if "file" not in row["fields"] or row["model"] not in {
            documents,
            "wagtailimages.image",
        }:
            continue
        name = row["fields"]["file"]
        storage = storages["private"] if row["model"] == documents else default_storage
        if storage.exists(name):
            continue
        storage.save(name, ContentFile(link.file(name)))
        fetched += 1
    return fetched


def node_sync(*, link: Link | None = None) -> SyncSummary:
    """One sync both ways; when the link is down, remember since when and what waits."""
    state = node_state()
    if state is None:
        raise NodeSetupError("This machine is not a node yet: run `manage.py node_setup`.")
    link = link or Link(state.upstream, str(state.node_id))
    link.node_id = str(state.node_id)
    summary = SyncSummary()
    try:
        if state.center_id is not None:
            _up(state, link, summary)
        _down(state, link, summary)
    except LinkDown as error:
        summary.online, summary.error = False, str(error)
        _offline(state, str(error))
    else:
        state.offline_since, state.last_error = None, ""
        state.last_sync_at = timezone.now()
        state.save(update_fields=["offline_since", "last_error", "last_sync_at"])
    summary.bytes_sent, summary.bytes_received = link.bytes_sent, link.bytes_received
    return summary


def _offline(state: NodeState, error: str) -> None:
    from .records import records_collect

    state.refresh_from_db()
    if state.offline_since is None:
        state.offline_since = timezone.now()
    waiting = state.records_waiting if state.pending_batch_id else 0
    if state.center_id is not None and state.pending_batch_id is None:
        waiting = record_count(records_collect(center=state.center, since=state.up_cursor or None))
    state.records_waiting = waiting
    state.last_error = error[:500]
    with transaction.atomic():
        state.save(update_fields=["offline_since", "records_waiting", "last_error"])
