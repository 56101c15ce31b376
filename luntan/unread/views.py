"""Unread pages: 新帖 / 最新回复 (``/new/``), the jump to a thread's first unread floor
(``/t/<id>/unread/``), 标记本版已读 (``POST /f/<id>/mark-read/``) and 全部标为已读
(``POST /mark-read/``)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from luntan import permissions
from luntan.boards.models import Board
from luntan.boards.queries import get_board
from luntan.core.parsing import parse_page
from luntan.permissions.viewer import ViewerRequest
from luntan.threads.models import Thread
from luntan.threads.queries import LIST_FIELDS, get_visible_thread
from luntan.unread import services

#: Threads on a page of 新帖 / 最新回复.
PER_PAGE = 30
#: How many pages 新帖 / 最新回复 goes back (the newest PER_PAGE × MAX_PAGES threads).
MAX_PAGES = 10


def recent(request: ViewerRequest) -> HttpResponse:
    """新帖 / 最新回复: the latest threads of every board the viewer may read, newest
    reply first (``?view=new``: newest threads first), ``?page=N`` up to
    :data:`MAX_PAGES`. A member's unread threads carry the 新 marker and a link to their
    first unread floor. Queries: the readable boards, the threads (and the board names
    joined), plus the member's two unread queries."""
    view = "new" if request.GET.get("view") == "new" else "replies"
    page = min(parse_page(request.GET.get("page")), MAX_PAGES)
    qs = permissions.filter_threads_queryset(Thread.objects.all(), request.viewer)
    order = ("-created", "-id") if view == "new" else ("-last_post_at", "-id")
    start = (page - 1) * PER_PAGE
    threads = list(
        qs.select_related("board")
        .only(*LIST_FIELDS, "board__id", "board__name")
        .order_by(*order)[start : start + PER_PAGE + 1]
    )
    has_next = len(threads) > PER_PAGE and page < MAX_PAGES
    threads = threads[:PER_PAGE]
    unread = services.unread_thread_ids(request.user, threads)
    prefix = "?view=new&page=" if view == "new" else "?page="
    return render(
        request,
        "unread/recent.html",
        {
            "threads": threads,
            "unread": unread,
            "view": view,
            "page": page,
            "num_pages": page + 1 if has_next else page,
            "page_prefix": prefix,
        },
    )


def jump(request: ViewerRequest, pk: str) -> HttpResponse:
    """302 to the first floor of thread ``pk`` the member has not seen
    (``/p/<post id>/``), or to the thread's last page when there is none (and for
    guests). 404 for a thread the viewer may not see."""
    thread = get_visible_thread(int(pk))
    permissions.check_view_thread(request.viewer, thread)
    post_id = services.first_unread_post_id(request.user, thread)
    if post_id is not None:
        return HttpResponseRedirect(reverse("threads:post", args=[post_id]))
    # 电梯直达 to the top floor: the thread page finds the page it is on for this viewer
    return HttpResponseRedirect(f"{thread.get_absolute_url()}?floor={thread.max_floor}")


def _back(request: ViewerRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def mark_board(request: ViewerRequest, pk: str) -> HttpResponse:
    """标记本版已读 (POST): every thread of board ``pk`` posted to until now becomes read.
    Guests are sent to log in; a board the viewer may not see is 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        board = get_board(int(pk))
    except Board.DoesNotExist:
        raise Http404 from None
    permissions.check_view_board(request.viewer, board)
    services.mark_board_read(request.user, board.pk)
    return HttpResponseRedirect(_back(request, board.get_absolute_url()))


@require_POST
def mark_all(request: ViewerRequest) -> HttpResponse:
    """全部标为已读 (POST): everything posted until now becomes read for the member."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("unread:recent"))
    services.mark_all_read(request.user)
    return HttpResponseRedirect(_back(request, reverse("unread:recent")))
