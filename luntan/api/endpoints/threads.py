"""Threads and posts to read: ``GET /threads/{id}`` (a page of floors) and
``GET /posts/{id}`` (one floor), through the thread page's read model
(:class:`luntan.threads.page.ThreadPage`): the same visibility, paging, floors and
moderation notices as ``/t/<id>/``."""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.http import Http404
from ninja import Field as NinjaField
from ninja import Query

from luntan import permissions
from luntan.api import queries as api_queries
from luntan.api.auth import ApiRequest
from luntan.api.endpoints.common import ERRORS, Id, floor_out, router, thread_summary
from luntan.api.schemas import InputSchema, PostOut, ThreadPageOut
from luntan.core.models import get_site_settings
from luntan.core.parsing import MAX_ID
from luntan.permissions.posting import posting_rights
from luntan.threads import queries, view_counts
from luntan.threads.models import Post, Thread
from luntan.threads.page import ThreadPage

TAGS = ["threads"]


class PageQuery(InputSchema):
    page: int = NinjaField(default=1, ge=1, le=MAX_ID)
    author: int | None = NinjaField(default=None, ge=1, le=MAX_ID)
    order: Literal["asc", "desc"] = "asc"


def _rights(request: ApiRequest, thread: Thread):
    """The caller's ``PostingRights`` on ``thread`` (``None`` for guests), as the page."""
    if not request.user.is_authenticated:
        return None
    site = get_site_settings()
    return posting_rights(request.viewer, thread, window_seconds=site.edit_window_seconds)


def thread_detail(thread: Thread, rights) -> dict:
    """:class:`~luntan.api.schemas.ThreadDetail` of a thread loaded by
    :func:`luntan.api.queries.get_thread`."""
    out = thread_summary(thread)
    out["board_name"] = thread.board.name
    out["can_reply"] = bool(rights is not None and rights.can_reply)
    return out


@router.get(
    "/threads/{thread_id}",
    tags=TAGS,
    response={200: ThreadPageOut, **ERRORS},
    summary="A thread's floors",
)
def thread_page(request: ApiRequest, thread_id: Id, q: Query[PageQuery]):
    """One page of the thread's floors (``LUNTAN_POSTS_PER_PAGE`` a page, cut by floor
    range like ``/t/<id>/``; a page past the end gives the last page). ``author``:
    只看该作者; ``order=desc``: 倒序 (the OP stays on top of page 1). Deleted floors keep
    their place with ``deleted``; posts awaiting review are left out. 404 for unknown,
    recycled or hidden threads; 403 ``read_level`` (阅读权限) or
    ``board_password_required``. Counts one view, as the page does."""
    thread = api_queries.get_thread(thread_id)
    permissions.check_view_thread(request.viewer, thread)
    rights = _rights(request, thread)
    site = get_site_settings()
    view = ThreadPage(
        thread,
        viewer=request.viewer,
        rights=rights,
        number=q.page,
        author_id=q.author,
        desc=q.order == "desc",
        region_level=site.ip_location_level,
        per_page=settings.LUNTAN_POSTS_PER_PAGE,
    )
    num_pages = view.num_pages
    if view.number > num_pages:
        view.number = num_pages
    view.load()
    view_counts.record_view(thread.pk, request)
    return {
        "thread": thread_detail(thread, rights),
        "page": view.number,
        "num_pages": num_pages,
        "floors": [floor_out(f, rights) for f in view.floors],
    }


def load_post(pk: int) -> Post:
    """Post ``pk`` with its thread (loaded as the thread page loads it); ``Http404`` when
    it does not exist or awaits review."""
    found = Post.objects.filter(pk=pk).values_list("thread_id", "state").first()
    if found is None or found[1] == Post.State.PENDING:
        raise Http404
    thread = api_queries.get_thread(found[0])
    post = Post.objects.select_related("thread").get(pk=pk)
    post.thread = thread
    return post


@router.get("/posts/{post_id}", tags=TAGS, response={200: PostOut, **ERRORS}, summary="One post")
def post_detail(request: ApiRequest, post_id: Id):
    """One floor, with its thread and the page it is on; the thread's checks apply. A
    deleted floor is a 404 unless the viewer moderates the board, as on the thread page."""
    post = load_post(post_id)
    thread = post.thread
    permissions.check_view_thread(request.viewer, thread)
    rights = _rights(request, thread)
    site = get_site_settings()
    view = ThreadPage(
        thread, viewer=request.viewer, rights=rights, region_level=site.ip_location_level
    )
    if post.state != Post.State.VISIBLE and not view.moderator:
        raise Http404
    try:
        view.load_post(post.pk)
    except Post.DoesNotExist:
        raise Http404 from None
    return {
        "thread_id": thread.pk,
        "page": queries.page_of_floor(
            thread, post.floor, settings.LUNTAN_POSTS_PER_PAGE, view.moderator
        ),
        "floor": floor_out(view.floors[0], rights),
    }
