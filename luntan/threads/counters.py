"""Rebuild the stored counters from rows (the ``luntan rebuild_counters`` command).

The posting services keep counters with ``F()`` updates; this module recomputes them
from the posts themselves, the way Discuz!'s 更新论坛统计 and Misago's ``synchronize*``
commands do, so any drift (a crash, a manual SQL fix, an import) can be repaired.

Rules (the same as the services and Discuz! X3.4's recount):
- thread ``replies`` = live posts after floor 1; ``last_post_at``/``last_poster_name`` =
  the newest live post; ``max_floor`` = the highest floor ever given (never lowered).
  Live means VISIBLE, or RECYCLED (deleted with the thread): a thread in the recycle bin
  keeps the counts it had, ready to be restored (``delete_post`` of an OP).
- thread floor gaps (:class:`~luntan.threads.models.FloorGap`) = the floor numbers up to
  a thread's ``max_floor`` that no post holds (pages count only the floors a viewer sees).
- board ``threads`` = its threads in state NORMAL; ``posts`` = Σ(replies + 1) over them;
  ``last_*`` = the NORMAL thread with the newest last post.
- member ``posts`` = their visible posts in NORMAL threads; ``threads`` = their NORMAL
  threads; ``credits`` (total) = the site formula over those and their balances.
- board 今日/昨日 = its visible posts written today / yesterday (site time zone); site
  members = active members, the newest being the active one with the highest id.

:func:`check_all` (``luntan rebuild_counters --check``, the administrators' 修复统计 page)
computes the same rebuild inside a transaction it rolls back and reports every stored
counter that differs (:class:`Drift`), changing nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Lag
from django.utils import timezone

from luntan.accounts.models import User
from luntan.boards.counters import day_counts, rebuild_site_stats, site_date
from luntan.boards.models import Board, SiteStats
from luntan.boards.queries import site_day_starts
from luntan.threads.models import FloorGap, Post, Thread


def _count(queryset, group_field: str):
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_field).annotate(n=Count("*")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


# An anonymous post's poster is shown as nobody (Discuz! stores lastposter '' for it).
_SHOWN_NAME = Case(
    When(is_anonymous=True, then=Value("")), default=F("author_name"), output_field=CharField()
)


def rebuild_thread_counters(thread_ids=None) -> int:
    """Recompute replies, max floor and last post of threads.

    ``thread_ids``: an iterable of thread pks, or ``None`` for every thread.
    Returns the number of threads updated. Runs in one transaction.
    """
    visible = Post.objects.filter(
        thread=OuterRef("pk"), state__in=(Post.State.VISIBLE, Post.State.RECYCLED)
    )
    newest = visible.order_by("-floor")
    threads = (
        Thread.objects.all() if thread_ids is None else Thread.objects.filter(pk__in=thread_ids)
    )
    with transaction.atomic():
        return threads.update(
            replies=_count(visible.filter(floor__gt=1), "thread"),
            max_floor=Greatest(
                F("max_floor"),
                Coalesce(
                    Subquery(
                        Post.objects.filter(thread=OuterRef("pk"))
                        .order_by("-floor")
                        .values("floor")[:1]
                    ),
                    Value(0),
                ),
            ),
            last_post_at=Coalesce(Subquery(newest.values("created")[:1]), F("created")),
            last_poster_name=Coalesce(
                Subquery(newest.values(shown=_SHOWN_NAME)[:1]), F("last_poster_name")
            ),
        )


def rebuild_floor_gaps(thread_ids=None) -> int:
    """Make the :class:`~luntan.threads.models.FloorGap` rows of threads match their
    posts: one row per floor number up to a thread's ``max_floor`` that no post of the
    thread holds (posts split away, holes of an import, rows deleted by hand).

    ``thread_ids``: an iterable (or queryset) of thread pks, ``None`` for every thread.
    One pass over the posts' ``(thread, floor)`` index with a window function (LAG),
    then the differences written in one transaction. Returns the rows added + removed.
    """
    posts = Post.objects.all()
    gaps = FloorGap.objects.all()
    if thread_ids is not None:
        if not hasattr(thread_ids, "query"):
            thread_ids = list(thread_ids)
        posts = posts.filter(thread_id__in=thread_ids)
        gaps = gaps.filter(thread_id__in=thread_ids)
    below = Window(
        Lag("floor", default=0), partition_by=[F("thread_id")], order_by=F("floor").asc()
    )
    runs = (
        posts.order_by()
        .annotate(below=below)
        .filter(floor__gt=F("below") + 1)
        .values_list("thread_id", "below", "floor")
    )
    want = {(t, n) for t, lo, hi in runs for n in range(lo + 1, hi)}
    # floors given out above the highest post (its posts purged or split away): gaps
    # once the next reply takes max_floor + 1
    threads = (
        Thread.objects.all() if thread_ids is None else Thread.objects.filter(pk__in=thread_ids)
    )
    top = Post.objects.filter(thread=OuterRef("pk")).order_by("-floor").values("floor")[:1]
    tails = (
        threads.annotate(top=Coalesce(Subquery(top), Value(0)))
        .filter(max_floor__gt=F("top"))
        .values_list("pk", "top", "max_floor")
    )
    want.update((t, n) for t, lo, hi in tails for n in range(lo + 1, hi + 1))
    have = set(gaps.values_list("thread_id", "floor"))
    with transaction.atomic():
        stale = have - want
        for thread_id, floor in stale:
            FloorGap.objects.filter(thread_id=thread_id, floor=floor).delete()
        FloorGap.objects.bulk_create(
            [FloorGap(thread_id=t, floor=n) for t, n in sorted(want - have)],
            batch_size=1000,
            ignore_conflicts=True,
        )
    return len(stale) + len(want - have)


def rebuild_board_counters() -> int:
    """Recompute threads, posts and last post of every board from its threads.

    Call after :func:`rebuild_thread_counters`. Returns the number of boards updated.
    """
    normal = Thread.objects.filter(board=OuterRef("pk"), state=Thread.State.NORMAL)
    newest = normal.order_by("-last_post_at", "-pk")
    with transaction.atomic():
        return Board.objects.update(
            threads=_count(normal, "board"),
            posts=Coalesce(
                Subquery(
                    normal.order_by()
                    .values("board")
                    .annotate(n=Sum(F("replies") + 1))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            last_thread=Subquery(newest.values("pk")[:1]),
            last_post_at=Subquery(newest.values("last_post_at")[:1]),
            last_poster_name=Coalesce(Subquery(newest.values("last_poster_name")[:1]), Value("")),
        )


def rebuild_member_counters() -> int:
    """Recompute every member's ``posts`` and ``threads``. Returns members updated."""
    posts = Post.objects.filter(
        author=OuterRef("pk"), state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL
    )
    threads = Thread.objects.filter(author=OuterRef("pk"), state=Thread.State.NORMAL)
    with transaction.atomic():
        return User.objects.update(posts=_count(posts, "author"), threads=_count(threads, "author"))


_AFTER_MEMBERS: list = []


def register_member_rebuild(step) -> None:
    """Add ``step`` (a callable taking nothing) to what :func:`rebuild_all` runs after the
    members' ``posts``/``threads`` are recounted: feature apps whose stored values derive
    from those counts register here from ``AppConfig.ready()`` (credits: the total by
    the site formula, :func:`luntan.credits.rebuild.rebuild_member_totals`). Registering
    the same step twice has no effect."""
    if step not in _AFTER_MEMBERS:
        _AFTER_MEMBERS.append(step)


def rebuild_all() -> dict[str, int]:
    """Rebuild threads, then boards (with their 今日/昨日), then members and the site
    statistics (:mod:`luntan.boards.counters`). Returns ``{"threads": n, …}`` counts."""
    done = {
        "threads": rebuild_thread_counters(),
        "floor gaps": rebuild_floor_gaps(),
        "boards": rebuild_board_counters(),
        "members": rebuild_member_counters(),
    }
    for step in _AFTER_MEMBERS:
        step()
    rebuild_day_counters()
    rebuild_site_stats()
    return done


@dataclass(frozen=True)
class Drift:
    """One stored counter that differs from its rebuild: ``kind`` (``thread``, ``board``,
    ``member``, ``site``), the row's ``pk``, the ``field`` name, the ``stored`` value
    and the ``rebuilt`` one (the value :func:`rebuild_all` would write)."""

    kind: str
    pk: int
    field: str
    stored: object
    rebuilt: object

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} {self.field}: {self.stored} → {self.rebuilt}"


_THREAD_FIELDS = ("replies", "max_floor", "last_post_at", "last_poster_name")
_BOARD_FIELDS = ("threads", "posts", "last_thread_id", "last_post_at", "last_poster_name")
_MEMBER_FIELDS = ("posts", "threads", "credits")


def _snapshot(today) -> dict[tuple[str, int], dict[str, object]]:

    rows: dict[tuple[str, int], dict[str, object]] = {}
    gaps = dict(
        FloorGap.objects.order_by()
        .values("thread_id")
        .annotate(n=Count("*"))
        .values_list("thread_id", "n")
    )
    for row in Thread.objects.values("pk", *_THREAD_FIELDS).iterator(chunk_size=2000):
        pk = row.pop("pk")
        row["floor_gaps"] = gaps.get(pk, 0)
        rows[("thread", pk)] = row
    for board in Board.objects.only(
        *_BOARD_FIELDS, "today_posts", "yesterday_posts", "posts_day"
    ).iterator(chunk_size=2000):
        values: dict[str, object] = {f: getattr(board, f) for f in _BOARD_FIELDS}
        values["today_posts"], values["yesterday_posts"] = day_counts(board, today)
        rows[("board", board.pk)] = values
    for row in User.objects.values("pk", *_MEMBER_FIELDS).iterator(chunk_size=2000):
        rows[("member", row.pop("pk"))] = row
    for site in SiteStats.objects.values("pk", "members", "newest_member_id"):
        rows[("site", site["pk"])] = {
            "members": site["members"],
            "newest_member_id": site["newest_member_id"],
        }
    return rows


def check_all() -> list[Drift]:
    """Report the stored counters :func:`rebuild_all` would change, changing nothing.

    Runs the rebuild inside a transaction (a savepoint when the caller has one) that is
    rolled back, and compares every thread, board (with 今日/昨日 as read today), member
    and site-statistics counter before and after. Returns the differences ordered by
    kind and id; an empty list means no drift. Cost: one rebuild plus reading every
    counter twice (a maintenance operation, not for page requests).
    """

    today = site_date(timezone.now())
    with transaction.atomic():
        before = _snapshot(today)
        rebuild_all()
        after = _snapshot(today)
        transaction.set_rollback(True)
    found: list[Drift] = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, {}), after.get(key, {})
        for field in new:
            if old.get(field) != new[field]:
                found.append(Drift(key[0], key[1], field, old.get(field), new[field]))
    return found


def rebuild_day_counters(board_ids=None, now: dt.datetime | None = None) -> int:
    """Recount 今日/昨日 of boards ``board_ids`` (an iterable of pks; ``None``: all boards)
    from their visible posts written since yesterday's start in the site time zone.

    Sets ``posts_day`` to today. Cost: one grouped query over the last two days' posts,
    one UPDATE per board. Returns the number of boards updated.
    """
    now = now or timezone.now()
    day_start, yesterday_start = site_day_starts(now)
    posts = Post.objects.filter(created__gte=yesterday_start, state=Post.State.VISIBLE)
    boards = Board.objects.all()
    if board_ids is not None:
        board_ids = list(board_ids)
        posts = posts.filter(thread__board_id__in=board_ids)
        boards = boards.filter(pk__in=board_ids)
    counts = {
        r["thread__board_id"]: (r["today"], r["yesterday"])
        for r in posts.values("thread__board_id")
        .annotate(
            today=Count("id", filter=Q(created__gte=day_start)),
            yesterday=Count("id", filter=Q(created__lt=day_start)),
        )
        .order_by()
    }
    today = site_date(now)
    done = 0
    with transaction.atomic():
        for pk in boards.values_list("pk", flat=True):
            t, y = counts.get(pk, (0, 0))
            done += Board.objects.filter(pk=pk).update(
                today_posts=t, yesterday_posts=y, posts_day=today
            )
    return done
