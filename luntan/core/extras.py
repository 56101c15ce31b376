"""What the 运营 section of the 管理中心 puts on pages: announcements (公告), navigation
links and friend links (友情链接), read once into the cache.

:func:`site_extras` costs no query while cached (``EXTRAS_CACHE_SECONDS``, and dropped by
:func:`forget_site_extras` on every write); which announcements are running is decided at
read time, so a cached list never shows one early or late.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from luntan.core.models import Announcement, SiteLink

EXTRAS_CACHE_KEY = "luntan:site-extras:v1"
EXTRAS_CACHE_SECONDS = 300


@dataclass
class SiteExtras:
    """``announcements``: every announcement not yet ended (use :meth:`running`); ``nav``
    and ``friends``: the links of each place, in order."""

    announcements: list[Announcement] = field(default_factory=list)
    nav: list[SiteLink] = field(default_factory=list)
    friends: list[SiteLink] = field(default_factory=list)

    def running(self, now: datetime | None = None) -> list[Announcement]:
        """The announcements shown at ``now`` (aware; default now)."""
        now = now or timezone.now()
        return [
            a
            for a in self.announcements
            if a.starts_at <= now and (a.ends_at is None or a.ends_at > now)
        ]


def site_extras() -> SiteExtras:
    """The cached :class:`SiteExtras` (two queries when the cache is cold)."""
    found = cache.get(EXTRAS_CACHE_KEY)
    if found is None:
        now = timezone.now()
        links = list(SiteLink.objects.all())
        found = SiteExtras(
            announcements=list(Announcement.objects.exclude(ends_at__lte=now)),
            nav=[link for link in links if link.kind == SiteLink.Kind.NAV],
            friends=[link for link in links if link.kind == SiteLink.Kind.FRIEND],
        )
        cache.set(EXTRAS_CACHE_KEY, found, EXTRAS_CACHE_SECONDS)
    return found


def forget_site_extras() -> None:
    """Drop the cached extras (call after a write, e.g. from ``transaction.on_commit``)."""
    cache.delete(EXTRAS_CACHE_KEY)
