"""The Archiver: a light text-only archive of the forum for crawlers (``/archiver/``),
as Discuz! X3.4's ``archiver/`` (its ``?tid-N.html`` / ``?fid-N.html`` links 301 here).

Only what the viewer may read is listed (:mod:`luntan.permissions`); banned (屏蔽) posts
stay out (:func:`luntan.threads.posting.hooks.shown_in_full`, the filters moderation
registers).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from luntan import permissions
from luntan.boards.models import Board
from luntan.core.parsing import pages_for, parse_page
from luntan.permissions.viewer import ViewerRequest
from luntan.threads import queries
from luntan.threads.models import Post, Thread
from luntan.threads.posting.hooks import shown_in_full
from luntan.threads.queries import get_visible_thread

_ARCHIVER_LEGACY = re.compile(r"^(tid|fid)-([0-9]{1,19})\.html")


def archiver_index(request: ViewerRequest) -> HttpResponse:
    """``/archiver/``: every listed board, grouped by category, as plain links.

    Discuz!'s own archiver links (``/archiver/?tid-5.html``, ``?fid-2.html``) are
    answered with a 301 to the new archive pages of the imported thread or board.
    """
    legacy = _ARCHIVER_LEGACY.match(request.META.get("QUERY_STRING", ""))
    if legacy:
        kind, number = legacy.groups()
        if kind == "tid":
            thread = get_object_or_404(Thread.objects.only("id"), discuz_tid=int(number))
            return HttpResponsePermanentRedirect(reverse("archiver:thread", args=[thread.pk]))
        board = get_object_or_404(Board.objects.only("id"), discuz_fid=int(number))
        return HttpResponsePermanentRedirect(reverse("archiver:board", args=[board.pk]))

    everything = Board.objects.only(
        "id", "parent_id", "kind", "name", "is_hidden", "view_groups", "redirect_url"
    ).order_by("display_order", "id")
    seen = {b.pk for b in permissions.visible_boards(request.viewer, everything)}
    boards = [b for b in everything if b.pk in seen and not b.redirect_url]
    children: dict[int | None, list] = {}
    for b in boards:
        children.setdefault(b.parent_id, []).append(b)
    tree = [
        (root, [(b, children.get(b.pk, [])) for b in children.get(root.pk, [])])
        for root in children.get(None, [])
    ]
    return render(request, "archiver/index.html", {"tree": tree})


def archiver_board(request: ViewerRequest, pk: str) -> HttpResponse:
    """``/archiver/f/<id>/?page=N``: a board's threads as plain links, 50 a page (newest first)."""
    per_page = 50
    board = get_object_or_404(Board.objects.select_related("parent__parent"), pk=int(pk))
    permissions.check_read_board(request.viewer, board)
    num_pages = pages_for(board.threads, per_page)
    page = min(parse_page(request.GET.get("page")), num_pages)
    threads = list(
        Thread.objects.filter(board=board, state=Thread.State.NORMAL)
        .only("id", "subject", "replies")
        .order_by("-last_post_at", "-id")[(page - 1) * per_page : page * per_page]
    )
    return render(
        request,
        "archiver/board.html",
        {"board": board, "threads": threads, "page": page, "num_pages": num_pages},
    )


def archiver_thread(request: ViewerRequest, pk: str) -> HttpResponse:
    """``/archiver/t/<id>/?page=N``: a thread's visible posts as light HTML, paged as the
    thread page pages them for a member (:func:`luntan.threads.queries.posts_by_floor`:
    pages of the floors a member sees, gaps and deleted posts left out); 屏蔽 posts stay
    out of the archive (one query more to sort those out)."""
    per_page = settings.LUNTAN_POSTS_PER_PAGE
    thread = get_visible_thread(int(pk))
    permissions.check_view_thread(request.viewer, thread)
    num_pages = queries.num_pages(thread, per_page)
    page = min(parse_page(request.GET.get("page")), num_pages)
    on_page = queries.posts_by_floor(thread, page, per_page)
    full = set(
        shown_in_full(Post.objects.filter(pk__in=[p.pk for p in on_page])).values_list(
            "pk", flat=True
        )
    )
    posts = [p for p in on_page if p.pk in full]
    return render(
        request,
        "archiver/thread.html",
        {"thread": thread, "posts": posts, "page": page, "num_pages": num_pages},
    )
