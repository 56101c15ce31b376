"""The board password form (``/f/<id>/password/``)."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luntan import permissions
from luntan.boards.models import Board
from luntan.permissions import password_attempts
from luntan.permissions.passwords import unlock
from luntan.permissions.viewer import ViewerRequest


@require_http_methods(["GET", "POST"])
def board_password(request: ViewerRequest, pk: str) -> HttpResponse:
    """Ask for board ``pk``'s password (POST ``password`` with the CSRF token); on success
    remember it for the session and 302 to ``next`` (a local path) or the board.
    404 for a board the viewer may not see or that has no password. A wrong password
    gives the form back with "密码错误" (status 200); after too many wrong ones every try
    is refused for a while (status 429, :mod:`luntan.permissions.password_attempts`)."""
    try:
        board = Board.objects.select_related("parent__parent").get(pk=int(pk))
    except Board.DoesNotExist:
        raise Http404 from None
    permissions.check_view_board(request.viewer, board)
    if not board.password:
        raise Http404
    target = request.POST.get("next") or request.GET.get("next") or board.get_absolute_url()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = board.get_absolute_url()
    error = None
    status = 200
    if request.method == "POST":
        kind = password_attempts.BOARD
        if password_attempts.attempts_exhausted(kind, request.viewer):
            error, status = password_attempts.too_many_message(), 429
        elif unlock(request, board, request.POST.get("password", "")):
            return HttpResponseRedirect(target)
        else:
            password_attempts.note_wrong_password(kind, request.viewer)
            error = _("密码错误，请重新输入。")
    elif not permissions.board_locked(request.viewer, board):
        return HttpResponseRedirect(target)
    return render(
        request,
        "permissions/board_password.html",
        {"board": board, "next": target, "error": error},
        status=status,
    )
