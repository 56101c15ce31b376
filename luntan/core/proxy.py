"""The client address behind a reverse proxy (``TRUSTED_PROXIES``).

Behind nginx, HAProxy or Caddy every request comes from the proxy, so ``REMOTE_ADDR`` is
the proxy's address: every post got the proxy's IP and no 来自, IP bans could not target
one person and per-IP limits became site-wide. :class:`ForwardedForMiddleware` (first in
``MIDDLEWARE``) puts the real client into ``REMOTE_ADDR`` — which the rest of luntan reads
— from ``X-Forwarded-For``, trusting it **only** when the request comes from a configured
proxy:

``X-Forwarded-For`` is read from the right: each address appended by a trusted proxy is
skipped, and the first address that is not a trusted proxy is the client (the leftmost
entries are whatever the client sent and are never believed). A request whose peer is not
a trusted proxy keeps its ``REMOTE_ADDR`` untouched, so a client cannot forge its address
by sending the header itself. ``TRUSTED_PROXIES`` (settings, from the environment) is a
list of addresses or networks (``127.0.0.1``, ``10.0.0.0/8``, ``::1``); empty (the
default) turns the middleware off. This is the "rightmost untrusted" rule of
MDN's X-Forwarded-For page and of nginx's ``real_ip_recursive on``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``values`` (addresses or CIDR networks, e.g. ``["127.0.0.1", "10.0.0.0/8"]``) as
    networks. Raises ``ValueError`` naming a malformed entry."""
    networks = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError(
                f"TRUSTED_PROXIES: {value!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_address(remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client's address for a request from ``remote_addr`` carrying
    ``X-Forwarded-For: forwarded_for``, trusting only the proxies in ``trusted``.
    Returns ``remote_addr`` unchanged when the peer is not trusted or the header is
    absent; a malformed hop ends the walk at the last good address."""

    def is_trusted(addr) -> bool:
        return addr is not None and any(addr in net for net in trusted)

    peer = _address(remote_addr)
    if not trusted or not forwarded_for or not is_trusted(peer):
        return remote_addr
    client = remote_addr
    for hop in reversed(forwarded_for.split(",")):
        addr = _address(hop)
        if addr is None:
            break
        client = str(addr)
        if not is_trusted(addr):
            break
    return client


class ForwardedForMiddleware:
    """Set ``REMOTE_ADDR`` to the client behind trusted proxies (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = parse_networks(getattr(settings, "TRUSTED_PROXIES", ()))

    def __call__(self, request):
        if self.trusted:
            meta = request.META
            forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded:
                meta["REMOTE_ADDR"] = client_address(
                    meta.get("REMOTE_ADDR", ""), forwarded, self.trusted
                )
        return self.get_response(request)
