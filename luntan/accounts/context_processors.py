"""Template context of every page: the signed-in member's small avatar for the header."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from luntan.accounts.avatars import avatar_url


def avatar(request: HttpRequest) -> dict:
    """``{"my_avatar": URL}``: the 48 px avatar (:func:`avatar_url`) of the signed-in member,
    ``""`` for guests; computed only when a template reads it, no query (the member is
    already loaded by the session)."""

    def url() -> str:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        return avatar_url(user, "small")

    return {"my_avatar": SimpleLazyObject(url)}
