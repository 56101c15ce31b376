"""``/live/t/<id>/``: a thread's new-reply count as server-sent events.

Served by the ASGI server (``make run``: gunicorn with uvicorn workers, ``luntan.asgi``):
an open stream is a coroutine waiting on a queue, not a worker, so a thousand listeners
cost memory, not throughput. Under WSGI (``runserver``, the test client) the view answers
204, which tells ``EventSource`` not to reconnect: the page works as without JavaScript.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from luntan import permissions
from luntan.live import broker
from luntan.threads.queries import get_visible_thread

#: Seconds between keep-alive comments (proxies close silent connections).
KEEPALIVE_SECONDS = 15.0


def _replies_if_readable(request: HttpRequest, thread_id: int) -> int:
    """The thread's reply count; ``Http404`` / ``PermissionDenied`` as the thread page."""
    thread = get_visible_thread(thread_id)
    permissions.check_view_thread(request.viewer, thread)  # type: ignore[attr-defined]
    return thread.replies


def _event(replies: int, thread_id: int) -> bytes:
    data = json.dumps({"thread": thread_id, "replies": replies})
    return f"event: replies\ndata: {data}\n\n".encode()


async def events(thread_id: int, replies: int, lifetime: float) -> AsyncIterator[bytes]:
    """The event stream of one listener: the current count at once, then every new count
    published for ``thread_id``, keep-alive comments, and the end after ``lifetime``
    seconds (the browser reconnects after the ``retry`` delay)."""
    hub = broker.hub()
    queue = hub.subscribe(thread_id)
    try:
        yield b"retry: 2000\n\n" + _event(replies, thread_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + lifetime
        while (left := deadline - loop.time()) > 0:
            try:
                replies = await asyncio.wait_for(queue.get(), timeout=min(KEEPALIVE_SECONDS, left))
            except TimeoutError:
                yield b": keep-alive\n\n"
                continue
            yield _event(replies, thread_id)
    finally:
        hub.unsubscribe(thread_id, queue)


async def stream(request: HttpRequest, pk: str) -> HttpResponse | StreamingHttpResponse:
    """Server-sent events for thread ``pk`` (``event: replies``, data
    ``{"thread": id, "replies": n}``), for whoever may read the thread (404/403 as the
    thread page otherwise). ``LUNTAN_LIVE_SECONDS`` (default 300) bounds a connection."""
    thread_id = int(pk)
    replies = await sync_to_async(_replies_if_readable)(request, thread_id)
    if not isinstance(request, ASGIRequest):
        return HttpResponse(status=204)
    # GZipMiddleware would compress each event as its own gzip member: not for a stream.
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    lifetime = float(getattr(settings, "LUNTAN_LIVE_SECONDS", 300))
    response = StreamingHttpResponse(
        events(thread_id, replies, lifetime), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through at once
    return response
