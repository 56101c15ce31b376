"""Concurrent repliers get distinct, consecutive floors and counters equal the rows.

CI runs these on PostgreSQL (row lock with SELECT … FOR UPDATE) and on SQLite (a file
database in WAL mode, writers queued by BEGIN IMMEDIATE).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_thread, make_user

REPLIERS = 20


def _race(thread: Thread, authors: list[User]) -> list[BaseException]:
    from luntan.threads.services import PostInput, reply

    barrier = threading.Barrier(len(authors))
    errors: list[BaseException] = []

    def run(author: User) -> None:
        try:
            barrier.wait()
            reply(thread=Thread.objects.get(pk=thread.pk), author=author, body=PostInput("抢楼"))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(a,)) for a in authors]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_repliers_get_floors_two_to_twenty_one_once_each():
    board = make_board()
    thread = make_thread(board)
    authors = [make_user(f"抢楼{i}") for i in range(REPLIERS)]
    assert _race(thread, authors) == []
    floors = sorted(Post.objects.filter(thread=thread).values_list("floor", flat=True))
    assert floors == list(range(1, REPLIERS + 2))
    thread.refresh_from_db()
    board.refresh_from_db()
    assert thread.replies == REPLIERS == Post.objects.filter(thread=thread, floor__gt=1).count()
    assert thread.max_floor == REPLIERS + 1
    assert board.posts == REPLIERS + 1 == Post.objects.filter(thread__board=board).count()
    assert all(u.posts == 1 for u in User.objects.filter(pk__in=[a.pk for a in authors]))


@pytest.mark.django_db(transaction=True)
def test_two_members_replying_at_once_get_consecutive_floors():
    """Runs on every database (SQLite serialises writers with BEGIN IMMEDIATE)."""
    thread = make_thread(make_board())
    assert _race(thread, [make_user("甲"), make_user("乙")]) == []
    assert sorted(Post.objects.filter(thread=thread).values_list("floor", flat=True)) == [1, 2, 3]
    assert Board.objects.get(pk=thread.board_id).posts == 3
