"""Unread tracking (未读): which threads have replies a member has not seen.

A thread is **unread** for a member when all of these hold (no query per thread: two
queries for any list, :func:`unread_thread_ids`):

1. its last post is newer than the cutoff (``LUNTAN_UNREAD_DAYS`` days, default 30;
   Misago and Discourse cut off old threads the same way): older threads are read;
2. its last post is newer than the member's watermark for its board — the latest of
   the member's sign-up time, 全部标为已读 (:func:`mark_all_read`) and 标记本版已读
   (:func:`mark_board_read`);
3. the member has no :class:`~luntan.unread.models.ThreadRead` row for it, or the thread
   has floors above the row's and its last post came after the row last advanced
   (a post held for review takes a floor but is not a reply anyone can read).

Reading a thread page records the highest floor shown (the thread's top floor when the
page is the last one) with :func:`record_read`: one indexed read per page view, and a
write only when the floor advances. Rows of threads older than the cutoff are deleted by
:func:`prune` (``luntan prune_unread``, run daily), so storage stays bounded by
(members × threads they read that were active within the cutoff).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from luntan.threads.models import Post, Thread
from luntan.unread.models import ReadMark, ThreadRead


def cutoff(now: datetime | None = None) -> datetime:
    """The moment before which every thread counts as read (UTC): ``now`` minus
    ``LUNTAN_UNREAD_DAYS`` days (default 30)."""
    days = int(getattr(settings, "LUNTAN_UNREAD_DAYS", 30))
    return (now or timezone.now()) - timedelta(days=days)


@dataclass
class Marks:
    """A member's read watermarks: ``base`` (UTC; the latest of sign-up and 全部标为已读)
    and ``boards`` (board id → the board's 标记本版已读 time)."""

    base: datetime
    boards: dict[int, datetime] = field(default_factory=dict)

    def of(self, board_id: int) -> datetime:
        """The watermark of ``board_id``: posts at or before it are read."""
        at = self.boards.get(board_id)
        return at if at is not None and at > self.base else self.base


def marks_of(user: Any) -> Marks:
    """``user``'s watermarks (one query; ``user`` a signed-in member)."""
    marks = Marks(base=user.date_joined)
    for board_id, at in ReadMark.objects.filter(user_id=user.pk).values_list(
        "board_id", "marked_at"
    ):
        if board_id is None:
            marks.base = max(marks.base, at)
        else:
            marks.boards[board_id] = at
    return marks


def _candidates(threads: Iterable[Any], marks: Marks, now: datetime) -> list[Any]:
    edge = cutoff(now)
    return [
        t
        for t in threads
        if t.last_post_at is not None
        and t.last_post_at > edge
        and t.last_post_at > marks.of(t.board_id)
    ]


def unread_thread_ids(user: Any, threads: Iterable[Any], now: datetime | None = None) -> set[int]:
    """Ids of those of ``threads`` (``Thread`` rows with ``board_id``, ``last_post_at``
    and ``max_floor``) that are unread for ``user`` (see the module). Empty for guests.
    Two queries at most (the watermarks, then the rows of the threads still candidates),
    none for a guest."""
    if user is None or not user.is_authenticated:
        return set()
    now = now or timezone.now()
    candidates = _candidates(list(threads), marks_of(user), now)
    if not candidates:
        return set()
    rows = {
        tid: (floor, read_at)
        for tid, floor, read_at in ThreadRead.objects.filter(
            user_id=user.pk, thread_id__in=[t.pk for t in candidates]
        ).values_list("thread_id", "floor", "read_at")
    }
    unread = set()
    for t in candidates:
        row = rows.get(t.pk)
        if row is None or (t.max_floor > row[0] and t.last_post_at > row[1]):
            unread.add(t.pk)
    return unread


def unread_board_ids(user: Any, rows: Iterable[Any], now: datetime | None = None) -> set[int]:
    """Ids of the boards of ``rows`` (the index's board rows: ``board``,
    ``last_thread_id``, ``last_post_at``) whose last thread has a post the member has not
    seen (the board's last post newer than the cutoff, the board's watermark and the
    member's row of that thread). Two queries at most; none for a guest."""
    if user is None or not user.is_authenticated:
        return set()
    now = now or timezone.now()
    edge = cutoff(now)
    marks = marks_of(user)
    live = [
        r
        for r in rows
        if r.last_thread_id
        and r.last_post_at is not None
        and r.last_post_at > edge
        and r.last_post_at > marks.of(r.board.pk)
    ]
    if not live:
        return set()
    read_at = dict(
        ThreadRead.objects.filter(
            user_id=user.pk, thread_id__in=[r.last_thread_id for r in live]
        ).values_list("thread_id", "read_at")
    )
    return {
        r.board.pk
        for r in live
        if r.last_thread_id not in read_at or read_at[r.last_thread_id] < r.last_post_at
    }


def record_read(user: Any, thread: Thread, floor: int, now: datetime | None = None) -> bool:
    """Record that ``user`` has seen ``thread`` up to ``floor`` (the highest floor number
    shown; the thread's ``max_floor`` when the last page was shown). Returns whether a
    row was written: nothing is written for a guest, for a thread older than the cutoff,
    or when the stored floor is already as high (one indexed read then)."""
    if user is None or not user.is_authenticated or floor <= 0:
        return False
    now = now or timezone.now()
    if thread.last_post_at is None or thread.last_post_at <= cutoff(now):
        return False
    stored = (
        ThreadRead.objects.filter(user_id=user.pk, thread_id=thread.pk)
        .values_list("floor", flat=True)
        .first()
    )
    if stored is not None and stored >= floor:
        return False
    if stored is None:
        try:
            with transaction.atomic():
                ThreadRead.objects.create(
                    user_id=user.pk, thread_id=thread.pk, floor=floor, read_at=now
                )
            return True
        except IntegrityError:  # another tab recorded it first: advance it instead
            pass
    with transaction.atomic():
        updated = ThreadRead.objects.filter(
            user_id=user.pk, thread_id=thread.pk, floor__lt=floor
        ).update(floor=floor, read_at=now)
    return bool(updated)


def first_unread_post_id(user: Any, thread: Thread, now: datetime | None = None) -> int | None:
    """The id of the first visible post of ``thread`` that ``user`` has not seen (above
    their row's floor, else posted after their watermark), or ``None`` when there is none
    (then the caller shows the last page). Two or three queries."""
    if user is None or not user.is_authenticated:
        return None
    now = now or timezone.now()
    posts = Post.objects.filter(thread_id=thread.pk, state=Post.State.VISIBLE).order_by("floor")
    row = (
        ThreadRead.objects.filter(user_id=user.pk, thread_id=thread.pk)
        .values_list("floor", flat=True)
        .first()
    )
    if row is not None:
        posts = posts.filter(floor__gt=row)
    else:
        since = max(marks_of(user).of(thread.board_id), cutoff(now))
        posts = posts.filter(created__gt=since)
    return posts.values_list("pk", flat=True).first()


def mark_board_read(user: Any, board_id: int, now: datetime | None = None) -> None:
    """标记本版已读: every thread of ``board_id`` whose last post is at or before ``now``
    (UTC) becomes read for ``user``; the member's rows of that board's threads are deleted
    (the watermark says the same). One transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        ReadMark.objects.update_or_create(
            user_id=user.pk, board_id=board_id, defaults={"marked_at": now}
        )
        ThreadRead.objects.filter(user_id=user.pk, thread__board_id=board_id).delete()


def mark_all_read(user: Any, now: datetime | None = None) -> None:
    """全部标为已读: everything posted at or before ``now`` (UTC) becomes read for
    ``user``; their board watermarks and thread rows are deleted (the one global
    watermark replaces them). One transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        ReadMark.objects.filter(user_id=user.pk, board__isnull=False).delete()
        ThreadRead.objects.filter(user_id=user.pk).delete()
        updated = ReadMark.objects.filter(user_id=user.pk, board__isnull=True).update(marked_at=now)
        if not updated:
            try:
                with transaction.atomic():
                    ReadMark.objects.create(user_id=user.pk, board=None, marked_at=now)
            except IntegrityError:  # another request created it a moment ago
                ReadMark.objects.filter(user_id=user.pk, board__isnull=True).update(marked_at=now)


def prune(now: datetime | None = None) -> int:
    """Delete the thread rows that no longer matter: threads whose last post is older
    than the cutoff (read for everyone), and board watermarks older than the cutoff.
    Returns the number of thread rows deleted. Run daily (``luntan prune_unread``)."""
    edge = cutoff(now)
    with transaction.atomic():
        deleted, _ = ThreadRead.objects.filter(thread__last_post_at__lte=edge).delete()
        ReadMark.objects.filter(board__isnull=False, marked_at__lte=edge).delete()
    return deleted
