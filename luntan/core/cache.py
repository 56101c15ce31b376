"""A Redis cache that keeps the site serving while Redis is down.

Django's ``RedisCache`` raises on every call when the server is unreachable, so a Redis
outage turned every page into a 500 (the cache is read by the board index, sessions,
rate limits and view counting). :class:`ResilientRedisCache` is that backend with each
call guarded: when Redis does not answer (``redis.exceptions.ConnectionError`` or
``TimeoutError``) it degrades instead of failing, and Redis is tried again on the next
call, so everything resumes by itself when the server is back.

What a failed call gives (chosen so that a degraded site stays safe):

- reads (``get``, ``get_many``, ``has_key``): a miss — pages are built from the database
  (sessions are ``cached_db``, so members stay signed in);
- writes (``set``, ``delete``, ``touch``, ``clear`` …): nothing, reported as not done;
- ``add``: ``False`` and ``incr``/``decr``: a huge count — every limit counted with them
  (search and preview intervals, mail caps, API rate limits, captcha after failed
  logins, view de-duplication) **fails closed**: the guarded action is refused or not
  counted rather than allowed without a limit. Flood control of posting is in the
  database and is unaffected.

Each failure is logged (at most once per :data:`LOG_EVERY` seconds per process).
Configured by ``luntan/settings.py`` when ``REDIS_URL`` is set, with short socket
timeouts (``LUNTAN_REDIS_TIMEOUT`` seconds, default 0.5) so a hung server costs a
request at most that.
"""

from __future__ import annotations

import functools
import logging
import sys
import time
from typing import Any, cast

from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("luntan.cache")

#: Seconds between two log lines about the outage (per process).
LOG_EVERY = 10.0
#: What ``incr``/``decr`` answer while Redis is down: over any limit.
OVER_ANY_LIMIT = sys.maxsize

_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
_last_log = 0.0


def _note(exc: BaseException) -> None:
    global _last_log
    now = time.monotonic()
    if now - _last_log >= LOG_EVERY:
        _last_log = now
        log.warning("Redis cache unavailable, serving degraded: %s", exc)


def _guard(fallback: Any):
    """Decorate a cache method: on a Redis outage, log and return ``fallback`` (called
    with the method's arguments when it is callable)."""

    def wrap(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _DOWN as exc:
                _note(exc)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return guarded

    return wrap


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache`` that degrades during a Redis outage (see the module)."""

    get = _guard(_default)(RedisCache.get)
    get_many = _guard(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _guard(False)(RedisCache.has_key)
    set = _guard(None)(RedisCache.set)
    set_many = _guard(lambda keys, *a, **k: list(keys))(RedisCache.set_many)
    touch = _guard(False)(RedisCache.touch)
    delete = _guard(False)(RedisCache.delete)
    delete_many = _guard(None)(RedisCache.delete_many)
    clear = _guard(False)(RedisCache.clear)
    add = _guard(False)(RedisCache.add)
    incr = _guard(OVER_ANY_LIMIT)(RedisCache.incr)
    decr = _guard(OVER_ANY_LIMIT)(RedisCache.decr)

    def get_or_set(self, key, default, timeout=None, version=None):  # noqa: D102
        """Like Django's, computing ``default`` when Redis is down (nothing is stored)."""
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            self.add(key, value, timeout=timeout, version=version)
        return value


def shared_cache() -> BaseCache:
    """The cache every worker and app server shares (``CACHES["shared"]``: Redis when
    ``REDIS_URL`` is set, else a file cache in ``LUNTAN_HOME``): for counts and marks that
    must agree across processes — limits, captcha replay, the guest page generation,
    webhook subscriptions. ``CACHES["default"]`` may be local to a process."""
    return caches["shared"]


#: ``shared_cache()`` as a module attribute, resolved on each use like
#: ``django.core.cache.cache`` (so tests that override ``CACHES`` reach the new one).
shared = cast(BaseCache, ConnectionProxy(caches, "shared"))
