"""Caps on the account mail a site sends (password reset, e-mail verification, "an account
already exists"), so the forum cannot be used to flood a mailbox.

allauth limits requests per minute (``ACCOUNT_RATE_LIMITS``); on top of that every mail
the account adapter sends (``AccountAdapter.send_mail``) is counted per recipient address
and per client IP in fixed hourly and daily windows:

- ``settings.LUNTAN_MAIL_CAPS_PER_ADDRESS``: ``((seconds, mails), …)``, default 5 an hour
  and 10 a day to one address (env ``LUNTAN_MAIL_PER_ADDRESS_HOUR`` / ``_DAY``);
- ``settings.LUNTAN_MAIL_CAPS_PER_IP``: default 20 an hour and 50 a day from one IP
  (env ``LUNTAN_MAIL_PER_IP_HOUR`` / ``_DAY``).

A mail over a cap is not sent and the page answers as if it were (the answer must not tell
whether an account exists). Counters live in Django's cache (``cache.add`` + ``incr``,
atomic in Redis and in the local-memory cache), so every worker sharing the cache (Redis
with ``REDIS_URL``) shares the caps. Addresses and IPs are stored hashed.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings

from luntan.core.cache import shared as cache  # one count for every worker

log = logging.getLogger(__name__)

DEFAULT_PER_ADDRESS = ((3600, 5), (86400, 10))
DEFAULT_PER_IP = ((3600, 20), (86400, 50))


def _now() -> float:
    """Seconds since the epoch (UTC); a function so tests can move the clock."""
    return time.time()


def _count(scope: str, ident: str, caps) -> bool:
    """Count one mail for ``ident`` in every window of ``caps``; True while every count
    is within its cap."""
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    now = _now()
    within = True
    for seconds, cap in caps:
        window = int(now // seconds)
        key = f"luntan:mailcap:{scope}:{seconds}:{window}:{digest}"
        cache.add(key, 0, timeout=int(seconds) + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=int(seconds) + 60)
            count = 1
        if count > cap:
            within = False
    return within


def allow_mail(address: str, ip: str | None) -> bool:
    """Count a mail to ``address`` asked for from ``ip`` (``None`` outside a request) and
    return whether it may be sent (False: a cap is reached; the caller drops the mail)."""
    per_address = getattr(settings, "LUNTAN_MAIL_CAPS_PER_ADDRESS", DEFAULT_PER_ADDRESS)
    per_ip = getattr(settings, "LUNTAN_MAIL_CAPS_PER_IP", DEFAULT_PER_IP)
    ok = _count("addr", address.strip().lower(), per_address)
    if ip:
        ok = _count("ip", ip, per_ip) and ok
    if not ok:
        log.warning("account mail cap reached; mail not sent")
    return ok
