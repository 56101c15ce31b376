"""Board reads that need no other app: a board with its parents, breadcrumbs, the board
tree of the index in one precompiled query, the site's day boundaries. The pages built on
them (board index, board thread list) are :mod:`luntan.boardpages.queries`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from luntan.boards.models import Board
from luntan.core.models import site_time_zone
from luntan.core.precompiled import Precompiled, PrecompiledObjects

_BOARD_FIELDS = (
    "id",
    "parent_id",
    "kind",
    "name",
    "description",
    "display_order",
    "is_hidden",
    "view_groups",
    "password",
    "redirect_url",
    "threads",
    "posts",
    "last_thread_id",
    "last_post_at",
    "last_poster_name",
    "last_thread__id",
    "last_thread__subject",
    "today_posts",
    "yesterday_posts",
    "posts_day",
)


def site_day_starts(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Return (start of today, start of yesterday), aware, at midnight in the site time zone.

    "Today" follows the site time zone (:func:`luntan.core.models.site_time_zone`, GMT+8
    by default) for every viewer, as Discuz!'s ``todayposts`` counter is reset at the
    site's midnight.
    """

    tz = site_time_zone()
    today = timezone.localtime(now or timezone.now(), tz).date()
    start = dt.datetime.combine(today, dt.time(), tzinfo=tz)
    yesterday = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, yesterday


# In the model's field order, as Model.from_db expects the values of a partial row.
_INDEX_COLUMNS = tuple(
    f.attname
    for f in Board._meta.concrete_fields
    if f.name in _BOARD_FIELDS or f.attname in _BOARD_FIELDS
)
_INDEX_BOARDS = Precompiled(
    lambda: Board.objects.order_by("display_order", "id").values_list(
        *_INDEX_COLUMNS, "last_thread__subject"
    )
)


def index_boards() -> list[tuple[Board, str]]:
    """Every board, in display order, with the columns of ``_BOARD_FIELDS`` (the rest
    deferred), each paired with its last thread's subject (``""`` when none): ``[(board,
    last subject), …]``, one query compiled once per process
    (:class:`luntan.core.precompiled.Precompiled`)."""
    return [
        (Board.from_db("default", _INDEX_COLUMNS, row[:-1]), row[-1] or "")
        for row in _INDEX_BOARDS.rows()
    ]


def get_board(pk: int) -> Board:
    """Return board ``pk`` with its parent and grandparent (for breadcrumbs), one query
    compiled once per process.

    Raises ``Board.DoesNotExist``.
    """
    try:
        found = _BOARD.fetch(pk=pk) if pk > 0 else []
    except OverflowError:  # beyond the column's integer type: no such board
        raise Board.DoesNotExist from None
    if not found:
        raise Board.DoesNotExist
    return found[0]


# Compiled once per process: the query's shape never changes.
_BOARD = PrecompiledObjects(
    lambda v: Board.objects.select_related("parent__parent").filter(pk=v["pk"]), slots=("pk",)
)


def breadcrumbs(board: Board) -> list[tuple[str, str]]:
    """Return ``[(name, url), …]`` from the top category down to ``board`` itself.

    Uses the parents already loaded by :func:`get_board` (no query for up to two levels).
    """
    chain = []
    b: Board | None = board
    depth = 0
    while b is not None and depth < 3:
        chain.append((b.name, b.get_absolute_url()))
        b = b.parent if b.parent_id else None
        depth += 1
    return list(reversed(chain))


def category_id(board: Board) -> int | None:
    """The id of the category ``board`` belongs to: its parent, or its grandparent for a
    sub-board (uses the parents loaded by :func:`get_board`)."""
    node = board
    for _depth in range(2):
        parent = node.parent if node.parent_id else None
        if parent is None:
            return None
        node = parent
        if node.kind == Board.Kind.CATEGORY:
            return node.pk
    return None
