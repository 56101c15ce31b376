"""Boards: ``GET /boards`` (the tree with counts), ``GET /boards/{id}`` and
``GET /boards/{id}/threads`` (cursor pages, filters by type/digest/sticky, order)."""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import Query

from luntan import permissions
from luntan.api import queries
from luntan.api.auth import ApiRequest
from luntan.api.endpoints.common import ERRORS, Id, router, thread_summary
from luntan.api.problems import Problem
from luntan.api.schemas import BoardNode, BoardOut, InputSchema, ThreadListOut
from luntan.boardpages import queries as index_queries
from luntan.boards import counters
from luntan.boards import queries as board_queries
from luntan.boards.models import Board, ThreadType
from luntan.core.parsing import MAX_ID

TAGS = ["boards"]


def _last(row_or_board, locked: bool, subject: str) -> dict | None:
    at = getattr(row_or_board, "last_post_at", None)
    if locked or at is None:
        return None
    return {
        "thread_id": row_or_board.last_thread_id,
        "subject": subject,
        "at": at,
        "poster_name": row_or_board.last_poster_name,
    }


def _node(board: Board, viewer, *, threads, posts, today, last, children) -> dict:
    locked = permissions.board_locked(viewer, board)
    return {
        "id": board.pk,
        "kind": board.kind,
        "name": board.name,
        "description": board.description,
        "parent_id": board.parent_id,
        "threads": threads,
        "posts": posts,
        "today_posts": today,
        "redirect_url": board.redirect_url,
        "locked": locked,
        "last_post": None if locked else last,
        "children": children,
    }


@router.get(
    "/boards", tags=TAGS, response={200: list[BoardNode], **ERRORS}, summary="The board tree"
)
def board_tree(request: ApiRequest):
    """Categories → boards → sub-boards the caller may see, with their counts as the
    board index shows them (a board's figures include its sub-boards). Hidden boards
    and boards of other usergroups are left out (:func:`luntan.permissions.
    visible_boards`); a password board is listed with ``locked`` and no last post."""
    viewer = request.viewer
    data = index_queries.index_data(viewer)
    today = counters.site_date(timezone.now())
    out = []
    for category, rows in data.categories:
        children = []
        for row in rows:
            subs = [
                _node(
                    s,
                    viewer,
                    threads=s.threads,
                    posts=s.posts,
                    today=counters.day_counts(s, today)[0],
                    last=_last(s, False, data.last_subjects.get(s.pk, "")),
                    children=[],
                )
                for s in row.subs
            ]
            children.append(
                _node(
                    row.board,
                    viewer,
                    threads=row.threads,
                    posts=row.posts,
                    today=row.today,
                    last=_last(row, False, row.last_subject),
                    children=subs,
                )
            )
        if category is None:
            out.extend(children)
            continue
        out.append(
            _node(
                category,
                viewer,
                threads=sum(c["threads"] for c in children),
                posts=sum(c["posts"] for c in children),
                today=sum(c["today_posts"] for c in children),
                last=None,
                children=children,
            )
        )
    return out


def _board(pk: int, viewer) -> Board:
    try:
        board = board_queries.get_board(pk)
    except Board.DoesNotExist:
        raise Http404 from None
    permissions.check_view_board(viewer, board)
    return board


@router.get(
    "/boards/{board_id}", tags=TAGS, response={200: BoardOut, **ERRORS}, summary="One board"
)
def board_detail(request: ApiRequest, board_id: Id):
    """A board the caller may see, its thread types and whether the caller may start a
    thread there. 404 for unknown boards and boards hidden from the caller."""
    board = _board(board_id, request.viewer)
    types = ThreadType.objects.filter(board=board).order_by("display_order", "id")
    return {
        "id": board.pk,
        "kind": board.kind,
        "name": board.name,
        "description": board.description,
        "rules": board.rules,
        "parent_id": board.parent_id,
        "threads": board.threads,
        "posts": board.posts,
        "thread_types": [{"id": t.pk, "name": t.name} for t in types],
        "thread_types_required": board.thread_types_required,
        "can_start_thread": permissions.can_start_thread(request.viewer, board),
    }


class ThreadFilters(InputSchema):
    cursor: str | None = NinjaField(default=None, max_length=512)
    limit: int = NinjaField(default=20, ge=1, le=100)
    order: Literal["last_post", "created"] = "last_post"
    type: int | None = NinjaField(default=None, ge=1, le=MAX_ID)
    digest: bool | None = None
    sticky: bool | None = None


@router.get(
    "/boards/{board_id}/threads",
    tags=TAGS,
    response={200: ThreadListOut, **ERRORS},
    summary="Threads of a board",
)
def board_threads(request: ApiRequest, board_id: Id, filters: Query[ThreadFilters]):
    """The board's visible threads, ``limit`` (1–100, default 20) at a time, newest
    activity first with stickies on top (``order=last_post``) or newest first
    (``order=created``). Filters: ``type`` (a thread type id), ``digest`` and ``sticky``
    (true/false). Pass the answer's ``next_cursor`` as ``cursor`` for the next slice.
    The same checks as the board page: 404 for a board hidden from the caller, 403
    (``board_password_required``, ``forbidden``) when its threads may not be read."""
    board = _board(board_id, request.viewer)
    permissions.check_read_board(request.viewer, board)
    if board.kind == Board.Kind.CATEGORY:
        raise Problem(404, "not_a_board", _("分区没有主题列表。"))
    try:
        found = queries.board_threads(
            board,
            order=filters.order,
            cursor=filters.cursor,
            limit=filters.limit,
            type_id=filters.type,
            digest=filters.digest,
            sticky=filters.sticky,
        )
    except queries.BadCursor:
        raise Problem(400, "invalid_cursor", _("cursor 参数无效。")) from None
    return {
        "items": [thread_summary(t) for t in found.threads],
        "next_cursor": found.next_cursor,
    }
