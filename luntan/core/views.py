"""Site-wide views: error pages, legacy Discuz! URL redirects, the text archive (Archiver),
and the small query-parameter parsers every page uses.

Parsers never raise: a malformed ``page``, ``author``, ``floor`` or ``type`` value is
treated as absent, so a crafted URL gives the first page, never a server error.
"""

from __future__ import annotations

import logging
import math
import re

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse

logger = logging.getLogger(__name__)

# Largest id the database can hold (signed 64-bit); larger numbers would overflow queries.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"^[0-9]{1,19}$")


def parse_id(value: str | None) -> int | None:
    """Return ``value`` as a positive database id, or ``None`` when absent or malformed.

    Accepts decimal digits only (no sign, spaces or SQL), 1 ≤ id ≤ 2**63 - 1.
    """
    if not value or not _DIGITS.match(value):
        return None
    n = int(value)
    if n < 1 or n > MAX_ID:
        return None
    return n


def parse_page(value: str | None) -> int:
    """Return a 1-based page number from ``?page=``; malformed or < 1 gives 1.

    Very large numbers are kept (capped at 2**63 - 1) for the caller to clamp to the
    last page.
    """
    if not value:
        return 1
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        return 1
    if len(value) > 19:
        return MAX_ID
    return max(1, min(int(value), MAX_ID))


def pages_for(count: int, per_page: int) -> int:
    """Number of pages (≥ 1) for ``count`` items at ``per_page`` a page."""
    return max(1, math.ceil(count / per_page))


# --- error pages --------------------------------------------------------------------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 page in the site layout."""
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 page in the site layout (site name, footer, links home)."""
    try:
        return render(request, "404.html", status=404)
    except Exception:  # the database may be the reason; fall back to the static page
        logger.exception("404 page could not be rendered in the site layout")
        return HttpResponseNotFound(loader.get_template("500.html").render({"not_found": True}))


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page; rendered without a request context, so it needs no database or session."""
    return HttpResponseServerError(loader.get_template("500.html").render({}))


# --- legacy Discuz! URLs ------------------------------------------------------------------


def _with_page(url: str, page: int) -> str:
    return f"{url}?page={page}" if page > 1 else url


def _thread_by_tid(tid: int | None, page: int = 1) -> HttpResponsePermanentRedirect:
    # The importer's lookup also follows moved-thread stubs (Discuz! closed > 1).
    from luntan.importers.discuz.legacy import thread_for_discuz_tid

    thread = thread_for_discuz_tid(tid) if tid is not None else None
    if thread is None:
        raise Http404
    return HttpResponsePermanentRedirect(_with_page(thread.get_absolute_url(), page))


def _board_by_fid(fid: int | None, page: int = 1) -> HttpResponsePermanentRedirect:
    from luntan.boards.models import Board

    if fid is None:
        raise Http404
    board = get_object_or_404(Board.objects.only("id"), discuz_fid=fid)
    return HttpResponsePermanentRedirect(_with_page(board.get_absolute_url(), page))


def _post_by_pid(pid: int | None) -> HttpResponsePermanentRedirect:
    from luntan.importers.discuz.legacy import post_for_discuz_pid

    post = post_for_discuz_pid(pid) if pid is not None else None
    if post is None:
        raise Http404
    return HttpResponsePermanentRedirect(post.get_absolute_url())


def _add_query(response: HttpResponsePermanentRedirect, **params) -> HttpResponse:
    wanted = {k: v for k, v in params.items() if v is not None}
    if wanted:
        sep = "&" if "?" in response["Location"] else "?"
        response["Location"] += sep + "&".join(f"{k}={v}" for k, v in wanted.items())
    return response


def _type_by_typeid(typeid: int | None) -> int | None:
    from luntan.boards.models import ThreadType

    if typeid is None:
        return None
    return ThreadType.objects.filter(discuz_typeid=typeid).values_list("pk", flat=True).first()


def _user_by_uid(uid: int | None) -> int | None:
    from luntan.accounts.models import User

    if uid is None:
        return None
    return User.objects.filter(discuz_uid=uid).values_list("pk", flat=True).first()


def _last_page_of_tid(tid: int | None) -> HttpResponsePermanentRedirect:
    from luntan.importers.discuz.legacy import thread_for_discuz_tid

    thread = thread_for_discuz_tid(tid) if tid is not None else None
    if thread is None:
        raise Http404
    last = pages_for(thread.max_floor, settings.LUNTAN_POSTS_PER_PAGE)
    return HttpResponsePermanentRedirect(_with_page(thread.get_absolute_url(), last))


def legacy_forum_php(request: HttpRequest) -> HttpResponse:
    """301 from Discuz! X ``forum.php`` links to the new URLs.

    - ``mod=viewthread&tid=N[&page=P][&authorid=U]`` → ``/t/<id>/[?page=P][&author=<uid>]``
      (thread with ``discuz_tid=N``; 只看该作者 kept for an imported member)
    - ``mod=forumdisplay&fid=F[&page=P][&typeid=T]`` → ``/f/<id>/[?page=P][&type=<id>]``
      (board with ``discuz_fid=F``)
    - ``mod=redirect&goto=findpost&pid=P[&ptid=T]`` → ``/p/<id>/`` (post with ``discuz_pid=P``;
      imported quote headers link here)
    - ``mod=redirect&goto=lastpost&tid=N`` → the thread's last page
    - ``mod=attachment&aid=A`` (A plain or as Discuz!'s ``aidencode()`` writes it) → the
      imported attachment's ``/attachments/<id>/`` (which checks the viewer's rights)
    - ``gid=G`` (a category, Discuz!'s 分区 link) → ``/f/<id>/``
    - anything else (no ``mod``, ``mod=index``, unknown) → ``/``.

    Unknown ids give 404.
    """
    q = request.GET
    mod = q.get("mod", "")
    page = parse_page(q.get("page"))
    if mod == "viewthread":
        response = _thread_by_tid(parse_id(q.get("tid")), page)
        return _add_query(response, author=_user_by_uid(parse_id(q.get("authorid"))))
    if mod == "forumdisplay":
        response = _board_by_fid(parse_id(q.get("fid")), page)
        return _add_query(response, type=_type_by_typeid(parse_id(q.get("typeid"))))
    if mod == "redirect" and q.get("goto") == "findpost":
        return _post_by_pid(parse_id(q.get("pid")))
    if mod == "attachment":  # imported attachment, plain or aidencode()d aid
        from luntan.importers.discuz.legacy import attachment_url_for_aid

        url = attachment_url_for_aid(q.get("aid"))
        if url is None:
            raise Http404
        return HttpResponsePermanentRedirect(url)
    if mod == "redirect" and q.get("goto") == "lastpost":
        return _last_page_of_tid(parse_id(q.get("tid")))
    if not mod and q.get("gid"):
        return _board_by_fid(parse_id(q.get("gid")))
    return HttpResponsePermanentRedirect("/")


def legacy_space(request: HttpRequest, uid: str | None = None) -> HttpResponse:
    """301 from a Discuz! member space (``home.php?mod=space&uid=N``, ``space-uid-N.html``;
    imported @mentions link here) to ``/u/<id>/`` of the imported member; 404 if unknown.
    Other ``home.php`` pages go to ``/``."""
    if uid is None:
        if request.GET.get("mod") != "space":
            return HttpResponsePermanentRedirect("/")
        uid = request.GET.get("uid")
    pk = _user_by_uid(parse_id(uid))
    if pk is None:
        raise Http404
    return HttpResponsePermanentRedirect(reverse("accounts:profile", args=[pk]))


def legacy_thread_html(request: HttpRequest, tid: str, page: str, extra: str) -> HttpResponse:
    """301 from Discuz!'s rewritten ``thread-<tid>-<page>-<listpage>.html`` to ``/t/<id>/``."""
    return _thread_by_tid(parse_id(tid), parse_page(page))


def legacy_forum_html(request: HttpRequest, fid: str, page: str) -> HttpResponse:
    """301 from Discuz!'s rewritten ``forum-<fid>-<page>.html`` to ``/f/<id>/``."""
    return _board_by_fid(parse_id(fid), parse_page(page))


# --- Archiver: a light text-only archive for crawlers ------------------------------------

_ARCHIVER_LEGACY = re.compile(r"^(tid|fid)-([0-9]{1,19})\.html")


def archiver_index(request: HttpRequest) -> HttpResponse:
    """``/archiver/``: every listed board, grouped by category, as plain links.

    Discuz!'s own archiver links (``/archiver/?tid-5.html``, ``?fid-2.html``) are
    answered with a 301 to the new archive pages of the imported thread or board.
    """
    from luntan.boards.models import Board
    from luntan.threads.models import Thread

    legacy = _ARCHIVER_LEGACY.match(request.META.get("QUERY_STRING", ""))
    if legacy:
        kind, number = legacy.groups()
        if kind == "tid":
            thread = get_object_or_404(Thread.objects.only("id"), discuz_tid=int(number))
            return HttpResponsePermanentRedirect(reverse("core:archiver-thread", args=[thread.pk]))
        board = get_object_or_404(Board.objects.only("id"), discuz_fid=int(number))
        return HttpResponsePermanentRedirect(reverse("core:archiver-board", args=[board.pk]))

    from luntan import permissions

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
    return render(request, "core/archiver_index.html", {"tree": tree})


def archiver_board(request: HttpRequest, pk: str) -> HttpResponse:
    """``/archiver/f/<id>/?page=N``: a board's threads as plain links, 50 a page (newest first)."""
    from luntan.boards.models import Board
    from luntan.threads.models import Thread

    per_page = 50
    from luntan import permissions

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
        "core/archiver_board.html",
        {"board": board, "threads": threads, "page": page, "num_pages": num_pages},
    )


def archiver_thread(request: HttpRequest, pk: str) -> HttpResponse:
    """``/archiver/t/<id>/?page=N``: a thread's visible posts as light HTML, floors paged
    like the thread page (by floor range)."""
    from luntan.threads.models import Post

    per_page = settings.LUNTAN_POSTS_PER_PAGE
    from luntan import permissions
    from luntan.moderation.rendering import unbanned
    from luntan.threads.queries import get_visible_thread

    thread = get_visible_thread(int(pk))
    permissions.check_view_thread(request.viewer, thread)
    num_pages = pages_for(thread.max_floor, per_page)
    page = min(parse_page(request.GET.get("page")), num_pages)
    posts = list(
        unbanned(Post.objects.all())  # 屏蔽 posts stay out of the archive
        .filter(
            thread=thread,
            state=Post.State.VISIBLE,
            floor__gt=(page - 1) * per_page,
            floor__lte=page * per_page,
        )
        .only("id", "floor", "author_name", "is_anonymous", "created", "html")
        .order_by("floor")
    )
    return render(
        request,
        "core/archiver_thread.html",
        {"thread": thread, "posts": posts, "page": page, "num_pages": num_pages},
    )
