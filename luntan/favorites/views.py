"""收藏 / 订阅 pages: the state and buttons of one thread (``/t/<id>/favorite/``) or
board (``/f/<id>/favorite/``), and 我的收藏 (``/favorites/``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luntan import permissions
from luntan.boards.models import Board
from luntan.boards.queries import breadcrumbs
from luntan.favorites import services
from luntan.favorites.models import Favorite, Follow
from luntan.permissions.viewer import ViewerRequest
from luntan.threads.models import Thread
from luntan.threads.queries import get_visible_thread

PER_PAGE = 20
ACTIONS = ("favorite", "unfavorite", "follow", "unfollow")


def _apply(request: HttpRequest, target: dict) -> str:
    action = request.POST.get("action", "")
    user = request.user
    if action == "favorite":
        services.add_favorite(user, **target)
        return _("已收藏。")
    if action == "unfavorite":
        services.remove_favorite(user, **target)
        return _("已取消收藏。")
    if action == "follow":
        services.follow(user, **target)
        return _("已订阅。")
    services.unfollow(user, **target)
    return _("已取消订阅。")


def _page(request: HttpRequest, target: dict, *, check, context: dict, back: str):
    try:
        check()
    except PermissionDenied as exc:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(request, "threads/forbidden.html", {"reason": str(exc)}, status=403)
    if request.method == "POST":
        if request.POST.get("action") not in ACTIONS:
            return render(
                request,
                "threads/forbidden.html",
                {"reason": _("未知的操作。")},
                status=400,
            )
        messages.success(request, _apply(request, target))
        return HttpResponseRedirect(back)
    key = {f"{k}_id": v.pk for k, v in target.items()}
    user_id = int(request.user.pk or 0)  # a member: checked above
    context.update(
        {
            "favorited": Favorite.objects.filter(user_id=user_id, **key).exists(),
            "followed": Follow.objects.filter(user_id=user_id, **key).exists(),
            "back": back,
        }
    )
    return render(request, "favorites/target.html", context)


@require_http_methods(["GET", "POST"])
def thread_favorite(request: ViewerRequest, pk: str) -> HttpResponse:
    """GET: whether the member favourites / follows thread ``pk``, with the buttons;
    POST ``action`` (favorite, unfavorite, follow, unfollow; CSRF-checked): done through
    :mod:`luntan.favorites.services`, then 302 to the thread with a message. Guests go
    to the log-in page, a thread the member can't read is 404 (or 403 with the reason),
    an unknown action 400."""
    thread = get_visible_thread(int(pk))
    return _page(
        request,
        {"thread": thread},
        check=lambda: permissions.check_favorite_thread(request.viewer, thread),
        context={"thread": thread, "board": thread.board, "crumbs": breadcrumbs(thread.board)},
        back=thread.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def board_favorite(request: ViewerRequest, pk: str) -> HttpResponse:
    """As :func:`thread_favorite` for board ``pk`` (back to the board)."""
    try:
        board = Board.objects.select_related("parent__parent").get(pk=int(pk))
    except Board.DoesNotExist:
        raise Http404 from None
    if board.kind == Board.Kind.CATEGORY or board.redirect_url:
        raise Http404
    return _page(
        request,
        {"board": board},
        check=lambda: permissions.check_favorite_board(request.viewer, board),
        context={"thread": None, "board": board, "crumbs": breadcrumbs(board)},
        back=board.get_absolute_url(),
    )


TABS = ("threads", "boards", "follows")


def mine(request: ViewerRequest) -> HttpResponse:
    """我的收藏: the member's favourite threads (newest first, 20 a page), boards, and
    follows (订阅), each limited to what they may still read now. Guests go to log in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "threads"
    readable = permissions.filter_threads_queryset(Thread.objects.all(), request.viewer)
    visible_boards = permissions.filter_boards_queryset(Board.objects.all(), request.viewer)
    rows: QuerySet
    if tab == "boards":
        rows = Favorite.objects.filter(
            user_id=request.user.pk, board__in=visible_boards.values("pk")
        ).select_related("board")
    elif tab == "threads":
        rows = Favorite.objects.filter(
            user_id=request.user.pk, thread__in=readable.values("pk")
        ).select_related("thread__board")
    else:
        rows = Follow.objects.filter(
            Q(thread__in=readable.values("pk")) | Q(board__in=visible_boards.values("pk")),
            user_id=request.user.pk,
        ).select_related("thread__board", "board")
    page = Paginator(rows.order_by("-created", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "favorites/mine.html",
        {"tab": tab, "page": page, "rows": list(page.object_list)},
    )
