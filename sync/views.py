"""The sync API under /api/sync/v1/: register, status, down, file, up (decision 0023).

Every view but register takes a request signed by a node (sync.auth) and answers only about
that node's center; the views stay thin and call sync.services and sync.snapshot.
"""

import base64
import gzip
import json
import mimetypes
import uuid
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import services, snapshot
from .auth import SignatureRefused, request_verify

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def signed(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            node = request_verify(request)
        except SignatureRefused as refused:
            return _error(str(refused), refused.status)
        return view(request, node, *args, **kwargs)

    return csrf_exempt(wrapper)


@csrf_exempt
@require_POST
def register(request):
    try:
        data = json.loads(request.body)
        node = services.node_enrol(
            token=str(data.get("token", "")),
            public_key=str(data.get("public_key", "")),
            name=str(data.get("name", "")),
        )
    except (ValueError, AttributeError):
        return _error("Send JSON with token, public_key and name.", 400)
    except PermissionDenied as refused:
        return _error(str(refused), 403)
    except ValidationError as invalid:
        return _error(" ".join(invalid.messages), 400)
    return JsonResponse(
        {"node": str(node.public_id), "center": node.center.code, "name": node.name},
        status=201,
    )


@signed
@require_GET
def status(request, node):
    return JsonResponse(
        {
            "node": str(node.public_id),
            "center": node.center.code,
            "last_sync": node.last_sync_at.isoformat() if node.last_sync_at else None,
        }
    )


@signed
@require_GET
def down(request, node, part):
    """One snapshot, gzip-compressed, or {"unchanged": true} when the node already holds it."""
    if part not in snapshot.PARTS:
        return _error("Unknown part.", 404)
    digest, body = snapshot.snapshot(part, node.center)
    if request.GET.get("since") == digest:
        return JsonResponse({"unchanged": True, "hash": digest})
    response = HttpResponse(gzip.compress(body, 6), content_type="application/json")
    response["Content-Encoding"] = "gzip"
    response["X-Hunar-Hash"] = digest
    return response


@signed
@require_GET
def file(request, node):
    """The original of an image or document the center's curriculum names, and nothing else."""
    name = request.GET.get("name", "")
    where = snapshot.file_allowed(name, node.center)
    if where is None:
        return _error("Not a file of this center's curriculum.", 404)
    storage = storages[where]
    if not storage.exists(name):
        return _error("The file is missing on the server.", 404)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(storage.open(name, "rb"), content_type=content_type)


@signed
@require_POST
def up(request, node):
    """A batch of records: {"batch": uuid, "payload": {...}, "files": {ref: base64}}, gzip."""
    from .records_apply import RecordRefused

    body = request.body
    if len(body) > MAX_UPLOAD_BYTES:
        return _error("Batch too large.", 413)
    try:
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        data = json.loads(body)
        batch_id = uuid.UUID(str(data["batch"]))
        payload = data["payload"]
        files = {ref: base64.b64decode(text) for ref, text in (data.get("files") or {}).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return _error("Send gzip JSON with batch and payload.", 400)
    try:
        result, replayed = services.upload_receive(
            node=node,
            batch_id=batch_id,
            payload=payload,
            files=files,
            size_bytes=len(request.body),
        )
    except PermissionDenied as refused:
        return _error(str(refused), 403)
    except RecordRefused as refused:
        return _error(str(refused), 403)
    except ValidationError as invalid:
        return _error(" ".join(invalid.messages), 400)
    return JsonResponse({"batch": str(batch_id), "replayed": replayed, "result": result})
