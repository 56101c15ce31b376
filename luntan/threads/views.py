"""Thread page (/t/<id>/), reading mode (/t/<id>/read/) and post permalinks (/p/<id>/).

A guest's thread page costs two queries (thread with board/type, the page's posts with
their authors and groups), plus one view-count UPDATE when the buffer is flushed and one
site-settings read when its cache is cold; the ``?author=`` view adds a COUNT. A member
adds their own row (session) and one :func:`~luntan.permissions.is_moderator` lookup,
from which the quick reply box and every floor's action links are decided; the
``?author=`` view adds a COUNT, and a
page whose posts have attachments one query for all of them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from luntan import permissions
from luntan.boards.queries import breadcrumbs
from luntan.core.models import get_site_settings
from luntan.core.parsing import parse_id, parse_page
from luntan.permissions.posting import posting_rights
from luntan.permissions.viewer import ViewerRequest
from luntan.threads import extras, queries, view_counts
from luntan.threads.forms import ReplyForm
from luntan.threads.models import Post, Thread
from luntan.threads.page import ThreadPage


def _thread_url(thread: Thread, page: int = 1, **params: object) -> str:
    query = {k: v for k, v in params.items() if v}
    if page > 1:
        query["page"] = page
    url = thread.get_absolute_url()
    return f"{url}?{urlencode(query)}" if query else url


def thread(request: ViewerRequest, pk: str) -> HttpResponse:
    """Show one page of a thread's floors.

    Query parameters (each ignored when malformed): ``page`` (1-based; past the end
    redirects to the last page), ``author`` (只看该作者: a user id), ``order=desc``
    (倒序浏览), ``floor`` (电梯直达: redirects to the floor's page and anchor).
    Raises ``Http404`` for an unknown, recycled or pending thread. A thread whose read
    level (阅读权限) is above the viewer's shows its header and the message only (403).
    """
    per_page = settings.LUNTAN_POSTS_PER_PAGE
    try:
        t = queries.get_visible_thread(int(pk))
    except Http404:
        target = extras.find_missing_thread(int(pk))  # e.g. 合并: to the thread it joined
        if target is None:
            raise
        return HttpResponsePermanentRedirect(reverse("threads:thread", args=[target]))
    try:
        permissions.check_view_thread(request.viewer, t)
    except permissions.ThreadReadLevelDenied as exc:
        # Discuz! shows the thread in lists but not its posts (thread_nopermission).
        return render(
            request,
            "threads/thread_read_level.html",
            {
                "thread": t,
                "board": t.board,
                "crumbs": breadcrumbs(t.board),
                "message": exc.args[0],
            },
            status=403,
        )
    q = request.GET
    desc = q.get("order") == "desc"
    author_id = parse_id(q.get("author"))

    page = parse_page(q.get("page"))
    order = "desc" if desc else ""
    site = get_site_settings()
    # A member's rights are decided once for the page (≤ 1 query: is_moderator); guests
    # cost nothing here. Floors then get their 回复/引用/编辑/删除 links without queries.
    rights = None
    if request.user.is_authenticated:
        rights = posting_rights(request.viewer, t, window_seconds=site.edit_window_seconds)

    floor = parse_id(q.get("floor"))
    if floor is not None:  # 电梯直达: the page where that floor is for this viewer
        moderator = bool(rights is not None and rights.moderator)
        found = queries.find_floor(t, floor, per_page, moderator)
        anchor = f"#pid{found.post_id}" if found.post_id else ""
        return HttpResponseRedirect(_thread_url(t, found.page) + anchor)
    view = ThreadPage(
        t,
        viewer=request.viewer,
        rights=rights,
        number=page,
        author_id=author_id,
        desc=desc,
        region_level=site.ip_location_level,
        per_page=per_page,
        request=request,
    )
    num_pages = view.num_pages
    if page > num_pages:
        return HttpResponseRedirect(_thread_url(t, num_pages, author=author_id, order=order))
    view.load()
    if not view.floors and page > view.num_pages:  # fewer pages than the holes said
        return HttpResponseRedirect(_thread_url(t, view.num_pages, author=author_id, order=order))
    floors_html = view.render()
    qr_form = (
        ReplyForm(user=request.user, viewer=request.viewer)
        if rights is not None and rights.can_reply
        else None
    )
    # Like Discuz! X3.4 (viewthread_updateviews runs after the page is built), the count
    # shown is the one before this view: stored + this process's buffered views.
    views_shown = t.views + view_counts.pending(t.pk)
    if request.method == "GET":
        view_counts.record_view(t.pk, request)  # once per viewer per window
    # unread tracking, live replies (luntan.unread, luntan.live): see extras.page_hooks
    hooks = extras.page_hooks() if request.method == "GET" else ()
    page_extras = mark_safe(  # noqa: S308 - each hook's HTML is escaped unless marked safe
        "".join(str(conditional_escape(hook(request, view))) for hook in hooks)
    )

    base = {"author": author_id, "order": order}
    prefix_query = urlencode({k: v for k, v in base.items() if v})
    page_prefix = f"?{prefix_query}&page=" if prefix_query else "?page="
    return render(
        request,
        "threads/thread.html",
        {
            "thread": t,
            "board": t.board,
            "crumbs": breadcrumbs(t.board),
            "posts": view.floors,
            "floors_html": floors_html,
            "page_extras": page_extras,
            "page": page,
            "num_pages": num_pages,
            "page_prefix": page_prefix,
            "desc": desc,
            "author_id": author_id,
            "views_shown": views_shown,
            "permalink": request.build_absolute_uri(t.get_absolute_url()),
            "thread_url": t.get_absolute_url(),
            "rights": rights,
            "qr_form": qr_form,
            # the quick reply appends its floor in place only on the page it belongs to
            "qr_page": page if author_id is None and not desc else "",
        },
    )


def read_mode(request: ViewerRequest, pk: str) -> HttpResponse:
    """Reading mode (阅读模式): the OP alone (subject, author, time, body), clean type.

    Two queries (three when the OP has attachments). Raises ``Http404`` for an invisible
    thread, a deleted OP or one withheld from the public (屏蔽); a password OP (密码帖)
    the viewer has not unlocked shows its lock, as the thread page does.
    """
    t = queries.get_visible_thread(int(pk))
    permissions.check_view_thread(request.viewer, t)
    view = ThreadPage(t, viewer=request.viewer, per_page=1).load()
    op = view.floors[0] if view.floors else None
    if op is None or not op.is_op or op.deleted or op.withheld:
        raise Http404
    return render(
        request,
        "threads/read.html",
        {
            "thread": t,
            "board": t.board,
            "post": op.post,
            "floor": op,
            "crumbs": breadcrumbs(t.board),
        },
    )


def _thread_holes() -> dict:
    """The thread's :func:`~luntan.threads.queries.hole_annotations` for a ``Post``
    queryset, named ``thread_floors_*``."""
    return {f"thread_{k}": v for k, v in queries.hole_annotations("thread_id").items()}


def permalink(request: ViewerRequest, pk: str) -> HttpResponse:
    """``/p/<id>/``: 302 to ``/t/<thread>/?page=N#pid<id>``, N being the page where the
    post's floor is *for this viewer* (pages count the floors the viewer sees: a member
    does not see deleted posts, a moderator of the board does; a post the viewer does not
    see is not shown). Page 1 has no ``page`` parameter. One query
    (the post with its thread's holes), one more when floors below it are hidden or
    missing, plus the member's moderator lookup; 404 for unknown or pending posts, and
    for a deleted post unless the viewer moderates the board (the page would not have
    its anchor)."""
    try:
        post = (
            Post.objects.select_related("thread__board__parent__parent")
            .only(
                "id",
                "thread_id",
                "floor",
                "state",
                *(f"thread__{name}" for name in queries.THREAD_VISIBILITY_FIELDS),
            )
            .annotate(**_thread_holes())
            .get(pk=int(pk))
        )
    except Post.DoesNotExist:
        raise Http404 from None
    if post.state == Post.State.PENDING:
        raise Http404
    t = post.thread
    permissions.check_view_thread(request.viewer, t)
    for name in queries.HOLE_FIELDS:
        setattr(t, name, getattr(post, f"thread_{name}"))
    moderator = request.viewer.moderates(t.board)
    if post.state != Post.State.VISIBLE and not moderator:
        raise Http404
    page = queries.page_of_floor(t, post.floor, settings.LUNTAN_POSTS_PER_PAGE, moderator)
    url = reverse("threads:thread", args=[post.thread_id]) + (f"?page={page}" if page > 1 else "")
    return HttpResponseRedirect(f"{url}#pid{post.pk}")
