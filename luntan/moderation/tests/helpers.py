"""Test helpers: counter snapshots compared with a rebuild from rows, and moderators."""

from __future__ import annotations

from luntan.accounts.models import User, UserGroup
from luntan.boards.models import Board
from luntan.threads.counters import rebuild_all
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_user


def snapshot() -> dict:
    """Every stored counter of boards, threads and members."""
    return {
        "boards": list(
            Board.objects.order_by("pk").values_list(
                "pk", "threads", "posts", "last_thread_id", "last_post_at", "last_poster_name"
            )
        ),
        "threads": list(
            Thread.objects.order_by("pk").values_list(
                "pk", "replies", "max_floor", "last_post_at", "last_poster_name"
            )
        ),
        "members": list(User.objects.order_by("pk").values_list("pk", "posts", "threads")),
    }


def assert_counters_rebuildable() -> None:
    """The stored counters equal what :func:`rebuild_all` computes from rows."""
    before = snapshot()
    rebuild_all()
    after = snapshot()
    for key in before:
        assert before[key] == after[key], key


def assert_dense_floors(thread: Thread) -> None:
    """Floors of ``thread`` are 1…n, unique, and ``max_floor`` is n."""
    floors = list(
        Post.objects.filter(thread=thread).order_by("floor").values_list("floor", flat=True)
    )
    assert floors == list(range(1, len(floors) + 1))
    thread.refresh_from_db()
    assert thread.max_floor == len(floors)


def make_moderator(board: Board, username: str | None = None) -> User:
    """A 版主 (group 3) of ``board``."""
    user = make_user(username, group_id=UserGroup.MODERATOR)
    board.moderators.add(user)
    return user


def make_super_moderator(username: str | None = None) -> User:
    """A 超级版主 (group 2)."""
    return make_user(username, group_id=UserGroup.SUPER_MODERATOR)
