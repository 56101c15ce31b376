"""Registries apps beside ``moderation`` fill from their ``AppConfig.ready()`` to hear of
moderation events without ``moderation`` importing them (no import cycle).

- :func:`register_on_reported` — ``hook(report)`` after a member reported a post
  (:func:`luntan.moderation.posts.report_post`), inside its transaction: a hook that does
  work outside the database uses ``transaction.on_commit`` (``luntan.webhooks``).
- :func:`register_on_approved` — ``hook(post)`` for each post a moderator approved out
  of the review queue (审核通过; :func:`luntan.moderation.posts.approve_post`), inside its
  transaction after the counters: the post is VISIBLE and its thread NORMAL
  (``luntan.notifications``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OnReported = Callable[[Any], None]
OnApproved = Callable[[Any], None]

_on_reported: list[OnReported] = []
_on_approved: list[OnApproved] = []


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
