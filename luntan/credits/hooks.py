"""Registries apps beside ``credits`` fill from their ``AppConfig.ready()`` to hear of
ratings without ``credits`` importing them (no import cycle).

- :func:`register_on_rated` — ``hook(rating, credit_name)`` after a member rated a post
  (评分; :func:`luntan.credits.rating.rate_post`), inside its transaction, with the new
  :class:`~luntan.credits.models.PostRating` (its ``post`` and ``rater`` loaded) and the
  name of its extcredit (威望…) — ``luntan.notifications`` tells the post's author.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OnRated = Callable[[Any, str], None]

_on_rated: list[OnRated] = []


def register_on_rated(hook: OnRated) -> None:
    """Add ``hook(rating, credit_name)``, called once per new rating (idempotent)."""
    if hook not in _on_rated:
        _on_rated.append(hook)


def post_rated(rating: Any, credit_name: str) -> None:
    """Run every registered hook for the new ``rating`` of the credit ``credit_name``."""
    for hook in tuple(_on_rated):
        hook(rating, credit_name)
