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
interval, a view is one atomic increment of a hash in Redis instead of the process
buffer, so a SIGKILLed app server loses none: :class:`RedisViewStore`. Each view carries
a random id and is added only once even when its call is sent again after a lost answer
(a timeout on a busy machine). Any process may fold the hash into the database (each app
process's flusher thread every interval, and ``luntan flush_view_counts`` from cron or a
timer): under a Redis lock it renames the hash to a batch key (atomic: views arriving
meanwhile start a new hash), writes the batch and its key (a ``ViewBatch`` row) in one
transaction and deletes it from Redis; a batch left by a flusher that died is picked up
by the next one, and one already written (its flusher died or lost Redis after the
commit) is only deleted, never written twice.
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
import secrets
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


def write_batch_to_database(key: str, counts: dict[int, int]) -> bool:
    """Add the Redis batch ``key``'s ``counts`` (thread id → views) to ``Thread.views``
    in one transaction with a :class:`~luntan.threads.models.ViewBatch` row naming it;
    return False, writing nothing, when that batch was already added (its flusher died
    or lost Redis between the commit and the batch's deletion). Raises on a database
    error (nothing written; ``IntegrityError`` when another flusher adds it meanwhile).
    Prunes markers older than :data:`BATCH_MARK_SECONDS`."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from luntan.threads.models import ViewBatch

    with transaction.atomic():
        if ViewBatch.objects.filter(key=key).exists():
            return False
        ViewBatch.objects.create(key=key)
        write_to_database(dict(sorted(counts.items())))
        old = timezone.now() - timedelta(seconds=BATCH_MARK_SECONDS)
        ViewBatch.objects.filter(written_at__lt=old).delete()
    return True


BatchWriter = Callable[[str, dict[int, int]], bool]

PENDING_KEY = "luntan:views:pending"
BATCH_PREFIX = "luntan:views:batch:"
LOCK_KEY = "luntan:views:flushlock"
LOCK_SECONDS = 60
#: Per-minute sets of the ids of views added to :data:`PENDING_KEY` (see ``record``).
SEEN_PREFIX = "luntan:views:seen:"
#: How long a view id is remembered: a view whose answer was lost is retried within it.
SEEN_SECONDS = 900
#: How long the database remembers a written batch (seconds).
BATCH_MARK_SECONDS = 86400

# One view, once: the id is added to the minute's set and only a new id adds the view.
_RECORD_ONCE = """
if redis.call('SADD', KEYS[2], ARGV[3]) == 1 then
  redis.call('EXPIRE', KEYS[2], ARGV[4])
  redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
"""


def _never_sent(exc: BaseException) -> bool:
    """Whether a Redis error happened before the command reached the server (connecting
    failed), so it was certainly not applied. A timeout or a connection lost while
    waiting for the answer leaves that unknown."""
    return "connecting to" in str(exc).lower() or "connecting to" in repr(exc).lower()


class RedisNotSent(ConnectionError):
    """The view did not reach Redis (it is down): count it elsewhere."""


class RedisViewStore:
    """Views counted in one Redis hash (thread id → views not yet in the database).

    ``url`` is a ``redis://`` URL; ``timeout`` (seconds) bounds every call so a dead Redis
    costs at most that much per page. Exactly once, both ways:

    - **into Redis**: each view has a random id and is added by a script that adds it only
      if its id is new (:data:`_RECORD_ONCE`). A call that failed before reaching Redis
      raises :class:`RedisNotSent` (the caller counts the view in its process buffer); a
      call whose answer was lost (a timeout under load, Redis stopping) may or may not
      have been applied, so the view is kept with its id and sent again by the next
      :meth:`flush` — added then only if it was not before. (redis-py's own retry of a
      timed-out ``HINCRBY`` counted such a view twice.)
    - **into the database**: see :meth:`flush` and :func:`write_batch_to_database`.
    """

    RETRY_SECONDS = 5.0

    def __init__(self, url: str, timeout: float = 0.5, writer: BatchWriter | None = None):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self._redis = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # unsure views are retried by flush, with their ids
        )
        self._record_once = self._redis.register_script(_RECORD_ONCE)
        self._writer = writer or write_batch_to_database
        self._down_until = 0.0
        self._lock = threading.Lock()
        #: Views whose answer was lost: (thread id, n, view id, seen-set key).
        self._unsure: list[tuple[int, int, str, str]] = []

    def _send(self, thread_id: int, n: int, view_id: str, seen_key: str) -> None:
        self._record_once(
            keys=[PENDING_KEY, seen_key], args=[str(thread_id), n, view_id, SEEN_SECONDS]
        )

    def record(self, thread_id: int, n: int = 1) -> None:
        """Add ``n`` views of ``thread_id`` (one script call). Raises
        :class:`RedisNotSent` when Redis was not reached (and at once for
        ``RETRY_SECONDS`` after a failure: a dead Redis costs no wait); a lost answer
        keeps the view for :meth:`retry_unsure` and returns normally."""
        if time.monotonic() < self._down_until:
            raise RedisNotSent("Redis was unreachable a moment ago")
        view_id = secrets.token_hex(8)
        seen_key = f"{SEEN_PREFIX}{int(time.time()) // 60}"
        try:
            self._send(thread_id, n, view_id, seen_key)
        except Exception as exc:
            self._down_until = time.monotonic() + self.RETRY_SECONDS
            if _never_sent(exc):
                raise RedisNotSent(str(exc)) from exc
            logger.warning("Redis did not answer a view count; it will be sent again")
            with self._lock:
                self._unsure.append((thread_id, n, view_id, seen_key))

    def unsure(self) -> int:
        """How many views wait to be sent again (their first answer was lost)."""
        return len(self._unsure)

    def retry_unsure(self) -> int:
        """Send the views whose answer was lost again (each is added at most once);
        return how many were sent. Raises on a Redis error (the rest are kept)."""
        with self._lock:
            todo, self._unsure = self._unsure, []
        sent = 0
        try:
            for item in todo:
                self._send(*item)
                sent += 1
        finally:
            if sent < len(todo):
                with self._lock:
                    self._unsure[:0] = todo[sent:]
        return sent

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

        First sends again this process's views whose answer was lost. Then, under a
        Redis lock (``SET NX EX``), renames the pending hash to a batch key (atomic:
        views arriving meanwhile start a new hash) and writes every batch found — this
        one and any left by a flusher that died — each in one transaction that also
        records the batch's key, then deletes it from Redis. A batch already recorded
        (written, but its deletion failed or its flusher was killed just after the
        commit) is deleted without being written again.
        """
        import uuid

        self.retry_unsure()
        token = uuid.uuid4().hex
        if not self._redis.set(LOCK_KEY, token, nx=True, ex=LOCK_SECONDS):
            return 0
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
                if counts and self._writer(key, counts):
                    written += sum(counts.values())
                self._redis.delete(key)
        finally:
            self._release(token)
        return written

    def _release(self, token: str) -> None:
        """Give up the flush lock if this process still holds it."""
        try:
            if self._redis.get(LOCK_KEY) == token.encode():
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
        if _store is not None and _store.unsure():
            _store.retry_unsure()
    except Exception:  # noqa: BLE001 - Redis is gone: those views are lost
        logger.exception("views whose Redis answer was lost are dropped at exit")
    try:
        counter.flush()
    except Exception:  # the database may already be gone at interpreter exit
        logger.exception("view counts lost at exit")


atexit.register(_flush_at_exit)
