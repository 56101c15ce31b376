"""Recount the stored counters that a moderation action touched, from rows.

Moderation is rare and touches many counters at once (a merge changes two threads, up
to two boards and every author of either thread), so instead of ``F()`` arithmetic each
service recomputes exactly the rows it touched with the rules of
:mod:`luntan.threads.counters` — the result equals what ``rebuild_all()`` gives.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, OuterRef, Subquery, Sum

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.credits.services import refresh_member
from luntan.threads.counters import rebuild_day_counters, rebuild_thread_counters
from luntan.threads.models import Post, Thread


def recount_boards(board_ids: Iterable[int]) -> None:
    """Threads, posts, last post and 今日/昨日 of ``board_ids`` (two UPDATEs per board;
    :func:`luntan.threads.counters.rebuild_day_counters` scans the last two days' posts)."""

    board_ids = set(board_ids)
    if board_ids:
        rebuild_day_counters(board_ids)
    for board_id in board_ids:
        normal = Thread.objects.filter(board_id=board_id, state=Thread.State.NORMAL)
        totals = normal.aggregate(n=Count("id"), posts=Sum(F("replies") + 1))
        newest = (
            normal.order_by("-last_post_at", "-pk")
            .values_list("pk", "last_post_at", "last_poster_name")
            .first()
        )
        pk, at, name = newest or (None, None, "")
        Board.objects.filter(pk=board_id).update(
            threads=totals["n"] or 0,
            posts=totals["posts"] or 0,
            last_thread_id=pk,
            last_post_at=at,
            last_poster_name=name or "",
        )


def recount_members(user_ids: Iterable[int | None]) -> None:
    """``posts`` and ``threads`` of the members ``user_ids`` (``None`` ignored), then their
    total credits and member group (:func:`luntan.credits.services.refresh_member`)."""
    ids = {i for i in user_ids if i}
    if not ids:
        return
    posts = (
        Post.objects.filter(
            author=OuterRef("pk"), state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL
        )
        .order_by()
        .values("author")
        .annotate(n=Count("*"))
        .values("n")[:1]
    )
    threads = (
        Thread.objects.filter(author=OuterRef("pk"), state=Thread.State.NORMAL)
        .order_by()
        .values("author")
        .annotate(n=Count("*"))
        .values("n")[:1]
    )
    from django.db.models import IntegerField, Value
    from django.db.models.functions import Coalesce

    User.objects.filter(pk__in=ids).update(
        posts=Coalesce(Subquery(posts, output_field=IntegerField()), Value(0)),
        threads=Coalesce(Subquery(threads, output_field=IntegerField()), Value(0)),
    )

    for user_id in sorted(ids):  # total credits and member group follow posts/threads
        refresh_member(user_id)


def thread_user_ids(thread_ids: Iterable[int]) -> set[int]:
    """Authors of any post or of the threads ``thread_ids``."""
    ids = list(thread_ids)
    users = set(
        Post.objects.filter(thread_id__in=ids)
        .exclude(author=None)
        .values_list("author_id", flat=True)
        .distinct()
    )
    users |= set(
        Thread.objects.filter(pk__in=ids).exclude(author=None).values_list("author_id", flat=True)
    )
    return users


def recount(
    thread_ids: Iterable[int] = (),
    board_ids: Iterable[int] = (),
    user_ids: Iterable[int | None] = (),
) -> None:
    """Recount threads, then boards, then members (the order of ``rebuild_all``)."""
    thread_ids = list(thread_ids)
    if thread_ids:
        rebuild_thread_counters(thread_ids)
    recount_boards(board_ids)
    recount_members(user_ids)
