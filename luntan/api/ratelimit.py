"""Rate limits of the API, per caller (token, or member for the session) and per IP
address, counted in the cache (shared by every worker with Redis).

Fixed windows: ``LUNTAN_API_RATE_READ`` (default ``"300/60"``: 300 requests a minute)
for every request and ``LUNTAN_API_RATE_WRITE`` (default ``"30/60"``) more for writes,
each counted once for the caller and once for the client address; ``0/…`` turns a limit
off. A refused request gets a 429 problem ``rate_limited`` with ``Retry-After`` (seconds
to the end of the window). Flood control of the posting pipeline (Discuz! ``floodctrl``)
applies on top, as on the pages.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from luntan.core.cache import OVER_ANY_LIMIT
from luntan.core.cache import shared as cache  # one count for every worker

DEFAULTS = {"read": "300/60", "write": "30/60"}


def parse_rate(value: str) -> tuple[int, int]:
    """``"N/S"`` as ``(N requests, S seconds)``; malformed values give ``(0, 60)`` (off)."""
    try:
        count, _sep, seconds = value.partition("/")
        return max(0, int(count)), max(1, int(seconds or 60))
    except (TypeError, ValueError):
        return 0, 60


def rate_for(kind: str) -> tuple[int, int]:
    """The configured rate of ``kind`` (``"read"`` or ``"write"``)."""
    name = f"LUNTAN_API_RATE_{kind.upper()}"
    return parse_rate(str(getattr(settings, name, DEFAULTS[kind])))


class ApiThrottle(BaseThrottle):
    """One limit: ``kind`` (``read``/``write``) counted ``per`` ``"caller"`` or ``"ip"``."""

    def __init__(self, kind: str, per: str) -> None:
        self.kind = kind
        self.per = per
        self._wait: float | None = None

    def _ident(self, request: HttpRequest) -> str:
        if self.per == "ip":
            return "ip" + (request.META.get("REMOTE_ADDR") or "unknown")
        caller = getattr(request, "auth", None)
        return caller.rate_key if caller is not None else ""

    def allow_request(self, request: HttpRequest) -> bool:
        limit, period = rate_for(self.kind)
        ident = self._ident(request)
        if limit <= 0 or not ident:
            return True
        now = time.time()
        window = int(now // period)
        digest = hashlib.sha256(ident.encode()).hexdigest()[:24]
        key = f"api-rate:{self.kind}:{self.per}:{digest}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period + 1)
            count = 1
        if count == OVER_ANY_LIMIT and self.kind == "read":
            return True  # the cache is down: reads fail open, writes stay refused
        if count > limit:
            self._wait = period - (now % period)
            return False
        return True

    def wait(self) -> float | None:
        return self._wait


READ_THROTTLES: list[BaseThrottle] = [ApiThrottle("read", "caller"), ApiThrottle("read", "ip")]
WRITE_THROTTLES: list[BaseThrottle] = [
    *READ_THROTTLES,
    ApiThrottle("write", "caller"),
    ApiThrottle("write", "ip"),
]
