"""Search interval per member or IP address (Discuz!'s 搜索时间间隔), kept in the cache.

``LUNTAN_SEARCH_INTERVAL`` (setting, seconds, default 2; 0 turns it off) is the least time
between two searches by the same member (signed in) or IP address (guests). The check
uses ``cache.add`` so concurrent requests on a shared cache (Redis) agree.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from luntan.core.cache import shared as cache  # one count for every worker

DEFAULT_INTERVAL = 2


def search_interval() -> int:
    """The configured interval in seconds (``LUNTAN_SEARCH_INTERVAL``, default 2)."""
    return int(getattr(settings, "LUNTAN_SEARCH_INTERVAL", DEFAULT_INTERVAL))


def _key(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        who = f"u{user.pk}"
    else:
        who = "ip" + (request.META.get("REMOTE_ADDR") or "unknown")
    return "search-rate:" + hashlib.sha256(who.encode()).hexdigest()[:32]


def allow_search(request) -> bool:
    """Record a search by the requester; False when their previous one was too recent."""
    interval = search_interval()
    if interval <= 0:
        return True
    return cache.add(_key(request), 1, timeout=interval)
