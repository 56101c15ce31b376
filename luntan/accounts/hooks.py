"""Registries apps above ``accounts`` fill from their ``AppConfig.ready()`` to hear of
member events without ``accounts`` importing them.

- :func:`register_on_registered` — ``hook(user)`` after a member registered
  (:func:`luntan.accounts.services.register_member`), inside its transaction: a hook that
  does work outside the database uses ``transaction.on_commit`` (``luntan.webhooks``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OnRegistered = Callable[[Any], None]

_on_registered: list[OnRegistered] = []


def register_on_registered(hook: OnRegistered) -> None:
    """Add ``hook(user)``, called once per new member (idempotent registration)."""
    if hook not in _on_registered:
        _on_registered.append(hook)


def member_registered(user: Any) -> None:
    """Run every registered hook for the new member ``user``."""
    for hook in tuple(_on_registered):
        hook(user)
