"""Registries apps beside ``moderation`` fill from their ``AppConfig.ready()`` to hear of
moderation events without ``moderation`` importing them (no import cycle).

- :func:`register_on_reported` — ``hook(report)`` after a member reported a post
  (:func:`luntan.moderation.posts.report_post`), inside its transaction: a hook that does
  work outside the database uses ``transaction.on_commit`` (``luntan.webhooks``).
- :func:`register_on_approved` — ``hook(post)`` for each post a moderator approved out
  of the review queue (审核通过; :func:`luntan.moderation.posts.approve_post`), inside its
  transaction after the counters: the post is VISIBLE and its thread NORMAL
  (``luntan.notifications``).
- :func:`register_on_moderated` — ``hook(action, thread=, post=, actor=, reason=,
  now=)`` after a moderator acted on a member's content, inside the action's
  transaction: ``action`` is a :class:`~luntan.moderation.models.Action` value —
  ``move``, ``close`` (not ``open``), ``recycle`` (a thread into the recycle bin),
  ``delete_post``, ``ban_post`` (屏蔽, not un-屏蔽) or ``warn``; ``post`` is ``None`` for
  a thread action; ``reason`` the moderator's reason (may be empty)
  (``luntan.notifications`` tells the author).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OnReported = Callable[[Any], None]
OnApproved = Callable[[Any], None]
OnModerated = Callable[..., None]

_on_reported: list[OnReported] = []
_on_approved: list[OnApproved] = []
_on_moderated: list[OnModerated] = []


def register_on_reported(hook: OnReported) -> None:
    """Add ``hook(report)``, called once per new report (idempotent registration)."""
    if hook not in _on_reported:
        _on_reported.append(hook)


def post_reported(report: Any) -> None:
    """Run every registered hook for the new ``report``."""
    for hook in tuple(_on_reported):
        hook(report)


def register_on_approved(hook: OnApproved) -> None:
    """Add ``hook(post)``, called for each approved post (idempotent registration)."""
    if hook not in _on_approved:
        _on_approved.append(hook)


def post_approved(post: Any) -> None:
    """Run every registered hook for ``post``, just approved."""
    for hook in tuple(_on_approved):
        hook(post)


def register_on_moderated(hook: OnModerated) -> None:
    """Add ``hook(action, *, thread, post, actor, reason, now)`` (idempotent)."""
    if hook not in _on_moderated:
        _on_moderated.append(hook)


def content_moderated(
    action: str, *, thread: Any, post: Any = None, actor: Any = None, reason: str = "", now=None
) -> None:
    """Run every registered hook for a moderator's ``action`` (see the module docstring)."""
    for hook in tuple(_on_moderated):
        hook(action, thread=thread, post=post, actor=actor, reason=reason, now=now)
