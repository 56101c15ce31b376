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


def floors_of(thread: Thread) -> dict[int, int]:
    """``{post id: floor}`` of the posts in ``thread``."""
    return dict(Post.objects.filter(thread=thread).values_list("pk", "floor"))


def assert_floors_kept(thread: Thread, before: dict[int, int], top: int) -> None:
    """Every post of ``before`` still in ``thread`` has the floor it had, floors are
    unique, and ``max_floor`` is ``top`` (never lowered, issue 9 item 14)."""
    now = floors_of(thread)
    for pk, floor in now.items():
        if pk in before:
            assert floor == before[pk], (pk, before[pk], floor)
    assert len(set(now.values())) == len(now)
    thread.refresh_from_db()
    assert thread.max_floor == top
    assert max(now.values(), default=0) <= top


def make_moderator(board: Board, username: str | None = None) -> User:
    """A 版主 (group 3) of ``board``."""
    user = make_user(username, group_id=UserGroup.MODERATOR)
    board.moderators.add(user)
    return user


def make_super_moderator(username: str | None = None) -> User:
    """A 超级版主 (group 2)."""
    return make_user(username, group_id=UserGroup.SUPER_MODERATOR)
