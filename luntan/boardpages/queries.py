"""Read queries for the board index (/) and board pages (/f/<id>/), with pinned query counts.

The index costs two queries whatever the size of the site: the board tree with each
board's last thread and its 今日/昨日 counters (:func:`luntan.boards.queries.index_boards`),
and the site statistics row (members, the newest member), both kept by
:mod:`luntan.boards.counters`. A board page costs four (five with a thread type filter,
which needs a COUNT; one more on page 1 for other boards' stickies and moved-thread stubs,
served by small indexes).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from luntan import permissions
from luntan.boards import counters
from luntan.boards.models import Board, ThreadType
from luntan.boards.queries import _BOARD_FIELDS, category_id, index_boards
from luntan.core.precompiled import PrecompiledObjects
from luntan.moderation.models import MovedThread
from luntan.threads.models import Thread
from luntan.threads.queries import LIST_FIELDS, hole_annotations


@dataclass
class BoardRow:
    """A board as listed on the index: the :class:`Board` plus figures that include its
    sub-boards (``threads``, ``posts``, ``today`` and the newest last post), and
    ``subs``, its visible sub-boards."""

    board: Board
    threads: int = 0
    posts: int = 0
    today: int = 0
    last_post_at: dt.datetime | None = None
    last_poster_name: str = ""
    last_thread_id: int | None = None
    last_subject: str = ""
    subs: list[Board] = field(default_factory=list)

    def take_last(self, b: Board, subject: str) -> None:
        """Make ``b``'s last post this row's when it is newer; ``subject`` is the subject
        of ``b``'s last thread (as :func:`luntan.boards.queries.index_boards` loads it)."""
        if b.last_post_at and (self.last_post_at is None or b.last_post_at > self.last_post_at):
            self.last_post_at = b.last_post_at
            self.last_poster_name = b.last_poster_name
            self.last_thread_id = b.last_thread_id
            self.last_subject = subject if b.last_thread_id else ""


@dataclass
class IndexData:
    """Everything the board index shows. ``categories`` is a list of
    ``(category Board, [BoardRow, …])``; boards without a category come under ``None``."""

    categories: list[tuple[Board | None, list[BoardRow]]]
    today: int
    yesterday: int
    posts: int
    members: int
    newest_member: dict | None
    #: ``{board id: its last thread's subject}`` of the boards listed (sub-boards
    #: included); a board whose password the viewer has not given is left out.
    last_subjects: dict[int, str] = field(default_factory=dict)


def index_data(user=None, now: dt.datetime | None = None) -> IndexData:
    """Collect the board index in two queries (see the module docstring).

    Boards ``user`` may not see (:func:`luntan.permissions.visible_boards`: hidden boards,
    boards restricted to other usergroups, and everything under them) are left out of the
    listing; ``user`` ``None`` means a guest. The totals (今日, 昨日, 帖子) count the boards
    the viewer can see, so they reveal nothing of a hidden board. A board row's figures include its
    sub-boards. Returns :class:`IndexData`.
    """
    today = counters.site_date(now or timezone.now())
    loaded = index_boards()
    boards = [b for b, _subject in loaded]
    last_subjects = {b.pk: subject for b, subject in loaded}
    stats = counters.site_stats()
    newest = (
        {"id": stats.newest_member_id, "username": stats.newest_member_name}
        if stats.newest_member_id
        else None
    )

    by_id = {b.pk: b for b in boards}
    counts = {b.pk: counters.day_counts(b, today) for b in boards}
    seen = {b.pk for b in permissions.visible_boards(user, boards)}
    # Totals over the boards the viewer can see: a staff-only board's activity stays hidden.
    total_today = sum(c[0] for pk, c in counts.items() if pk in seen)
    total_yesterday = sum(c[1] for pk, c in counts.items() if pk in seen)
    total_posts = sum(b.posts for b in boards if b.pk in seen)

    def visible(b: Board) -> bool:
        return b.pk in seen

    categories: dict[int | None, list[BoardRow]] = {}
    order: list[Board | None] = []
    rows: dict[int, BoardRow] = {}
    shown_subjects: dict[int, str] = {}
    for b in boards:
        if b.kind == Board.Kind.CATEGORY and b.parent_id is None and visible(b):
            categories[b.pk] = []
            order.append(b)
    for b in boards:
        if b.kind == Board.Kind.CATEGORY or not visible(b):
            continue
        parent = by_id.get(b.parent_id) if b.parent_id else None
        if parent is not None and parent.kind != Board.Kind.CATEGORY:
            continue  # a sub-board; attached to its board below
        key = parent.pk if parent is not None else None
        if key not in categories:
            categories[key] = []
            order.append(parent)
        row = BoardRow(board=b, threads=b.threads, posts=b.posts, today=counts.get(b.pk, (0,))[0])
        if not permissions.board_locked(user, b):  # a locked board's last subject stays hidden
            row.take_last(b, last_subjects[b.pk])
            shown_subjects[b.pk] = last_subjects[b.pk]
        rows[b.pk] = row
        categories[key].append(row)
    for b in boards:
        parent_row = rows.get(b.parent_id) if b.parent_id else None
        if parent_row is None or b.kind == Board.Kind.CATEGORY or not visible(b):
            continue
        parent_row.subs.append(b)
        parent_row.threads += b.threads
        parent_row.posts += b.posts
        parent_row.today += counts.get(b.pk, (0,))[0]
        if not permissions.board_locked(user, b):
            parent_row.take_last(b, last_subjects[b.pk])
            shown_subjects[b.pk] = last_subjects[b.pk]
    return IndexData(
        categories=[(c, categories[c.pk if c else None]) for c in order],
        today=total_today,
        yesterday=total_yesterday,
        posts=total_posts,
        members=stats.members,
        newest_member=newest,
        last_subjects=shown_subjects,
    )


@dataclass
class ListedThread:
    """One row of a board's thread list: ``thread`` (with ``type`` set), ``moved`` (a stub
    of a thread moved out of the board, listed as "已移动: …") and what the page shows
    beside it, filled in by the view: ``views_shown`` (stored plus buffered views),
    ``last_page`` and ``page_links`` (page numbers after the subject, ``None`` for a gap)."""

    thread: Thread
    moved: bool = False
    views_shown: int = 0
    last_page: int = 1
    page_links: list[int | None] = field(default_factory=list)


@dataclass
class ThreadListPage:
    """One page of a board's thread list: ``threads`` (:class:`ListedThread` rows, their
    thread's ``type`` set from ``types``), ``page`` (1-based, clamped), ``num_pages`` (≥ 1) and ``type_id``, the
    thread type filter in effect (``None`` when absent or not one of the board's types)."""

    threads: list[ListedThread]
    types: list[ThreadType]
    subs: list[Board]
    page: int
    num_pages: int
    type_id: int | None = None


#: Rows of other boards a board's first page may show: global (3) and category (2)
#: stickies and moved-thread stubs. A cap, so a board cannot be flooded.
MAX_PAGE_ONE_EXTRAS = 50

_ACCESS_FIELDS = ("id", "parent_id", "is_hidden", "view_groups", "password")


def _page_one_extras(board: Board, user) -> tuple[list[Thread], list[Thread]]:
    """Return ``(stickies, stubs)`` from other boards for ``board``'s first page, one query
    whose candidates come from two small indexes (its cost does not grow with the site).

    ``stickies``: state NORMAL threads with sticky 3 (全局置顶) anywhere, or sticky 2
    (分区置顶) in a board of ``board``'s category (whose parent, or grandparent, is the
    category). ``stubs``: threads moved out of ``board`` leaving a
    :class:`~luntan.moderation.models.MovedThread` (listed as "已移动: …"). Threads in boards ``user`` may not read are left out
    (:func:`luntan.permissions.denied_board_ids` over the boards loaded with the rows; a
    member who is refused some of them costs one more query for their own moderated
    boards).
    """
    cat_id = category_id(board)
    rows = _PAGE_ONE_EXTRAS.fetch(
        (cat_id is not None,), board=board.pk, cat=cat_id if cat_id is not None else 0
    )
    if not rows:
        return [], []
    loaded: dict[int, Board] = {}
    for t in rows:
        node: Board | None = t.board
        for _depth in range(3):
            if node is None:
                break
            loaded[node.pk] = node
            node = node.parent if node.parent_id else None
    denied = permissions.denied_board_ids(user, boards=list(loaded.values()))

    def in_category(t: Thread) -> bool:
        b = t.board
        if cat_id is None:
            return False
        parent = b.parent if b.parent_id else None
        return b.parent_id == cat_id or (parent is not None and parent.parent_id == cat_id)

    stickies: list[Thread] = []
    stubs: list[Thread] = []
    for t in rows:
        if t.board_id in denied:
            continue
        if t.sticky == 3 or (t.sticky == 2 and in_category(t)):
            stickies.append(t)  # listed as a sticky, not as a stub as well
        elif t.moved:
            stubs.append(t)
    return stickies, stubs


def _page_one_extras_query(v: dict[str, int], in_category: bool):
    moved = MovedThread.objects.filter(from_board_id=v["board"], thread=OuterRef("pk"))
    # Both arms are served by an index, whatever the size of the site: sticky ≥ 2 by the
    # partial index thread_wide_sticky_idx, the stubs by moved_thread.from_board.
    # The candidates are that union of ids; the rest of the condition only sorts out those.
    candidates = (
        Thread.objects.filter(sticky__gte=2)
        .values("id")
        .union(MovedThread.objects.filter(from_board_id=v["board"]).values("thread_id"))
    )
    wanted = Q(sticky=3) | Q(moved=True)
    if in_category:
        cat = v["cat"]
        wanted |= Q(sticky=2) & (Q(board__parent_id=cat) | Q(board__parent__parent_id=cat))
    access = [f"board__{f}" for f in _ACCESS_FIELDS]
    access += [f"board__parent__{f}" for f in _ACCESS_FIELDS]
    access += [f"board__parent__parent__{f}" for f in _ACCESS_FIELDS]
    return (
        Thread.objects.filter(pk__in=candidates, state=Thread.State.NORMAL)
        .exclude(board_id=v["board"])
        .annotate(moved=Exists(moved))
        .filter(wanted)
        .annotate(**hole_annotations())
        .select_related("board__parent__parent")
        .only(*LIST_FIELDS, *access)
        .order_by("-sticky", "-last_post_at", "-id")[:MAX_PAGE_ONE_EXTRAS]
    )


# The board pages' queries, compiled once per process and shape (PrecompiledObjects).
_PAGE_ONE_EXTRAS = PrecompiledObjects(_page_one_extras_query, slots=("board", "cat"))
_SUB_BOARDS = PrecompiledObjects(
    lambda v: (
        Board.objects.filter(parent_id=v["board"], is_hidden=False)
        .select_related("last_thread")
        .only(*_BOARD_FIELDS)
        .order_by("display_order", "id")
    ),
    slots=("board",),
)
_TYPES = PrecompiledObjects(
    lambda v: ThreadType.objects.filter(board_id=v["board"]).order_by("display_order", "id"),
    slots=("board",),
)


def _thread_list_query(v: dict[str, int], typed: bool, start: int, per_page: int):
    qs = Thread.objects.filter(board_id=v["board"], state=Thread.State.NORMAL)
    if typed:
        qs = qs.filter(type_id=v["type"])
    return (
        qs.only(*LIST_FIELDS)
        .annotate(**hole_annotations())  # page links count what the viewer sees
        .order_by("-sticky", "-last_post_at", "-id")[start : start + per_page]
    )


_THREADS = PrecompiledObjects(_thread_list_query, slots=("board", "type"))


def _sticky_key(t: Thread) -> tuple:
    return (-t.sticky, -t.last_post_at.timestamp(), -t.pk)


def thread_list(board: Board, page: int, type_id: int | None = None, user=None) -> ThreadListPage:
    """Return page ``page`` of ``board``'s visible (state NORMAL) threads.

    Sticky threads come first (higher sticky level first), then by last post time, newest
    first. The first page without a type filter also lists, above the board's own
    threads, other boards' global (3) and category (2) stickies and the stubs of threads
    moved out of the board ("已移动: …", the row's ``moved`` set), those ``user`` may read only
    (``None`` means a guest): one more query (:func:`_page_one_extras`). ``LUNTAN_THREADS_PER_PAGE`` threads a page. The page count comes from the
    stored ``Board.threads`` counter (no COUNT over a large board) unless ``type_id``
    filters by one of the board's thread types, which costs one COUNT. A page past the end gives the last
    page. Each thread carries its :func:`~luntan.threads.queries.hole_annotations` (so
    its page links count the floors the viewer sees, as the thread page does).
    Queries: sub-boards, thread types, threads (+1 COUNT with ``type_id``; +1 for
    the other boards' stickies and the stubs on the first page without ``type_id``).
    """
    per_page = settings.LUNTAN_THREADS_PER_PAGE
    subs = _SUB_BOARDS.fetch(board=board.pk)
    types = _TYPES.fetch(board=board.pk)
    type_by_id = {t.pk: t for t in types}
    if type_id not in type_by_id:
        type_id = None  # unknown or another board's type: list all threads
    if type_id is not None:
        total = Thread.objects.filter(
            board=board, state=Thread.State.NORMAL, type_id=type_id
        ).count()
    else:
        total = board.threads
    num_pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), num_pages)
    start = (page - 1) * per_page
    threads = _THREADS.fetch(
        (type_id is not None, start, per_page), board=board.pk, type=type_id or 0
    )
    rows = [ListedThread(t) for t in threads]
    if page == 1 and type_id is None:
        stickies, stubs = _page_one_extras(board, user)
        if stickies or stubs:
            stickies = sorted(stickies + [t for t in threads if t.sticky], key=_sticky_key)
            rows = (
                [ListedThread(t) for t in stickies]
                + [ListedThread(t, moved=True) for t in stubs]
                + [ListedThread(t) for t in threads if not t.sticky]
            )
    for row in rows:
        t = row.thread
        # no query: the board's types are loaded
        t.type = type_by_id.get(t.type_id) if t.type_id is not None else None
    return ThreadListPage(
        threads=rows,
        types=types,
        subs=subs,
        page=page,
        num_pages=num_pages,
        type_id=type_id,
    )
