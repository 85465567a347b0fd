"""Who is the client? The one answer sign-in protection, rate limits and logs all use.

A request's ``X-Forwarded-For`` header is written by whoever sent it: a client can put any
address there. Only the entries appended by proxies we run mean anything, so the header is read
only when the request came from a trusted proxy, and then from the right (where our proxies
append), never from the left (where the client writes). Settings:

- ``HUNAR_TRUSTED_PROXY_COUNT`` (int, 0 = no proxy): that many proxies of ours stand in front of
  every request; the client is the Nth address from the right of ``X-Forwarded-For``.
- ``HUNAR_TRUSTED_PROXIES`` (list of addresses or CIDR ranges): when set, ``X-Forwarded-For``
  is read only if ``REMOTE_ADDR`` is in one of them; without a count, entries from the right
  that are themselves trusted proxies are skipped and the first other one is the client.

Anything unexpected (a header shorter than the count, an entry that is not an address) gives
``REMOTE_ADDR``: the address of whoever opened the connection, which nobody can forge.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request) -> str:
    """The client's IP address as text (IPv4-mapped IPv6 as IPv4), or "" when unknown."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    count = int(getattr(settings, "HUNAR_TRUSTED_PROXY_COUNT", 0) or 0)
    networks = _networks(tuple(getattr(settings, "HUNAR_TRUSTED_PROXIES", ()) or ()))
    if (count <= 0 and not networks) or (networks and not _trusted(remote, networks)):
        return str(remote)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [entry.strip() for entry in header.split(",")] if header.strip() else []
    if count > 0:
        if len(hops) < count:
            return str(remote)
        client = _parse(hops[-count])
        return str(client if client is not None else remote)
    # Address ranges only: walk left past our own proxies; the first other address is the client.
    client = remote
    for entry in reversed(hops):
        hop = _parse(entry)
        if hop is None:
            return str(remote)
        client = hop
        if not _trusted(hop, networks):
            break
    return str(client)


def client_network(request) -> str:
    """The client's address for a rate-limit bucket: an IPv6 client's /64, since one household
    or phone is handed a whole /64 and could change address within it at will."""
    address = client_address(request)
    if ":" not in address:
        return address
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def axes_client_ip(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the same address, or None (axes stores a nullable IP)."""
    return client_address(request) or None


def _parse(text: str) -> Address | None:
    """An address from a header entry (a port, as some proxies add, is dropped), else None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.9:443
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(ranges: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    # A wrong entry raises at the first request rather than silently trusting nothing or all.
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in ranges if entry)


def _trusted(address: Address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)
