"""Template context: ``notify_unread``, the header bell's number of unread notices.

A callable, so nothing is read until the template asks: guests' headers never ask (no
query), a member's costs one cache read (one COUNT query when the cache is cold, see
:func:`luntan.notifications.services.unread_count`)."""

from __future__ import annotations

from django.http import HttpRequest

from luntan.notifications.services import unread_count


def notifications(request: HttpRequest) -> dict:
    """``{"notify_unread": callable → int}`` (0 for a guest)."""
    user = getattr(request, "user", None)

    def unread() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user.pk)

    return {"notify_unread": unread}
