"""Data the permission rules need from apps above them, plugged in at start-up.

:mod:`luntan.permissions` sits below ``threads`` and the feature apps (``bans``,
``credits``, …) in the layers (see ``docs/architecture.md``), so it never imports them.
Those apps register here, from their ``AppConfig.ready()``, the few lookups the rules
need; until one registers, the lookup answers "nothing" (no ban, no IP ban, no rating
group), which is what a site without that app would mean.

- :data:`providers.active_ban` — ``(user) -> ban or None``: the member's active ban
  (registered by ``luntan.bans``; one query).
- :data:`providers.ip_banned` — ``(address: str | None) -> bool``: whether an IP address
  is banned (``luntan.bans``; cached, no query).
- :data:`providers.ban_details` — ``(user) -> (reason, expires_at or None) or None``: the
  member's active ban for refusal messages (``luntan.bans``; one query).
- :data:`providers.rating_groups` — ``() -> frozenset[int]``: usergroup ids that may rate
  posts (``luntan.credits``; cached).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _no_ban(_user: Any) -> None:
    return None


def _no_ip_ban(_address: str | None) -> bool:
    return False


def _no_rating_groups() -> frozenset[int]:
    return frozenset()


@dataclass
class Providers:
    """The registered lookups (see the module docstring); replace a field to register."""

    active_ban: Callable[[Any], Any] = _no_ban
    ban_details: Callable[[Any], Any] = _no_ban
    ip_banned: Callable[[str | None], bool] = _no_ip_ban
    rating_groups: Callable[[], frozenset[int]] = _no_rating_groups


#: The one registry instance; apps assign its fields from ``AppConfig.ready()``.
providers = Providers()


def register(**lookups: Callable) -> None:
    """Register lookups by name (``active_ban=…``, ``ban_details=…``, ``ip_banned=…``,
    ``rating_groups=…``).

    Raises ``TypeError`` for an unknown name."""
    for name, func in lookups.items():
        if not hasattr(providers, name):
            raise TypeError(f"unknown permission provider {name!r}")
        setattr(providers, name, func)
