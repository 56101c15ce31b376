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
from luntan.threads.posting import Trust
from luntan.threads.tests.factories import make_board, make_thread, make_user

REPLIERS = 20


def _race(thread: Thread, authors: list[User]) -> list[BaseException]:
    from luntan.threads.services import PostInput, reply

    barrier = threading.Barrier(len(authors))
    errors: list[BaseException] = []

    def run(author: User) -> None:
        try:
            barrier.wait()
            reply(
                trust=Trust.MODERATOR,
                thread=Thread.objects.get(pk=thread.pk),
                author=author,
                body=PostInput("抢楼"),
            )
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


# --- flood control under parallel requests (issue 9, item 5) -----------------------------

FLOOD = 15


def _parallel(jobs) -> list[BaseException]:
    """Run ``jobs`` (callables) at once; return what they raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return errors


def _flood_refusals(errors: list[BaseException]) -> int:
    from django.core.exceptions import ValidationError

    unexpected = [e for e in errors if not isinstance(e, ValidationError) or e.code != "flood"]
    assert unexpected == []
    return len(errors)


@pytest.mark.django_db(transaction=True)
def test_five_parallel_replies_of_one_member_to_five_threads_pass_flood_control_once():
    from luntan.threads.posting import PostingLimits, PostInput, PostRequest, submit

    board = make_board()
    threads = [make_thread(board) for _ in range(5)]
    member = make_user("刷屏者")
    limits = PostingLimits(flood_seconds=FLOOD)

    def job(thread):
        return lambda: submit(
            PostRequest(
                author=User.objects.get(pk=member.pk),
                body=PostInput("并发回复"),
                trust=Trust.MEMBER,
                limits=limits,
                thread=Thread.objects.select_related("board").get(pk=thread.pk),
            )
        )

    errors = _parallel([job(t) for t in threads])
    assert _flood_refusals(errors) == 4
    assert Post.objects.filter(author=member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_parallel_new_threads_of_one_member_pass_flood_control_once():
    from luntan.threads.posting import PostingLimits, PostInput, PostRequest, submit

    board = make_board()
    member = make_user("刷屏者")
    limits = PostingLimits(flood_seconds=FLOOD)

    def job(n):
        return lambda: submit(
            PostRequest(
                author=User.objects.get(pk=member.pk),
                body=PostInput("并发发帖"),
                trust=Trust.MEMBER,
                limits=limits,
                board=Board.objects.get(pk=board.pk),
                subject=f"新帖 {n}",
            )
        )

    errors = _parallel([job(n) for n in range(5)])
    assert _flood_refusals(errors) == 4
    assert Thread.objects.filter(author=member).count() == 1
    assert Board.objects.get(pk=board.pk).threads == 1
