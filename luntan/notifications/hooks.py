"""The hooks :class:`~luntan.notifications.apps.NotificationsConfig` registers: a counted
new post (posting pipeline ``on_created``: held posts are not counted, so they notify
nobody) and a held post approved by a moderator (``moderation`` ``on_approved``)."""

from __future__ import annotations

from typing import Any

from luntan.notifications import services


def on_post_created(request: Any, result: Any) -> None:
    """``on_created(request, result)``: notify about ``result.post`` (the quoted post's
    author from ``request.quote``)."""
    quote = getattr(request, "quote", None)
    services.notify_post(
        result.post,
        quote_author_id=quote.author_id if quote is not None else None,
        now=result.post.created,
    )


def on_post_approved(post: Any) -> None:
    """``on_approved(post)``: a held post is now visible; notify as if just posted (the
    quoted post found from the quote header)."""
    services.notify_post(post, quote_author_id=services.quoted_author_id(post))
