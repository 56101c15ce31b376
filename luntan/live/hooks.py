"""Live replies' parts of the posting pipeline and the thread page."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from luntan.core.urlcache import reverse_pk
from luntan.live import broker


def publish_after_commit(request: Any, result: Any) -> None:
    """On-created posting hook: once the reply's transaction commits, tell the thread's
    listeners its new reply count (:func:`luntan.live.broker.publish`). Nothing for a new
    thread (nobody has it open) or a held post (on-created hooks never see those); a
    rolled-back post publishes nothing."""
    post, thread = result.post, result.thread
    if post.floor <= 1 or result.held:
        return
    thread_id = thread.pk
    replies = thread.replies + 1  # ``thread`` is the row locked before the counter moved
    transaction.on_commit(lambda: broker.publish(thread_id, replies))


def live_bar(request: Any, page: Any) -> str:
    """Thread page hook: for a member, the hidden "N 条新回复" bar and the script that
    listens (``live/live.js``). Guests get nothing (their pages are cached and shared)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not page.floors:
        return ""
    thread = page.thread
    top = max(f.post.floor for f in page.floors)
    in_place = page.author_id is None and not page.desc and page.number >= page.num_pages
    return render_to_string(
        "live/bar.html",
        {
            "src": reverse_pk("live:stream", thread.pk),
            "more": f"{thread.get_absolute_url()}?floor={top + 1}",
            "in_place": in_place,
        },
    )  # no request: the bar needs no context processor (they would all run again)
