"""Read queries of the API that the pages do not have: a board's threads by cursor.

Cursor (keyset) pagination instead of page numbers: a cursor is the sort key of the last
row returned, so the next page is one index range scan (``thread_list_idx`` on
``(board, state, -sticky, -last_post_at)``) whatever its depth, and threads bumped while a
client pages do not shift the pages under it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.dateparse import parse_datetime

from luntan.boards.models import Board, ThreadType
from luntan.threads.models import Thread
from luntan.threads.queries import LIST_FIELDS, THREAD_FIELDS, hole_annotations

#: Sort orders: name → (fields, newest first). ``last_post`` lists stickies first, as
#: the board page does.
ORDERS = {
    "last_post": ("sticky", "last_post_at", "id"),
    "created": ("created", "id"),
}


class BadCursor(ValueError):
    """The cursor is not one this API gave out (or not for this order)."""


def encode_cursor(order: str, t: Thread) -> str:
    """The opaque cursor after thread ``t`` in ``order``."""
    values = [getattr(t, f).isoformat() if f.endswith(("_at", "created")) else getattr(t, f) for f in ORDERS[order]]  # fmt: skip
    raw = json.dumps([order, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(order: str, cursor: str) -> list:
    """The sort key in ``cursor``; raises :class:`BadCursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError) as exc:
        raise BadCursor(cursor) from exc
    fields = ORDERS[order]
    if not isinstance(data, list) or len(data) != len(fields) + 1 or data[0] != order:
        raise BadCursor(cursor)
    values: list[datetime | int] = []
    for name, value in zip(fields, data[1:], strict=True):
        if name.endswith(("_at", "created")):
            parsed = parse_datetime(value) if isinstance(value, str) else None
            if parsed is None or parsed.tzinfo is None:
                raise BadCursor(cursor)
            values.append(parsed)
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
            values.append(value)
        else:
            raise BadCursor(cursor)
    return values


def _after(fields: tuple[str, ...], values: list) -> Q:
    """Rows after ``values`` in descending order of ``fields`` (a keyset condition)."""
    head, *rest = fields
    first, *others = values
    if not rest:
        return Q(**{f"{head}__lt": first})
    return Q(**{f"{head}__lt": first}) | (Q(**{head: first}) & _after(tuple(rest), others))


@dataclass
class ThreadSlice:
    threads: list[Thread]
    next_cursor: str | None


def board_threads(
    board: Board,
    *,
    order: str = "last_post",
    cursor: str | None = None,
    limit: int = 20,
    type_id: int | None = None,
    digest: bool | None = None,
    sticky: bool | None = None,
) -> ThreadSlice:
    """Up to ``limit`` visible (state NORMAL) threads of ``board`` after ``cursor``, with
    ``type`` set, and the cursor of the next slice (``None`` at the end). Filters:
    ``type_id`` (a thread type of the board), ``digest`` (精华 or not), ``sticky`` (置顶
    or not). Two queries (types, threads). Raises :class:`BadCursor`."""
    fields = ORDERS[order]
    qs = Thread.objects.filter(board=board, state=Thread.State.NORMAL)
    if type_id is not None:
        qs = qs.filter(type_id=type_id)
    if digest is not None:
        qs = qs.filter(digest__gt=0) if digest else qs.filter(digest=0)
    if sticky is not None:
        qs = qs.filter(sticky__gt=0) if sticky else qs.filter(sticky=0)
    if cursor:
        qs = qs.filter(_after(fields, decode_cursor(order, cursor)))
    rows = list(qs.only(*LIST_FIELDS).order_by(*(f"-{f}" for f in fields))[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    types = {t.pk: t for t in ThreadType.objects.filter(board=board)}
    for t in rows:
        t.type = types.get(t.type_id) if t.type_id is not None else None
    next_cursor = encode_cursor(order, rows[-1]) if more and rows else None
    return ThreadSlice(rows, next_cursor)


def get_thread(pk: int) -> Thread:
    """Thread ``pk`` as :func:`luntan.threads.queries.get_visible_thread` loads it (board,
    parents, type, moderation notice, floor holes: one query) plus ``last_poster_name``. Raises
    ``Http404`` when it does not exist or is not NORMAL."""
    from django.http import Http404

    try:
        return (
            Thread.objects.select_related("board__parent__parent", "type", "mod_notice")
            .only(*THREAD_FIELDS, "last_poster_name")
            .annotate(**hole_annotations())  # pages of what the caller sees: no query more
            .get(pk=pk, state=Thread.State.NORMAL)
        )
    except Thread.DoesNotExist:
        raise Http404 from None
