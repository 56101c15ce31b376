"""IP ban patterns: parsing, matching, and the cached compiled list.

Patterns (Discuz! ``common_banned`` stores four octets with ``-1`` for ``*``):

- IPv4 with trailing or inner ``*`` octets: ``1.2.3.*``, ``1.2.*.*``, ``1.*.3.4``;
- an exact address, IPv4 or IPv6: ``1.2.3.4``, ``2001:db8::1``;
- a CIDR prefix, IPv4 or IPv6: ``10.0.0.0/8``, ``2001:db8::/32``.

:func:`is_ip_banned` answers from a list compiled once and cached
(``IPBAN_CACHE_SECONDS``; dropped when an :class:`~luntan.bans.models.IPBan` is saved or
deleted), so checking a request costs no query. IPv4-mapped IPv6 addresses
(``::ffff:1.2.3.4``) are checked as their IPv4 address.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.bans.models import IPBan

IPBAN_CACHE_KEY = "luntan:ip-bans:v1"
IPBAN_CACHE_SECONDS = 300

# A compiled rule: ("octets", (a, b, c, d) with None for *) or ("net", ip_network).
Rule = tuple


def parse_pattern(pattern: str) -> Rule:
    """Compile ``pattern`` into a rule; ``ValidationError`` ("无效的 IP 地址") otherwise.

    ``*`` octets must be whole octets; ``*.*.*.*`` (everyone) is refused.
    """
    text = (pattern or "").strip()
    if "*" in text:
        parts = text.split(".")
        if len(parts) != 4 or ":" in text:
            raise ValidationError(_("无效的 IP 地址：%(p)s") % {"p": pattern}, code="ip")
        octets: list[int | None] = []
        for part in parts:
            if part == "*":
                octets.append(None)
            elif part.isdigit() and int(part) <= 255 and part == str(int(part)):
                octets.append(int(part))
            else:
                raise ValidationError(_("无效的 IP 地址：%(p)s") % {"p": pattern}, code="ip")
        if all(o is None for o in octets):
            raise ValidationError(_("不能禁止所有 IP 地址。"), code="ip")
        return ("octets", tuple(octets))
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValidationError(_("无效的 IP 地址：%(p)s") % {"p": pattern}, code="ip") from None
    if network.prefixlen == 0:
        raise ValidationError(_("不能禁止所有 IP 地址。"), code="ip")
    return ("net", network)


def rule_matches(rule: Rule, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True when ``address`` (parsed) falls under ``rule``."""
    kind, data = rule
    if kind == "octets":
        if address.version != 4:
            return False
        return all(
            want is None or want == got for want, got in zip(data, address.packed, strict=True)
        )
    return address.version == data.version and address in data


def _compiled(now: datetime) -> list[tuple[Rule, datetime | None]]:
    found = cache.get(IPBAN_CACHE_KEY)
    if found is None:
        found = []
        for pattern, expires_at in IPBan.objects.values_list("pattern", "expires_at"):
            try:
                found.append((parse_pattern(pattern), expires_at))
            except ValidationError:
                continue  # a row written around the validation; never matches
        cache.set(IPBAN_CACHE_KEY, found, IPBAN_CACHE_SECONDS)
    return found


def is_ip_banned(ip: str | None, now: datetime | None = None) -> bool:
    """True when ``ip`` (text, IPv4 or IPv6) matches an unexpired IP ban. No query when
    the compiled list is cached; malformed or missing addresses are not banned."""
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    now = now or timezone.now()
    for rule, expires_at in _compiled(now):
        if (expires_at is None or expires_at > now) and rule_matches(rule, address):
            return True
    return False


def forget_ip_bans(**_kwargs) -> None:
    """Drop the cached compiled list (connected to IPBan save/delete)."""
    cache.delete(IPBAN_CACHE_KEY)


post_save.connect(forget_ip_bans, sender=IPBan, dispatch_uid="luntan-ipban-save")
post_delete.connect(forget_ip_bans, sender=IPBan, dispatch_uid="luntan-ipban-delete")
