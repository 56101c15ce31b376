"""Who is listening to which thread, and how a new reply reaches them.

A message says only "thread T now has R replies" (``{"thread": T, "replies": R}``): it
never carries a post, so a listener learns nothing it could not read on the board list,
and fetches new floors through the ordinary, permission-checked thread page.

- **With Redis** (``REDIS_URL`` set): :func:`publish` PUBLISHes on the channel
  ``luntan:live:t:<T>``; every app server process keeps one PSUBSCRIBE connection
  (:class:`Hub`, started by the first listener) and hands each message to the local
  listeners of that thread. One Redis connection per process, whatever the number of
  listeners. While Redis is down, publishing is skipped (a failure silences it for
  :data:`QUIET_SECONDS`) and the subscriber retries every few seconds: pages keep
  working, live updates pause.
- **Without Redis** (the SQLite laptop set-up): :func:`publish` stores the count in the
  shared cache (a file cache that every worker on the machine reads) and each process
  polls the threads its listeners watch every :data:`POLL_SECONDS` with one
  ``get_many``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from typing import Any

from django.conf import settings

from luntan.core.cache import shared

log = logging.getLogger("luntan.live")

CHANNEL_PREFIX = "luntan:live:t:"
CACHE_PREFIX = "luntan:live:t:"
#: Seconds between two polls of the shared cache (without Redis).
POLL_SECONDS = 0.5
#: Seconds publishing stays off after Redis failed to answer.
QUIET_SECONDS = 10.0
#: Messages a slow listener may have waiting; later ones are dropped (the newest count
#: arrives with the next message anyway).
QUEUE_SIZE = 4

_sync_client: Any = None
_quiet_until = 0.0


def redis_url() -> str:
    """The Redis URL live replies use (``LUNTAN_LIVE_REDIS_URL``, by default
    ``REDIS_URL``), or ``""`` for the shared-cache fallback."""
    return str(getattr(settings, "LUNTAN_LIVE_REDIS_URL", "") or "")


def _timeout() -> float:
    return float(getattr(settings, "LUNTAN_REDIS_TIMEOUT", 0.5))


def publish(thread_id: int, replies: int) -> bool:
    """Tell every listener of ``thread_id`` that it now has ``replies`` replies. Call
    after the post's transaction committed. Returns whether the message went out; never
    raises (Redis down: ``False``, and publishing pauses for :data:`QUIET_SECONDS`)."""
    global _sync_client, _quiet_until
    url = redis_url()
    if not url:
        shared.set(f"{CACHE_PREFIX}{thread_id}", int(replies), timeout=600)
        return True
    if time.monotonic() < _quiet_until:
        return False
    try:
        import redis

        if _sync_client is None:
            _sync_client = redis.Redis.from_url(
                url, socket_timeout=_timeout(), socket_connect_timeout=_timeout()
            )
        message = json.dumps({"thread": thread_id, "replies": int(replies)})
        _sync_client.publish(f"{CHANNEL_PREFIX}{thread_id}", message)
        return True
    except Exception as exc:  # noqa: BLE001 - any Redis failure only pauses live updates
        _quiet_until = time.monotonic() + QUIET_SECONDS
        log.warning("live replies: Redis publish failed, paused %ss: %s", QUIET_SECONDS, exc)
        return False


class Hub:
    """This process's listeners (thread id → queues of the open event streams) and the
    one task feeding them (Redis subscriber or shared-cache poller). Lives in one event
    loop (:func:`hub`)."""

    def __init__(self) -> None:
        self.listeners: dict[int, set[asyncio.Queue]] = {}
        self._task: asyncio.Task | None = None
        self._seen: dict[int, int] = {}

    def subscribe(self, thread_id: int) -> asyncio.Queue:
        """A queue receiving the reply counts of ``thread_id`` (ints); starts the feeding
        task on first use."""
        queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
        self.listeners.setdefault(thread_id, set()).add(queue)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        return queue

    def unsubscribe(self, thread_id: int, queue: asyncio.Queue) -> None:
        """Forget ``queue`` (its stream ended)."""
        queues = self.listeners.get(thread_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self.listeners[thread_id]
                self._seen.pop(thread_id, None)

    def count(self) -> int:
        """Open listeners in this process."""
        return sum(len(q) for q in self.listeners.values())

    def dispatch(self, thread_id: int, replies: int) -> None:
        """Hand ``replies`` to every local listener of ``thread_id`` (never blocks)."""
        for queue in list(self.listeners.get(thread_id, ())):
            try:
                queue.put_nowait(replies)
            except asyncio.QueueFull:
                pass

    async def _run(self) -> None:
        if redis_url():
            await self._subscribe_redis()
        else:
            await self._poll_cache()

    async def _subscribe_redis(self) -> None:
        import redis.asyncio as aioredis

        while True:
            client = None
            try:
                client = aioredis.Redis.from_url(
                    redis_url(), socket_connect_timeout=_timeout(), health_check_interval=30
                )
                pubsub = client.pubsub()
                await pubsub.psubscribe(f"{CHANNEL_PREFIX}*")
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    try:
                        data = json.loads(message["data"])
                        self.dispatch(int(data["thread"]), int(data["replies"]))
                    except (ValueError, KeyError, TypeError):
                        continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis down: retry, pages unaffected
                log.warning("live replies: Redis subscription lost, retrying: %s", exc)
            finally:
                if client is not None:
                    try:
                        await client.aclose()
                    except Exception:  # noqa: BLE001, S110 - already broken
                        pass
            await asyncio.sleep(3)

    async def _poll_cache(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            ids = list(self.listeners)
            if not ids:
                continue
            keys = {f"{CACHE_PREFIX}{tid}": tid for tid in ids}
            try:
                found = await asyncio.to_thread(shared.get_many, list(keys))
            except Exception as exc:  # noqa: BLE001 - a cache failure pauses updates only
                log.warning("live replies: shared cache unreadable: %s", exc)
                continue
            for key, value in found.items():
                tid = keys[key]
                if self._seen.get(tid) != value:
                    self._seen[tid] = value
                    self.dispatch(tid, int(value))


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The :class:`Hub` of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = Hub()
    return found
