"""Sending one delivery: SSRF checks and a connection pinned to the checked address.

The target's host name is resolved once; every address it resolves to must be public
(not private, loopback, link-local, multicast, reserved or unspecified — IPv4 and IPv6,
IPv4-mapped included) unless the webhook allows private targets. The request then
connects to the address that was checked (so a second DNS answer cannot point it
elsewhere: no DNS rebinding), with the host name kept for the ``Host`` header and TLS
(SNI and certificate checks). Redirects are not followed. Timeout: :data:`TIMEOUT`.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

TIMEOUT = 10  # seconds, connect and read
MAX_RESPONSE = 64 * 1024  # bytes read of the answer (it is not kept)


class UnsafeTarget(ValueError):
    """The URL is not http(s), has no host, does not resolve, or resolves to an address
    the webhook may not reach."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (IPv4-mapped IPv6 unwrapped)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str, *, allow_private: bool) -> Target:
    """Check ``url`` and pick the address to connect to. Raises :class:`UnsafeTarget`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(_("只能使用带主机名的 http(s) 地址"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget(_("端口无效")) from exc
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeTarget(_("无法解析主机名 %(host)s") % {"host": parts.hostname}) from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise UnsafeTarget(_("无法解析主机名 %(host)s") % {"host": parts.hostname})
    if not allow_private:
        bad = [a for a in addresses if not is_public(a)]
        if bad:
            raise UnsafeTarget(
                _("%(host)s 解析到非公网地址（%(address)s）")
                % {"host": parts.hostname, "address": bad[0]}
            )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, **kwargs) -> None:
        super().__init__(target.host, target.port, **kwargs)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, **kwargs) -> None:
        super().__init__(target.host, target.port, **kwargs)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool) -> int:
    """POST ``body`` to ``url``; returns the HTTP status. Raises :class:`UnsafeTarget` or
    ``OSError`` (connection, timeout, TLS)."""
    target = resolve(url, allow_private=allow_private)
    if target.scheme == "https":
        conn: http.client.HTTPConnection = _PinnedHTTPSConnection(
            target, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    else:
        conn = _PinnedHTTPConnection(target, timeout=TIMEOUT)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(MAX_RESPONSE)
        return response.status
    except http.client.HTTPException as exc:
        raise OSError(str(exc)) from exc
    finally:
        conn.close()
