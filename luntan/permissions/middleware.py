"""The per-request viewer and the permission module's refusals as pages.

:class:`ViewerMiddleware` (after ``AuthenticationMiddleware``) puts a lazily built
:class:`~luntan.permissions.viewer.Viewer` on ``request.viewer``: nothing is read until a
permission function first asks (then the session's unlocked boards, read only when the
request has a session cookie). It also turns exceptions of the permission module that
reach it into pages: :class:`~luntan.permissions.BoardPasswordRequired` → 302 to the
board's password form, other ``PermissionDenied`` with a message → a 403 page with the
reason.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from luntan.permissions.boards import BoardPasswordRequired
from luntan.permissions.passwords import SESSION_KEY
from luntan.permissions.post_passwords import SESSION_KEY as POST_SESSION_KEY
from luntan.permissions.viewer import Viewer, ViewerRequest


def build_viewer(request: HttpRequest) -> Viewer:
    """The :class:`Viewer` of ``request``: its user (a guest without one), the boards and
    password posts unlocked in its session and its ``REMOTE_ADDR``."""
    session = getattr(request, "session", None)
    boards = posts = None
    if session is not None and session.session_key:
        boards = session.get(SESSION_KEY)
        posts = session.get(POST_SESSION_KEY)
    return Viewer(
        getattr(request, "user", None),
        unlocked_boards=boards,
        unlocked_posts=posts,
        ip=request.META.get("REMOTE_ADDR"),
    )


def attach_viewer(request: HttpRequest, viewer: Viewer) -> ViewerRequest:
    """Put ``viewer`` on ``request.viewer`` in place of the middleware's (the API's token
    authentication does, for the token's member) and return ``request``, now typed as a
    :class:`~luntan.permissions.viewer.ViewerRequest`."""
    # The one place besides the middleware that adds the attribute ViewerRequest declares.
    typed = cast(ViewerRequest, request)
    typed.viewer = viewer
    return typed


class ViewerMiddleware:
    """See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = SimpleLazyObject(lambda: build_viewer(request))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BoardPasswordRequired):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(
                reverse("permissions:board_password", args=[exception.board.pk]) + f"?{query}"
            )
        if isinstance(exception, PermissionDenied) and exception.args and exception.args[0]:
            return render(
                request, "permissions/denied.html", {"reason": str(exception)}, status=403
            )
        return None
