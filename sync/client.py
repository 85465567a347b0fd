"""The node's side of the link: signed HTTP requests to its upstream (standard library only)."""

import gzip
import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings

from .auth import headers_sign, key_load

TIMEOUT = 30


class LinkDown(Exception):
    """The upstream did not answer (no route, refused, timed out, or a 5xx)."""


class Refused(Exception):
    """The upstream answered and said no (4xx): revoked, bad token, another center's record."""

    def __init__(self, status: int, message: str):
        super().__init__(f"{status}: {message}")
        self.status = status


def upstream_check(url: str) -> str:
    """The upstream URL, normalised; plain HTTP only to a loopback address."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("The upstream must be an https:// URL.")
    if parts.scheme == "http":
        host = parts.hostname
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise ValueError("Plain http is refused for a non-loopback upstream: use https://.")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def key_path() -> Path:
    return Path(settings.SYNC_NODE_DIR) / "node_key.pem"


class Link:
    """Signed requests from this node to ``upstream`` (the server's base URL)."""

    def __init__(self, upstream: str, node_id: str | None = None):
        self.upstream = upstream_check(upstream)
        self.node_id = node_id
        self.bytes_sent = 0
        self.bytes_received = 0
        self._key = None

    def _open(self, method, path, *, body=b"", params=None, headers=None, sign=True):
        full_path = urllib.parse.urlsplit(self.upstream).path + "/api/sync/v1/" + path
        url = self.upstream + "/api/sync/v1/" + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = dict(headers or {})
        if sign:
            if self._key is None:
                self._key = key_load(key_path())
            headers.update(
                headers_sign(
                    key=self._key, node_id=self.node_id, method=method, path=full_path, body=body
                )
            )
        request = urllib.request.Request(  # noqa: S310 (upstream_check: http(s) only)
            url, data=body if method == "POST" else None, method=method, headers=headers
        )
        self.bytes_sent += len(body)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                data = response.read()
                encoding = response.headers.get("Content-Encoding")
                extra = dict(response.headers)
        except urllib.error.HTTPError as error:
            text = error.read()
            self.bytes_received += len(text)
            if error.code >= 500:
                raise LinkDown(f"upstream answered {error.code}") from None
            try:
                message = json.loads(text).get("error", "")
            except ValueError:
                message = text[:200].decode(errors="replace")
            raise Refused(error.code, message) from None
        except (urllib.error.URLError, OSError) as error:
            raise LinkDown(str(getattr(error, "reason", error))) from None
        self.bytes_received += len(data)
        if encoding == "gzip":
            data = gzip.decompress(data)
        return data, extra

    def json(self, method, path, **kwargs) -> dict:
        data, _headers = self._open(method, path, **kwargs)
        return json.loads(data)

    def register(self, *, token: str, public_key: str, name: str) -> dict:
        body = json.dumps({"token": token, "public_key": public_key, "name": name}).encode()
        return self.json(
            "POST",
            "register",
            body=body,
            headers={"Content-Type": "application/json"},
            sign=False,
        )

    def down(self, part: str, since: str | None) -> tuple[str, bytes | None]:
        """(hash, JSON body) of a part, or (hash, None) when the node already holds it."""
        data, headers = self._open("GET", f"down/{part}", params={"since": since or ""})
        digest = headers.get("X-Hunar-Hash")
        if digest is None:
            return json.loads(data)["hash"], None
        return digest, data

    def file(self, name: str) -> bytes:
        data, _headers = self._open("GET", "file", params={"name": name})
        return data

    def up(self, body_gz: bytes) -> dict:
        return self.json(
            "POST",
            "up",
            body=body_gz,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
