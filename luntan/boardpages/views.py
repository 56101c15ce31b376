"""Board index (/) and board pages (/f/<id>/).

These pages gather boards, threads, permissions and moderation's moved-thread stubs, so
they live above all of them (:mod:`luntan.boardpages`), not in ``boards``."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from luntan import permissions
from luntan.boardpages import fragments, queries
from luntan.boards.models import Board
from luntan.boards.queries import breadcrumbs, get_board
from luntan.core.parsing import parse_id, parse_page
from luntan.feeds.queries import guest_can_read_board
from luntan.online.services import online_now
from luntan.permissions.viewer import ViewerRequest
from luntan.threads import view_counts
from luntan.threads.queries import holes_of
from luntan.unread import services as unread_services


def index(request: ViewerRequest) -> HttpResponse:
    """The board index: categories, their boards and sub-boards, site statistics.

    Three queries whatever the number of boards (see :func:`queries.index_data`); the
    在线会员 box from the cache (:func:`luntan.online.services.online_now`).
    """
    data = queries.index_data(request.viewer)
    rows_html = fragments.board_rows_html(data.categories)
    if request.user.is_authenticated:
        unread = unread_services.unread_board_ids(
            request.user, [row for _category, rows in data.categories for row in rows]
        )
        rows_html = fragments.mark_new_boards(rows_html, unread)
    return render(
        request,
        "boardpages/index.html",
        {
            "data": data,
            "board_rows": rows_html,
            "online": online_now(),
        },
    )


def board(request: ViewerRequest, pk: str) -> HttpResponse:
    """A board's thread list (``?page=N``, ``?type=<type_id>``) or a category's boards.

    Link boards redirect to their address. Unknown ids give 404; malformed parameters
    are ignored (first page, all types).
    """
    try:
        found = get_board(int(pk))
    except Board.DoesNotExist:
        raise Http404 from None
    permissions.check_view_board(request.viewer, found)
    if found.redirect_url:
        return HttpResponseRedirect(found.redirect_url)
    crumbs = breadcrumbs(found)
    if found.kind == Board.Kind.CATEGORY:
        data = queries.index_data(request.viewer)
        categories = [
            (c, rows) for c, rows in data.categories if c is not None and c.pk == found.pk
        ]
        if not categories:
            categories = [(found, [])]
        return render(
            request,
            "boardpages/category.html",
            {
                "category": found,
                "board_rows": fragments.board_rows_html(categories),
                "crumbs": crumbs,
                "data": data,
            },
        )

    permissions.check_read_board(request.viewer, found)  # password, read access
    type_id = parse_id(request.GET.get("type"))
    page = parse_page(request.GET.get("page"))
    listing = queries.thread_list(found, page, type_id, user=request.viewer)
    type_id = listing.type_id
    per_page = settings.LUNTAN_POSTS_PER_PAGE
    # Page links follow the thread page's rule: pages of the floors this viewer sees
    # (a moderator of the board also sees deleted floors).
    moderator = permissions.is_moderator(request.viewer, found)
    pending = view_counts.pending_many([row.thread.pk for row in listing.threads])
    for row in listing.threads:
        t = row.thread
        row.views_shown = t.views + pending[t.pk]
        row.last_page = holes_of(t).num_pages(per_page, moderator)
        row.page_links = thread_page_links(row.last_page)
    unread = unread_services.unread_thread_ids(
        request.user, [row.thread for row in listing.threads if not row.moved]
    )
    prefix = f"?type={type_id}&page=" if type_id else "?page="
    return render(
        request,
        "boardpages/board.html",
        {
            "board": found,
            "crumbs": crumbs,
            "listing": listing,
            "type_id": type_id,
            "page_prefix": prefix,
            "can_post": permissions.can_start_thread(request.viewer, found),
            "guest_feed": guest_can_read_board(found),  # its RSS exists (no query)
            "unread": unread,
        },
    )


def thread_page_links(last_page: int) -> list[int | None]:
    """Page numbers linked after a long thread's subject in the list, Discuz!-style:
    ``2 3 4 5 6 … 20`` (``None`` marks the gap). Empty for a one-page thread."""
    if last_page < 2:
        return []
    if last_page <= 6:
        return list(range(2, last_page + 1))
    return [2, 3, 4, 5, None, last_page]
