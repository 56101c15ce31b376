"""Private messages (站内短消息) for the mobile API's ``mypm``/``sendpm``/``publicpm``.

The private-message feature is not part of luntan yet; until it is, these modules answer
with a well-formed envelope, empty lists and the error ``Message`` ``pm_unavailable``.
"""

from __future__ import annotations

from typing import Any


def available() -> bool:
    """Whether private messages exist on this site (not yet)."""
    return False


def unread(user: Any) -> int:
    """Unread private messages of ``user`` (0 while the feature is absent)."""
    return 0
