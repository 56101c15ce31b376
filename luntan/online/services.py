"""Who is online (在线会员), kept in the cache: no database write per request.

Each visitor (a member ``u<id>``, a guest ``g<hash of the address>``) is put into the
bucket of the current minute (cache key ``online:b:<minute>``: ``{visitor: member name
or ""}``) at most once a minute (``online:seen:<visitor>`` remembers the minute), so a
request costs one cache read and, once a minute per visitor, two writes. :func:`online_now`
merges the buckets of the last ``LUNTAN_ONLINE_MINUTES`` minutes (default 15, Discuz!
``onlinehold``). Two visitors written into one bucket at the same instant may lose one of
them until their next minute: the list is a count of activity, not an audit.

The 最高记录 (:class:`~luntan.online.models.OnlineRecord`) is written by
:func:`online_now` only when the total beats it, and cached.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from luntan.online.models import OnlineRecord

RECORD_KEY = "online:record"


def window_minutes() -> int:
    """``settings.LUNTAN_ONLINE_MINUTES`` (default 15): how long a visitor counts."""
    return max(1, int(getattr(settings, "LUNTAN_ONLINE_MINUTES", 15)))


def _minute(now: datetime) -> int:
    return int(now.timestamp()) // 60


def visitor_key(user_id: int | None, ip: str | None) -> str:
    """``u<id>`` for a member, else ``g<12 hex of sha256(address)>`` (no address kept)."""
    if user_id:
        return f"u{user_id}"
    return "g" + hashlib.sha256((ip or "").encode()).hexdigest()[:12]


def touch(visitor: str, name: str = "", *, now: datetime | None = None) -> None:
    """Count ``visitor`` (see :func:`visitor_key`; ``name`` the member's name, ``""`` for
    a guest) as online now. One cache read; two writes the first time in a minute."""
    minute = _minute(now or timezone.now())
    seen_key = f"online:seen:{visitor}"
    if cache.get(seen_key) == minute:
        return
    bucket_key = f"online:b:{minute}"
    bucket = cache.get(bucket_key) or {}
    bucket[visitor] = name
    ttl = (window_minutes() + 2) * 60
    cache.set(bucket_key, bucket, ttl)
    cache.set(seen_key, minute, 120)


@dataclass(frozen=True)
class Online:
    """Who is online: ``members`` (``(id, name)`` sorted by name), ``guests`` (a count),
    ``total``, and the record ``record`` / ``record_at`` (UTC, ``None`` before any)."""

    members: list[tuple[int, str]]
    guests: int
    record: int
    record_at: datetime | None

    @property
    def total(self) -> int:
        return len(self.members) + self.guests


def _record() -> tuple[int, datetime | None]:
    found = cache.get(RECORD_KEY)
    if found is None:
        row = OnlineRecord.objects.filter(pk=1).values_list("count", "at").first()
        found = row or (0, None)
        cache.set(RECORD_KEY, found, None)
    return found


def set_record(count: int, at: datetime) -> bool:
    """Store ``count`` (at ``at``, UTC) as the 最高记录 when it beats the stored one.
    Returns True when it did. One transaction with the row locked."""
    with transaction.atomic():
        row = OnlineRecord.objects.select_for_update().filter(pk=1).first()
        if row is not None and row.count >= count:
            cache.set(RECORD_KEY, (row.count, row.at), None)
            return False
        OnlineRecord.objects.update_or_create(pk=1, defaults={"count": count, "at": at})
    cache.set(RECORD_KEY, (count, at), None)
    return True


def online_now(*, now: datetime | None = None) -> Online:
    """Members and guests seen in the last :func:`window_minutes` minutes (one cache
    ``get_many``), with the 最高记录 (cached; raised here, one write, when beaten)."""
    now = now or timezone.now()
    last = _minute(now)
    keys = [f"online:b:{m}" for m in range(last - window_minutes() + 1, last + 1)]
    seen: dict[str, str] = {}
    for bucket in cache.get_many(keys).values():
        seen.update(bucket)
    members = sorted(
        ((int(v[1:]), name) for v, name in seen.items() if v.startswith("u")),
        key=lambda m: (m[1], m[0]),
    )
    guests = sum(1 for v in seen if v.startswith("g"))
    record, record_at = _record()
    total = len(members) + guests
    if total > record:
        set_record(total, now)
        record, record_at = total, now
    return Online(members, guests, record, record_at)


def is_online(user_id: int, *, now: datetime | None = None) -> bool:
    """Whether member ``user_id`` was seen in the last :func:`window_minutes` minutes
    (the profile's 在线/离线). One cache ``get_many``, no query; the 最高记录 is not
    touched."""
    now = now or timezone.now()
    last = _minute(now)
    keys = [f"online:b:{m}" for m in range(last - window_minutes() + 1, last + 1)]
    visitor = visitor_key(user_id, None)
    return any(visitor in bucket for bucket in cache.get_many(keys).values())
