"""The hooks :class:`~luntan.notifications.apps.NotificationsConfig` registers: a counted
new post (posting pipeline ``on_created``: held posts are not counted, so they notify
nobody), a held post approved by a moderator (``moderation`` ``on_approved``), a rating
(``credits`` ``on_rated``) and a moderator's action on a member's content (``moderation``
``on_moderated``)."""

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
    quoted post found from the quote header; a post 屏蔽 while held tells moderators only)."""
    from luntan.moderation.models import BannedPost

    services.notify_post(
        post,
        quote_author_id=services.quoted_author_id(post),
        banned=BannedPost.objects.filter(post_id=post.pk).exists(),
    )


def on_rated(rating: Any, credit_name: str) -> None:
    """credits' ``on_rated(rating, credit_name)``: tell the post's author (评分)."""
    services.notify_rating(rating, credit_name)


def on_moderated(action: str, *, thread: Any, post: Any, actor: Any, reason: str, now) -> None:
    """moderation's ``on_moderated``: tell the content's author, with the reason."""
    services.notify_moderation(
        action, thread=thread, post=post, actor=actor, reason=reason or "", now=now
    )
