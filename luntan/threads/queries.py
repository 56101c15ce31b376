"""Read queries for the thread page (/t/<id>/), with a constant number of queries.

Pages are counted in the floors **the viewer sees**: a member sees the visible posts, a
moderator of the board also the deleted ones (as 该帖已被删除 placeholders); nobody sees
posts awaiting review. Floor numbers are permanent and never reused, so a thread's floors
``1 … top`` have holes: posts hidden from this viewer and *gaps* (numbers no post holds:
posts split away, holes of a Discuz! import; :class:`~luntan.threads.models.FloorGap`).
A thread has few holes. The position of a seen post is ``floor − holes below it``; page N
(1-based, ``per_page`` a page) holds positions ``((N-1)*per_page, N*per_page]``. It is
read by a keyset on the unique ``(thread, floor)`` index starting at floor
``(N-1)*per_page`` (a post's position is never above its floor), the holes below each
candidate counted through two small indexes (``FloorGap``'s and the partial
``post_hidden_floor_idx`` on posts not visible): the last page of a 100,000-floor thread
costs what page 1 costs. The number of pages comes from :class:`Holes` (four index
lookups added to the thread query), never from a stored counter, and a page found empty
or short because the gap rows drifted is read again exactly (COUNT and OFFSET).
Discuz! X3.4 pages by ``forum_post.position`` and gives members short pages instead.
The ``?author=`` view (只看该作者) pages by OFFSET over the ``(thread, author, floor)``
index and costs one COUNT more.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.db.models import Expression, F, IntegerField, Q, QuerySet, Value
from django.http import Http404

from luntan.core.parsing import pages_for
from luntan.core.precompiled import PrecompiledObjects
from luntan.threads.extras import extras_version, post_annotations
from luntan.threads.models import FloorGap, Post, Thread

POST_FIELDS = (
    "id",
    "thread_id",
    "floor",
    "author_id",
    "author_name",
    "is_anonymous",
    "created",
    "edited_at",
    "edited_by_name",
    "html",
    "ip_region",
    "state",
    "discuz_pid",  # the mobile API names imported posts by their Discuz! pid
    "author__id",
    "author__username",
    "author__group_id",
    "author__credits",
    "author__avatar",
    "author__group__id",
    "author__group__name",
    "author__group__color",
)


#: The columns of a thread row in a thread list (board pages, the API's thread lists):
#: every list loads these with ``.only(*LIST_FIELDS)``.
LIST_FIELDS = (
    "id",
    "board_id",
    "type_id",
    "subject",
    "author_id",
    "author_name",
    "is_anonymous",
    "created",
    "last_post_at",
    "last_poster_name",
    "views",
    "replies",
    "max_floor",
    "sticky",
    "digest",
    "closed",
    "highlight",
    "highlight_bold",
    "read_level",
    "discuz_tid",  # the mobile API lists imported threads under their Discuz! tid
)


THREAD_FIELDS = (
    "id",
    "board_id",
    "type_id",
    "subject",
    "author_id",
    "author_name",
    "is_anonymous",
    "created",
    "last_post_at",
    "views",
    "replies",
    "max_floor",
    "sticky",
    "digest",
    "closed",
    "highlight",
    "read_level",
    "highlight_bold",
    "discuz_tid",  # the mobile API (and legacy links) name imported threads by tid
    "board__discuz_fid",
    "mod_notice__thread",
    "mod_notice__action",
    "mod_notice__actor_name",
    "mod_notice__created",
    "state",
    "board__id",
    "board__name",
    "board__kind",
    "board__is_hidden",
    "board__view_groups",
    "board__password",
    "board__reply_groups",
    "board__parent_id",
    "board__parent__is_hidden",
    "board__parent__view_groups",
    "board__parent__parent__is_hidden",
    "board__parent__parent__view_groups",
    "board__thread_types_prefix",
    "board__parent__id",
    "board__parent__name",
    "board__parent__parent_id",
    "board__parent__parent__id",
    "board__parent__parent__name",
    "type__id",
    "type__name",
)


# What :func:`luntan.permissions.check_view_thread` reads from a thread and its boards.
THREAD_VISIBILITY_FIELDS = (
    "state",
    "read_level",
    "author_id",
    "board__is_hidden",
    "board__view_groups",
    "board__password",
    "board__parent__is_hidden",
    "board__parent__view_groups",
    "board__parent__parent__is_hidden",
    "board__parent__parent__view_groups",
)


def get_visible_thread(pk: int) -> Thread:
    """Return thread ``pk`` with its board, the board's parent and grandparent and its type,
    in one query (only the columns the pages show: ~0.3 ms less than whole rows), with
    the :func:`hole_annotations` (so :func:`holes_of` costs nothing), compiled to SQL once
    per process.
    Raises ``Http404`` when it does not exist or is not visible (recycled or awaiting
    review)."""
    try:
        found = _VISIBLE_THREAD.fetch(pk=pk) if pk > 0 else []
    except OverflowError:  # beyond the column's integer type: no such thread
        raise Http404 from None
    if not found:
        raise Http404
    return found[0]


def _visible_thread_query(values: dict[str, int]) -> QuerySet:
    return (
        Thread.objects.select_related("board__parent__parent", "type", "mod_notice")
        .only(*THREAD_FIELDS)
        .annotate(**hole_annotations())
        .filter(pk=values["pk"], state=Thread.State.NORMAL)
    )


# Compiled once per process (:class:`PrecompiledObjects`): the query's shape never changes.
_VISIBLE_THREAD = PrecompiledObjects(_visible_thread_query, slots=("pk",))


# --- holes: floors a viewer does not see ---------------------------------------------------


class _Fragment(Expression):
    """An integer SQL fragment with ``{name}`` slots filled by compiled expressions
    (columns of the outer row, parameters): the hole counts below are plain correlated
    subqueries, but built with querysets and ``OuterRef`` they cost ~3 ms of ORM
    compilation per page (measured: 3.2 ms to compile, 0.1 ms to run on SQLite), more
    than the whole page's SQL. Every value is a parameter; the slots are compiled by
    Django (``F`` resolves to the outer table's column)."""

    _SLOT = re.compile(r"\{(\w+)\}")

    def __init__(self, template: str, **slots) -> None:
        super().__init__(output_field=IntegerField())
        self.template = template
        self.slots = slots

    def get_source_expressions(self):
        return list(self.slots.values())

    def set_source_expressions(self, exprs) -> None:
        self.slots = dict(zip(self.slots, exprs, strict=True))

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):  # fmt: skip
        c = self.copy()
        c.is_summary = summarize
        c.slots = {
            k: v.resolve_expression(query, allow_joins, reuse, summarize, for_save)
            for k, v in self.slots.items()
        }
        return c

    def as_sql(self, compiler, connection):
        params: list = []
        compiled = {k: compiler.compile(v) for k, v in self.slots.items()}

        def fill(match: re.Match) -> str:
            sql, slot_params = compiled[match.group(1)]
            params.extend(slot_params)
            return f"({sql})"

        return f"({self._SLOT.sub(fill, self.template)})", params


_POST = Post._meta.db_table
_GAP = FloorGap._meta.db_table
_VISIBLE = int(Post.State.VISIBLE)
_PENDING_STATE = int(Post.State.PENDING)
# Posts hidden from members (deleted, recycled, pending). ``NOT (state = 0)`` is the
# predicate of the partial index ``post_hidden_floor_idx`` (thread, floor, state): keep it
# literally in every query that should use that index (SQLite matches partial-index terms
# literally; PostgreSQL must prove it).
_HIDDEN_WHERE = f'NOT ("lt_h"."state" = {_VISIBLE})'
_PENDING_WHERE = f'{_HIDDEN_WHERE} AND "lt_h"."state" = {_PENDING_STATE}'
_TOP_SQL = (
    f'(SELECT MAX("lt_p"."floor") FROM "{_POST}" "lt_p"'  # noqa: S608
    ' WHERE "lt_p"."thread_id" = {t})'
)


# Table names come from the models, states are integer constants, and every value (the
# thread, a floor) is a parameter filled by :class:`_Fragment`: nothing here is user text.
def _hidden_sql(moderator: bool, below: bool, above: bool = False) -> str:
    where = _PENDING_WHERE if moderator else _HIDDEN_WHERE
    floor = ' AND "lt_h"."floor" < {f}' if below else ""
    floor += ' AND "lt_h"."floor" > {a}' if above else ""
    head = f'(SELECT COUNT(*) FROM "{_POST}" "lt_h"'  # noqa: S608
    return f'{head} WHERE "lt_h"."thread_id" = {{t}} AND {where}{floor})'


def _gaps_sql(below: str, above: bool = False) -> str:
    head = f'(SELECT COUNT(*) FROM "{_GAP}" "lt_g"'  # noqa: S608
    floor = ' AND "lt_g"."floor" > {a}' if above else ""
    return f'{head} WHERE "lt_g"."thread_id" = {{t}} AND "lt_g"."floor" < {below}{floor})'


def _ref(value: str | int | None):
    return F(value) if isinstance(value, str) else Value(value)


def hole_annotations(thread: str = "pk") -> dict:
    """Annotations for a queryset whose rows name a thread (``thread``: that column,
    ``"pk"`` on ``Thread``, ``"thread_id"`` on ``Post``): ``floors_top`` (highest floor
    held by a post, any state; 0 for none), ``floors_gaps`` (gap rows below it),
    ``floors_hidden`` (posts not visible) and ``floors_pending`` (posts awaiting review).
    Four index lookups per row (0.1 ms on SQLite); :func:`holes_of` reads them.
    """
    t = F(thread)
    return {
        "floors_top": _Fragment(f"COALESCE({_TOP_SQL}, 0)", t=t),
        "floors_gaps": _Fragment(_gaps_sql(_TOP_SQL), t=t),
        "floors_hidden": _Fragment(_hidden_sql(False, below=False), t=t),
        "floors_pending": _Fragment(_hidden_sql(True, below=False), t=t),
    }


@dataclass(frozen=True)
class Holes:
    """A thread's floor numbers ``1 … top`` that are not posts a viewer sees.

    ``top``: the highest floor a post holds (0: no post); ``gaps``: numbers below ``top``
    no post holds; ``hidden``: posts not visible (deleted, recycled, pending); ``pending``:
    posts awaiting review (hidden from moderators too).
    """

    top: int
    gaps: int
    hidden: int
    pending: int

    def count(self, moderator: bool) -> int:
        """Holes for a member (``moderator`` False) or a moderator of the board."""
        return self.gaps + (self.pending if moderator else self.hidden)

    def shown(self, moderator: bool) -> int:
        """Posts the viewer sees (≥ 0)."""
        return max(0, self.top - self.count(moderator))

    def num_pages(self, per_page: int, moderator: bool) -> int:
        """Pages of the thread for the viewer (≥ 1)."""
        return pages_for(self.shown(moderator), per_page)


HOLE_FIELDS = ("floors_top", "floors_gaps", "floors_hidden", "floors_pending")


def holes_of(thread: Thread) -> Holes:
    """The :class:`Holes` of ``thread``: from its :func:`hole_annotations` when it was
    loaded with them (no query), else one query."""
    if not hasattr(thread, "floors_top"):
        found = Thread.objects.filter(pk=thread.pk).annotate(**hole_annotations()).first()
        for name in HOLE_FIELDS:
            setattr(thread, name, getattr(found, name, 0))
    top, gaps, hidden, pending = (getattr(thread, name) or 0 for name in HOLE_FIELDS)
    return Holes(top=top, gaps=gaps, hidden=hidden, pending=pending)


def holes_below(
    moderator: bool,
    thread: str | None = "thread_id",
    floor: str | int = "floor",
    pk: int | None = None,
    above: int | None = None,
):
    """Integer expression: the holes below a floor for a member or a moderator (gap rows
    + posts hidden from that viewer), counted through the small indexes.
    ``thread`` names the outer row's thread column (or is ``None`` and ``pk`` is the
    thread's id); ``floor`` names the outer row's floor column, or is a floor number;
    ``above``: count only holes above that floor (a short index range per row)."""
    slots = {"t": _ref(thread if thread is not None else pk), "f": _ref(floor)}
    if above is not None:
        slots["a"] = Value(above)
    ranged = above is not None
    template = f"{_gaps_sql('{f}', ranged)} + {_hidden_sql(moderator, True, ranged)}"
    return _Fragment(template, **slots)


def seen_posts(thread: Thread, moderator: bool) -> QuerySet:
    """:func:`visible_posts` narrowed to what the viewer sees: moderators also the
    deleted posts (placeholders), members only visible ones."""
    return _seen_posts_of(thread.pk, moderator)


def _seen_posts_of(thread_id: int, moderator: bool) -> QuerySet:
    posts = _visible_posts_of(thread_id)
    return posts if moderator else posts.filter(state=Post.State.VISIBLE)


def num_pages(thread: Thread, per_page: int, moderator: bool = False) -> int:
    """Pages of ``thread`` for a member or a moderator (≥ 1): from :func:`holes_of`."""
    return holes_of(thread).num_pages(per_page, moderator)


def page_of_floor(thread: Thread, floor: int, per_page: int, moderator: bool = False) -> int:
    """The 1-based page (ascending order) showing floor ``floor`` to the viewer — for a
    floor the viewer does not see, the page of the next floor they see (clamped to the
    last page). No query when nothing below ``floor`` is a hole (:func:`holes_of` loaded),
    else one."""
    holes = holes_of(thread)
    last = holes.num_pages(per_page, moderator)
    if holes.count(moderator) == 0:
        return min(last, max(1, math.ceil(floor / per_page)))
    below = (
        Thread.objects.filter(pk=thread.pk)
        .values_list(holes_below(moderator, thread="pk", floor=floor), flat=True)
        .first()
    )
    return _page_at(floor - (below or 0), per_page, last)


def _page_at(position: int, per_page: int, last: int) -> int:
    return min(last, max(1, math.ceil(position / per_page)))


def visible_posts(thread: Thread):
    """The queryset of ``thread``'s posts a thread page shows (pending ones left out),
    with author and group and the registered floor extras' annotations
    (:func:`luntan.threads.extras.post_annotations`: e.g. ``has_attachments``,
    ``is_banned``), so that extras can skip their query when no post needs it."""
    return _visible_posts_of(thread.pk)


def _visible_posts_of(thread_id: int) -> QuerySet:
    return (
        Post.objects.filter(thread_id=thread_id)
        .exclude(state=Post.State.PENDING)
        .select_related("author__group")
        .only(*POST_FIELDS)
        .annotate(**post_annotations())
    )


def posts_by_floor(
    thread: Thread, page: int, per_page: int, desc: bool = False, *, moderator: bool = False
) -> list[Post]:
    """Return the posts of ``page`` (clamped by the caller) for a member or a moderator
    (``moderator``: the deleted posts are shown as placeholders), in one query compiled
    once per shape and process (:class:`~luntan.core.precompiled.PrecompiledObjects`).

    Ascending: positions ``((page-1)*per_page, page*per_page]`` in floor order.
    Descending (倒序浏览): the same ranges counted down from the last position, newest
    first, and page 1 keeps the OP on top as Discuz! does. Posts awaiting review are
    never returned. A page that comes back short of what :class:`Holes` promises (gap
    rows out of step with the posts) is read again exactly: :func:`posts_exactly`.
    """
    holes = holes_of(thread)
    shown, n_holes = holes.shown(moderator), holes.count(moderator)
    if desc:
        hi = shown - (page - 1) * per_page
        lo = max(0, hi - per_page)
    else:
        lo = (page - 1) * per_page
        hi = min(shown, lo + per_page)
    expected = max(0, hi - lo)
    first_desc = desc and page == 1
    limit = per_page + 1 if first_desc else per_page  # page 1: + the OP on top
    shape = (moderator, desc, first_desc, bool(n_holes), limit, extras_version())
    posts = _PAGE_POSTS.fetch(shape, thread=thread.pk, lo=lo, lo1=lo + 1, hi=hi, hin=hi + n_holes)
    if desc:
        if first_desc and posts and posts[-1].floor == 1:
            posts.insert(0, posts.pop())
        op_extra = first_desc and lo > 0 and bool(posts) and posts[0].floor == 1
        got = len(posts) - op_extra
    else:
        got = len(posts)
    if got != expected:
        return posts_exactly(thread, page, per_page, desc, moderator=moderator)
    return posts


def _page_posts_query(
    v: dict[str, int],
    moderator: bool,
    desc: bool,
    first_desc: bool,
    with_holes: bool,
    limit: int,
    _extras: int,
) -> QuerySet:
    """The query of :func:`posts_by_floor` for one shape, ``v`` holding its values.

    A position is never above its floor and at most n_holes below it. With holes,
    position = floor − base − (holes between lo and the floor), base being the holes up
    to lo (one count for the page, not per row), so each row's count reads only the
    holes inside the page's own floor range."""
    seen = _seen_posts_of(v["thread"], moderator)
    if not with_holes:
        where = Q(floor__gt=v["lo"], floor__lte=v["hi"])
    else:
        seen = seen.alias(
            base=holes_below(moderator, thread=None, floor=v["lo1"], pk=v["thread"]),
            rel=F("floor") - holes_below(moderator, above=v["lo"]),
        )
        where = Q(floor__gt=v["lo"], floor__lte=v["hin"])
        if desc and not first_desc:
            where &= Q(rel__lte=Value(v["hi"]) + F("base"))
        else:  # the page starts above lo + base: few rows are read before it
            where &= Q(floor__gt=Value(v["lo"]) + F("base"), rel__gt=Value(v["lo"]) + F("base"))
    if first_desc:
        where |= Q(floor=1)
    return seen.filter(where).order_by("-floor" if desc else "floor")[:limit]


_PAGE_POSTS = PrecompiledObjects(_page_posts_query, slots=("thread", "lo", "lo1", "hi", "hin"))


def posts_exactly(
    thread: Thread, page: int, per_page: int, desc: bool = False, *, moderator: bool = False
) -> list[Post]:
    """:func:`posts_by_floor` by OFFSET over the posts the viewer sees (one query, two
    for 倒序 page 1): exact whatever the gap rows say, cost growing with the page. Used
    when the keyset read disagrees with :class:`Holes` (``luntan rebuild_counters``
    rebuilds the gap rows)."""
    seen = seen_posts(thread, moderator)
    start = (page - 1) * per_page
    posts = list(seen.order_by("-floor" if desc else "floor")[start : start + per_page])
    if desc and page == 1 and not any(p.floor == 1 for p in posts):
        posts[:0] = list(seen.filter(floor=1))
    elif desc and page == 1:
        posts.sort(key=lambda p: p.floor != 1)
    return posts


def count_seen(thread: Thread, moderator: bool = False) -> int:
    """The posts of ``thread`` the viewer sees, counted (one COUNT over the thread)."""
    return seen_posts(thread, moderator).count()


def count_author_posts(thread: Thread, author_id: int, moderator: bool = False) -> int:
    """Number of posts by ``author_id`` in ``thread`` the viewer sees (deleted ones only
    for a moderator; pending never).

    Anonymous posts are never counted: 只看该作者 must not reveal who wrote them."""
    posts = Post.objects.filter(thread=thread, author_id=author_id, is_anonymous=False)
    posts = posts.exclude(state=Post.State.PENDING)
    if not moderator:
        posts = posts.filter(state=Post.State.VISIBLE)
    return posts.count()


def posts_by_author(
    thread: Thread,
    author_id: int,
    page: int,
    per_page: int,
    desc: bool = False,
    *,
    moderator: bool = False,
) -> list[Post]:
    """Return page ``page`` of ``author_id``'s posts in ``thread`` (只看该作者), by OFFSET,
    as the viewer sees them (see :func:`count_author_posts`).

    Anonymous posts are left out, so the filter never unmasks their author."""
    start = (page - 1) * per_page
    order = "-floor" if desc else "floor"
    mine = seen_posts(thread, moderator).filter(author_id=author_id, is_anonymous=False)
    return list(mine.order_by(order)[start : start + per_page])


@dataclass(frozen=True)
class FloorTarget:
    """Where a floor is shown: the post id (``None`` if no visible post is there or after
    it) and its page."""

    post_id: int | None
    page: int


def find_floor(thread: Thread, floor: int, per_page: int, moderator: bool = False) -> FloorTarget:
    """Locate floor ``floor`` (电梯直达) for a member or a moderator — or the next floor
    above it the viewer sees, for gaps and hidden posts — and its page for that viewer
    (:func:`page_of_floor`). A floor past the end goes to the last page. One or two
    queries.
    """
    last = num_pages(thread, per_page, moderator)
    found = (
        seen_posts(thread, moderator)
        .filter(floor__gte=max(1, floor))
        .order_by("floor")
        .values_list("id", "floor")
        .first()
    )
    if found is None:
        return FloorTarget(None, last)
    return FloorTarget(found[0], page_of_floor(thread, found[1], per_page, moderator))
