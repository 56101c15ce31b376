"""Per-request viewer state for :mod:`luntan.permissions` and its refusals as pages.

:class:`ViewerMiddleware` (after ``AuthenticationMiddleware``) puts the boards unlocked by
password this session on ``request.user.unlocked_boards`` (no query for a guest without a
session; the session is read anyway for a member), and turns exceptions of the permission
module that reach it into pages: :class:`~luntan.permissions.BoardPasswordRequired` → 302
to the board's password form, other ``PermissionDenied`` → a 403 page with the reason.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from luntan.permissions import BoardPasswordRequired
from luntan.permissions.passwords import SESSION_KEY
from luntan.permissions.post_passwords import SESSION_KEY as POST_SESSION_KEY


class ViewerMiddleware:
    """See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None:
            unlocked = session.get(SESSION_KEY) if session.session_key else None
            if unlocked:
                user.unlocked_boards = unlocked
            posts = session.get(POST_SESSION_KEY) if session.session_key else None
            if posts:
                user.unlocked_posts = posts  # 密码帖 (luntan.permissions.post_passwords)
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
