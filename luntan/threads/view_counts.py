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
            if self._counts:
                try:
                    self.flush()
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


def pending(thread_id: int) -> int:
    """Views of ``thread_id`` recorded in this process and not yet in the database."""
    return counter.pending(thread_id)


def flush() -> int:
    """Write this process's buffered views now; return how many were written."""
    return counter.flush()


def _flush_at_exit() -> None:
    try:
        counter.flush()
    except Exception:  # the database may already be gone at interpreter exit
        logger.exception("view counts lost at exit")


atexit.register(_flush_at_exit)
