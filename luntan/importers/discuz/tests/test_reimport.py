"""Importing again into a site that members have used keeps what they did here."""

from __future__ import annotations

import pytest

from luntan.boards.models import Board
from luntan.threads.counters import rebuild_all
from luntan.threads.models import Post, Thread
from luntan.threads.posting import Trust
from luntan.threads.services import PostInput, reply

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def test_reimport_after_local_replies_and_views_keeps_them(seed_db):
    run_import(seed_db)
    thread = Thread.objects.get(discuz_tid=17406)
    member = Post.objects.get(discuz_pid=196831).author
    local = reply(
        trust=Trust.MODERATOR,
        thread=thread,
        author=member,
        body=PostInput("迁移以后在 luntan 里的新回复"),
    )
    Thread.objects.filter(pk=thread.pk).update(views=1200)

    run_import(seed_db)

    thread.refresh_from_db()
    board = Board.objects.get(pk=thread.board_id)
    assert local.floor == 5
    assert (thread.replies, thread.views, thread.max_floor) == (4, 1200, 5)
    assert thread.last_poster_name == member.username
    assert (board.threads, board.posts) == (1, 5)
    before = list(Thread.objects.values_list("replies", "last_post_at", "last_poster_name"))
    rebuild_all()
    assert list(Thread.objects.values_list("replies", "last_post_at", "last_poster_name")) == (
        before
    )
