"""Moderation's part of the posting pipeline (registered by
:class:`luntan.moderation.apps.ModerationConfig`):

- a quote filter: a 屏蔽 post is not quoted (the thread page hides its content, so a quote
  must not show it: quoting shows what the thread page shows);
- the moderation log (:class:`~luntan.moderation.models.AuditLog`) of a delete done by a
  moderator (``Trust.MODERATOR``).
"""

from __future__ import annotations

from django.utils import timezone

from luntan.moderation import hooks as hooks_
from luntan.moderation.models import Action
from luntan.moderation.posts import _log_post
from luntan.moderation.rendering import unbanned
from luntan.threads.posting import Trust, hooks


def log_delete(request, post, thread, before_state) -> None:
    """Record a moderator's delete (删除帖子) with its reason and IP."""

    if request.trust is not Trust.MODERATOR:
        return
    _log_post(
        post,
        Action.DELETE_POST,
        {"state": before_state},
        {"state": post.state},
        request.actor,
        request.reason,
        request.ip,
        request.now or timezone.now(),
    )
    hooks_.content_moderated(
        Action.DELETE_POST,
        thread=thread,
        post=post,
        actor=request.actor,
        reason=request.reason,
        now=request.now,
    )


def register() -> None:
    """Register the hooks with :mod:`luntan.threads.posting.hooks`."""

    hooks.register_quote_filter(unbanned)
    hooks.register_on_deleted(log_delete)
