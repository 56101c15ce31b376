"""The unread tracker's part of the thread page (a thread page hook)."""

from __future__ import annotations

from typing import Any

from luntan.unread import services


def record_page_read(request: Any, page: Any) -> str:
    """Record what a member was shown (:func:`luntan.unread.services.record_read`): the
    highest floor on the page, or the thread's top floor when the page is the last one in
    thread order. Nothing for guests, other orders' pages or pages without floors. Adds no
    HTML."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not page.floors:
        return ""
    if page.author_id is not None or page.desc:
        return ""
    thread = page.thread
    seen = max(f.post.floor for f in page.floors)
    if page.number >= page.num_pages:
        seen = max(seen, thread.max_floor)
    services.record_read(user, thread, seen)
    return ""
