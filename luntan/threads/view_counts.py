"""Thread view counter (查看) without a database write per page view.

Every thread page request calls :func:`record`, which only adds one to an in-process
buffer (a dict guarded by a lock). The buffer is written to the database — one
``UPDATE thread SET views = views + n`` per thread that was viewed — when
``settings.LUNTAN_VIEW_FLUSH_SECONDS`` have passed since the last flush: checked on each
record, and by a daemon thread that wakes every interval while views are buffered (so
the last views of a quiet thread are written too), and once more when the process exits
(``atexit``). Only GET requests of the thread page count (not HEAD). The page shows ``stored views + this process's pending views`` so a viewer
sees the count move at once.

Trade-off, as with Discuz!'s ``delayviewcount`` (which appends views to a log file and
folds it in every few minutes): a crash (``kill -9``, power loss) loses at most the
views buffered in that process since its last flush — a few seconds of views — and
another process's pages show the stored count without this process's pending views. In
exchange a page view costs no write, no row lock and no WAL growth, which matters most
on SQLite where writers queue. ``LUNTAN_VIEW_FLUSH_SECONDS = 0`` writes on every record
(the test settings use it so a stored count is exact right after a request).

With Redis (``settings.LUNTAN_VIEWS_REDIS_URL``, default ``REDIS_URL``) and a non-zero
interval, a view is one atomic ``HINCRBY`` on a hash in Redis instead of the process
buffer, so a SIGKILLed app server loses none: :class:`RedisViewStore`. Any process may
fold the hash into the database (each app process's flusher thread every interval, and
``luntan flush_view_counts`` from cron or a timer): under a Redis lock it renames the hash
to a batch key (atomic: views arriving meanwhile start a new hash), writes the batch in
one transaction and deletes it; a batch left by a flusher that died before writing is
picked up by the next one. A flusher whose Redis went away between its database commit
and the batch's deletion keeps the lock and deletes the batch (without writing it again)
when Redis is back. Left undone: a flusher *process* killed in that window (one Redis
command) would have its batch written twice by the next.
While Redis is down views fall back to the process buffer.

One viewer counts once per thread within ``settings.LUNTAN_VIEW_DEDUP_SECONDS`` (default
one hour; Discuz! counts every page view): :func:`record_view` keys the viewer by member
id, or for guests by client address + User-Agent, and keeps a mark in the cache (Redis
when configured: one ``SET NX`` shared by all workers, still no database write).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from luntan.threads.models import Thread

logger = logging.getLogger(__name__)

#: Cache key prefix of "viewer V saw thread T" marks (see :func:`first_view`).
DEDUP_PREFIX = "luntan:viewed:"

Writer = Callable[[dict[int, int]], None]


def write_to_database(counts: dict[int, int]) -> None:
    """Add ``counts`` (thread id → views to add) to ``Thread.views``, one UPDATE per thread."""

    for thread_id, n in counts.items():
        Thread.objects.filter(pk=thread_id).update(views=F("views") + n)


def write_batch_to_database(counts: dict[int, int]) -> None:
    """:func:`write_to_database` in one transaction (a Redis batch is written whole or
    not at all, then deleted)."""
    from django.db import transaction

    with transaction.atomic():
        write_to_database(dict(sorted(counts.items())))


PENDING_KEY = "luntan:views:pending"
BATCH_PREFIX = "luntan:views:batch:"
LOCK_KEY = "luntan:views:flushlock"
LOCK_SECONDS = 60


class RedisViewStore:
    """Views counted in one Redis hash (thread id → views not yet in the database).

    ``url`` is a ``redis://`` URL; ``timeout`` (seconds) bounds every call so a dead Redis
    costs at most that much per page (callers fall back to the process buffer).
    """

    RETRY_SECONDS = 5.0

    def __init__(self, url: str, timeout: float = 0.5, writer: Writer = write_batch_to_database):
        import redis

        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._writer = writer
        self._down_until = 0.0
        self._applied: list[str] = []
        self._token = ""

    def record(self, thread_id: int, n: int = 1) -> None:
        """Add ``n`` views of ``thread_id`` (one ``HINCRBY``); raises on a Redis error,
        and at once for ``RETRY_SECONDS`` after one (a dead Redis costs no wait)."""
        if time.monotonic() < self._down_until:
            raise ConnectionError("Redis was unreachable a moment ago")
        try:
            self._redis.hincrby(PENDING_KEY, str(thread_id), n)
        except Exception:
            self._down_until = time.monotonic() + self.RETRY_SECONDS
            raise

    def pending_many(self, thread_ids: list[int]) -> dict[int, int]:
        """Views not yet in the database, per thread id (one ``HMGET``); raises on error."""
        if not thread_ids or time.monotonic() < self._down_until:
            return {}
        values = self._redis.hmget(PENDING_KEY, [str(t) for t in thread_ids])
        return {t: int(v) for t, v in zip(thread_ids, values, strict=True) if v}

    def flush(self) -> int:
        """Fold every pending view into the database; return how many were written
        (0 when another process holds the flush lock). Raises on a Redis or database
        error (what was not written stays in Redis for the next flush).

        A batch written to the database whose deletion from Redis then failed (Redis went
        away between the two) is remembered by this process, which keeps the flush lock
        so no other process takes the batch, and deletes it without writing it again at
        its next flush.
        """
        import uuid

        if self._applied:
            self._redis.delete(*self._applied)
            self._applied = []
            self._release()
        token = uuid.uuid4().hex
        if not self._redis.set(LOCK_KEY, token, nx=True, ex=LOCK_SECONDS):
            return 0
        self._token = token
        written = 0
        try:
            leftovers = [k.decode() for k in self._redis.scan_iter(match=BATCH_PREFIX + "*")]
            batch = BATCH_PREFIX + token
            try:
                self._redis.rename(PENDING_KEY, batch)
                leftovers.append(batch)
            except Exception as exc:  # noqa: BLE001 - "no such key": nothing pending
                if "no such key" not in str(exc).lower():
                    raise
            for key in leftovers:
                raw = self._redis.hgetall(key)
                counts = {int(k): int(v) for k, v in raw.items() if int(v)}
                if counts:
                    self._writer(counts)
                try:
                    self._redis.delete(key)
                except Exception:
                    self._applied.append(key)  # written: never write it again
                    raise
                written += sum(counts.values())
        finally:
            if not self._applied:
                self._release()
        return written

    def _release(self) -> None:
        """Give up the flush lock if this process still holds it."""
        try:
            if self._token and self._redis.get(LOCK_KEY) == self._token.encode():
                self._redis.delete(LOCK_KEY)
        except Exception:  # noqa: BLE001 - it expires by itself (LOCK_SECONDS)
            logger.warning("could not release the view flush lock", exc_info=True)


_store: RedisViewStore | None = None
_store_url: str | None = None


def redis_store() -> RedisViewStore | None:
    """The shared view store when Redis is configured and views are buffered
    (``LUNTAN_VIEWS_REDIS_URL`` set and ``LUNTAN_VIEW_FLUSH_SECONDS`` > 0), else None."""
    global _store, _store_url
    url = getattr(settings, "LUNTAN_VIEWS_REDIS_URL", "")
    if not url or float(getattr(settings, "LUNTAN_VIEW_FLUSH_SECONDS", 10.0)) <= 0:
        return None
    if _store is None or _store_url != url:
        _store = RedisViewStore(url, float(getattr(settings, "LUNTAN_REDIS_TIMEOUT", 0.5)))
        _store_url = url
    return _store


class ViewCounter:
    """A thread-safe buffer of view counts, flushed through ``writer``.

    ``writer`` receives a dict ``{thread_id: views_to_add}``; if it raises, the counts are
    put back into the buffer and retried at the next flush. ``interval`` (seconds, float)
    overrides ``settings.LUNTAN_VIEW_FLUSH_SECONDS``; ``clock`` returns monotonic seconds.
    """

    def __init__(
        self,
        writer: Writer = write_to_database,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._writer = writer
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[int, int] = {}
        self._last_flush = clock()
        self._flusher: threading.Thread | None = None

    @property
    def interval(self) -> float:
        """Seconds between flushes (the constructor's value or the setting)."""
        if self._interval is not None:
            return self._interval
        return float(getattr(settings, "LUNTAN_VIEW_FLUSH_SECONDS", 10.0))

    def record(self, thread_id: int, n: int = 1) -> None:
        """Count ``n`` views of thread ``thread_id``; flush when the interval has passed.

        The first record of a process also starts the background flusher (see
        :meth:`start_flusher`), so views reach the database even when no more come in.
        """
        store = redis_store() if self._writer is write_to_database else None
        if store is not None:
            try:
                store.record(thread_id, n)
                if self._flusher is None:
                    self.start_flusher()
                return
            except Exception:  # noqa: BLE001 - Redis down: buffer in this process
                logger.warning("Redis view counts unavailable; buffering in the process")
        now = self._clock()
        with self._lock:
            self._counts[thread_id] = self._counts.get(thread_id, 0) + n
            due = now - self._last_flush >= self.interval
        if due:
            self.flush()
        elif self._flusher is None:
            self.start_flusher()

    def start_flusher(self) -> None:
        """Start a daemon thread that flushes every ``interval`` seconds while there are
        buffered views. Started lazily from :meth:`record`, i.e. inside each worker
        process after gunicorn forks it; a no-op when the interval is 0 (flush on record)."""
        with self._lock:
            if self._flusher is not None or self.interval <= 0:
                return
            self._flusher = threading.Thread(
                target=self._flush_periodically, name="luntan-view-flusher", daemon=True
            )
        self._flusher.start()

    def _flush_periodically(self) -> None:
        from django.db import connection

        while True:
            time.sleep(max(self.interval, 0.05))
            store = redis_store() if self._writer is write_to_database else None
            if self._counts or store is not None:
                try:
                    self.flush()
                    if store is not None:
                        store.flush()
                except Exception:  # noqa: BLE001 - Redis or the database is down: next time
                    logger.warning("view counts not flushed; retrying", exc_info=True)
                finally:
                    connection.close()  # this thread's own connection

    def pending(self, thread_id: int) -> int:
        """Return the views of ``thread_id`` buffered in this process and not yet written."""
        return self._counts.get(thread_id, 0)

    def flush(self) -> int:
        """Write the buffered counts; return the number of views written (0 on failure)."""
        with self._lock:
            counts, self._counts = self._counts, {}
            self._last_flush = self._clock()
        if not counts:
            return 0
        try:
            self._writer(counts)
        except Exception:
            logger.exception("could not write %d thread view counts; kept for later", len(counts))
            with self._lock:
                for thread_id, n in counts.items():
                    self._counts[thread_id] = self._counts.get(thread_id, 0) + n
            return 0
        return sum(counts.values())


counter = ViewCounter()


def record(thread_id: int) -> None:
    """Count one view of thread ``thread_id`` in this process's buffer (see module doc)."""
    counter.record(thread_id)


def viewer_key(request) -> str:
    """Who is viewing, for :func:`first_view`: ``u<id>`` for a member, else ``g`` + a hash
    of the client address (``REMOTE_ADDR``) and ``User-Agent`` (people behind one NAT with
    different browsers count apart). 17 ASCII characters at most past the prefix."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    meta = request.META
    raw = f"{meta.get('REMOTE_ADDR', '')}\0{meta.get('HTTP_USER_AGENT', '')}"
    return "g" + hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


def first_view(thread_id: int, viewer: str) -> bool:
    """Whether this is ``viewer``'s first view of thread ``thread_id`` within
    ``settings.LUNTAN_VIEW_DEDUP_SECONDS`` (default 3600; 0: every view counts).

    One atomic ``cache.add`` (Redis ``SET NX EX`` when ``REDIS_URL`` is set, shared by all
    workers; process memory otherwise): no database write. A cache that is down counts
    the view rather than fail the page.
    """
    window = int(getattr(settings, "LUNTAN_VIEW_DEDUP_SECONDS", 3600))
    if window <= 0:
        return True
    try:
        return bool(cache.add(f"{DEDUP_PREFIX}{thread_id}:{viewer}", 1, timeout=window))
    except Exception:  # noqa: BLE001 - a broken cache must not break the thread page
        logger.warning("view de-duplication unavailable; counting the view", exc_info=True)
        return True


def record_view(thread_id: int, request) -> bool:
    """Count one view of thread ``thread_id`` by the viewer of ``request`` unless they
    viewed it within the de-duplication window (see :func:`first_view`); returns whether
    it was counted. Buffered like :func:`record`: no database write per request."""
    if not first_view(thread_id, viewer_key(request)):
        return False
    counter.record(thread_id)
    return True


def pending_many(thread_ids: list[int]) -> dict[int, int]:
    """Views of each of ``thread_ids`` counted and not yet in the database: this
    process's buffer plus, with Redis, the shared hash (one ``HMGET``; 0 while Redis is
    down). Returns ``{thread_id: views}`` for every id."""
    found = {t: counter.pending(t) for t in thread_ids}
    store = redis_store()
    if store is not None:
        try:
            for t, n in store.pending_many(list(thread_ids)).items():
                found[t] += n
        except Exception:  # noqa: BLE001 - a dead Redis must not break the page
            logger.warning("Redis view counts unavailable for display")
    return found


def pending(thread_id: int) -> int:
    """Views of ``thread_id`` counted and not yet in the database (see
    :func:`pending_many`)."""
    return pending_many([thread_id])[thread_id]


def flush() -> int:
    """Write this process's buffered views and, with Redis, every app server's pending
    views now; return how many were written."""
    written = counter.flush()
    store = redis_store()
    if store is not None:
        written += store.flush()
    return written


def _flush_at_exit() -> None:
    try:
        counter.flush()
    except Exception:  # the database may already be gone at interpreter exit
        logger.exception("view counts lost at exit")


atexit.register(_flush_at_exit)
