"""The favourite and follow use cases (收藏 / 订阅), one transaction each:
:func:`add_favorite`, :func:`remove_favorite`, :func:`follow`, :func:`unfollow`,
:func:`followers` (for the notifications feature) and :func:`import_favorites` (the
Discuz! importer's bulk entry point).

Permission checks (:func:`luntan.permissions.check_favorite_thread` …) are the caller's;
these functions take exactly one of ``thread`` or ``board``. Adding twice (also two
requests at once) keeps one row: the unique constraints decide, the second call returns
the existing row with ``created`` False.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from luntan.favorites.models import Favorite, Follow


def _target(thread, board) -> dict:
    if (thread is None) == (board is None):
        raise ValueError("give exactly one of thread or board")
    return {"thread": thread} if thread is not None else {"board": board}


def _add(model, user, target: dict, now: datetime | None):
    try:
        with transaction.atomic():
            row, created = model.objects.get_or_create(
                user=user, **target, defaults={"created": now or timezone.now()}
            )
    except IntegrityError:  # the same add, at the same time
        return model.objects.get(user=user, **target), False
    return row, created


def _remove(model, user, target: dict) -> bool:
    with transaction.atomic():
        deleted, _ = model.objects.filter(user=user, **target).delete()
    return bool(deleted)


def add_favorite(user, *, thread=None, board=None, now: datetime | None = None):
    """收藏 ``thread`` or ``board`` for ``user``; returns ``(Favorite, created)``.
    Raises ``ValueError`` unless exactly one target is given."""
    return _add(Favorite, user, _target(thread, board), now)


def remove_favorite(user, *, thread=None, board=None) -> bool:
    """取消收藏; returns True when there was a favourite to remove."""
    return _remove(Favorite, user, _target(thread, board))


def follow(user, *, thread=None, board=None, now: datetime | None = None):
    """订阅 ``thread`` (its new replies) or ``board`` (its new threads); returns
    ``(Follow, created)``."""
    return _add(Follow, user, _target(thread, board), now)


def unfollow(user, *, thread=None, board=None) -> bool:
    """取消订阅; returns True when there was a follow to remove."""
    return _remove(Follow, user, _target(thread, board))


def followers(*, thread_id: int | None = None, board_id: int | None = None) -> list[int]:
    """Ids of the members following thread ``thread_id`` or board ``board_id`` (one
    query). The notifications feature checks each one may still read the thread."""
    if thread_id is not None:
        rows = Follow.objects.filter(thread_id=thread_id)
    elif board_id is not None:
        rows = Follow.objects.filter(board_id=board_id)
    else:
        raise ValueError("give thread_id or board_id")
    return list(rows.order_by("user_id").values_list("user_id", flat=True))


@dataclass(frozen=True)
class ImportedFavorite:
    """One Discuz! ``home_favorite`` row for :func:`import_favorites`: ``favid``, the
    luntan ``user_id``, ``thread_id`` or ``board_id``, ``created`` (UTC)."""

    favid: int
    user_id: int
    created: datetime
    thread_id: int | None = None
    board_id: int | None = None


def import_favorites(rows: Sequence[ImportedFavorite]) -> int:
    """Create the favourites of ``rows`` that are not there yet (matched by Discuz!
    ``favid``, and by member and target: a member's own later favourite of the same
    thread is kept), and a :class:`Follow` for each thread favourite (Discuz! tells the
    members who favourited a thread about its replies). One transaction; returns the
    favourites created."""
    if not rows:
        return 0
    with transaction.atomic():
        have_ids = set(
            Favorite.objects.filter(discuz_favid__in=[r.favid for r in rows]).values_list(
                "discuz_favid", flat=True
            )
        )
        users = {r.user_id for r in rows}
        have_threads: set[tuple[int, int | None]] = set(
            Favorite.objects.filter(user_id__in=users, thread__isnull=False).values_list(
                "user_id", "thread_id"
            )
        )
        have_boards: set[tuple[int, int | None]] = set(
            Favorite.objects.filter(user_id__in=users, board__isnull=False).values_list(
                "user_id", "board_id"
            )
        )
        follows: set[tuple[int, int | None]] = set(
            Follow.objects.filter(user_id__in=users, thread__isnull=False).values_list(
                "user_id", "thread_id"
            )
        )
        new, new_follows = [], []
        for r in rows:
            key: tuple[int, int | None]
            if r.thread_id is not None:
                key = (r.user_id, r.thread_id)
                if key not in follows:
                    follows.add(key)
                    new_follows.append(
                        Follow(user_id=r.user_id, thread_id=r.thread_id, created=r.created)
                    )
                if r.favid in have_ids or key in have_threads:
                    continue
                have_threads.add(key)
            else:
                key = (r.user_id, r.board_id)
                if r.favid in have_ids or key in have_boards:
                    continue
                have_boards.add(key)
            new.append(
                Favorite(
                    user_id=r.user_id,
                    thread_id=r.thread_id,
                    board_id=r.board_id,
                    created=r.created,
                    discuz_favid=r.favid,
                )
            )
        Favorite.objects.bulk_create(new)
        Follow.objects.bulk_create(new_follows)
    return len(new)
