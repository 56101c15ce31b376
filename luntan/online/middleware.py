"""Counts each GET's visitor as online (:func:`luntan.online.services.touch`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from luntan.online.services import touch, visitor_key


class OnlineMiddleware:
    """Before a GET is answered, put the visitor in the current minute's bucket (so the
    index counts its own viewer): one cache read per request, no database write. Reads
    ``request.user`` (no query for a guest without a session; a member's page loads the
    member anyway)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            user = getattr(request, "user", None)
            member = user is not None and user.is_authenticated
            touch(
                visitor_key(user.pk if member else None, request.META.get("REMOTE_ADDR")),  # type: ignore[union-attr]
                user.get_username() if member else "",  # type: ignore[union-attr]
            )
        return self.get_response(request)
