"""Posting services: floors, quotes, counters and bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.threads.counters import rebuild_all
from luntan.threads.models import Post, Thread
from luntan.threads.posting import PostingLimits, Trust
from luntan.threads.tests.factories import (
    make_board,
    make_category,
    make_reply,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db


def _counters():
    return (
        sorted(
            Thread.objects.values_list(
                "pk", "replies", "max_floor", "last_post_at", "last_poster_name"
            )
        ),
        sorted(
            Board.objects.values_list(
                "pk", "threads", "posts", "last_thread", "last_post_at", "last_poster_name"
            )
        ),
        sorted(User.objects.values_list("pk", "posts", "threads")),
    )


def test_new_thread_puts_op_on_floor_one_and_counts_it():
    board = make_board()
    author = make_user("楼主甲")
    thread = make_thread(board, author, subject="  开门评警   活动 ", ip="58.218.204.37")
    op = thread.post_set.get()
    assert (op.floor, op.author_name, thread.subject) == (1, "楼主甲", "开门评警 活动")
    assert op.ip_region == "中国|0|江苏省|徐州市|电信"
    board.refresh_from_db()
    author.refresh_from_db()
    assert (board.threads, board.posts, board.last_thread_id) == (1, 1, thread.pk)
    assert (author.posts, author.threads) == (1, 1)


def test_replies_take_consecutive_floors_and_update_last_post():
    thread = make_thread()
    later = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    posts = [make_reply(thread, make_user(f"回复者{i}"), now=later) for i in range(3)]
    assert [p.floor for p in posts] == [2, 3, 4]
    thread.refresh_from_db()
    assert (thread.replies, thread.max_floor, thread.last_poster_name) == (3, 4, "回复者2")
    assert thread.last_post_at == later
    assert thread.board.posts == 4 or Board.objects.get(pk=thread.board_id).posts == 4


def test_quote_reply_stores_discuz_quote_header_in_site_time_zone():
    thread = make_thread()
    quoted = make_reply(
        thread,
        make_user("王者甲"),
        "该抓的不抓。\n只会做样子!",
        now=datetime(2011, 6, 10, 5, 56, 7, tzinfo=UTC),  # 13:56:07 GMT+8
    )
    answer = make_reply(thread, body="和谐 呵呵", quote=quoted)
    assert answer.source.startswith("[quote]")
    assert f"[url=/p/{quoted.pk}/]" in answer.source
    assert "王者甲 发表于 2011-6-10 13:56" in answer.source
    assert "该抓的不抓。" in answer.html and "和谐 呵呵" in answer.html
    assert "王者甲 发表于 2011-6-10 13:56" in answer.html


def test_quote_from_another_thread_is_refused():
    other = make_reply(make_thread())
    with pytest.raises(ValidationError):
        make_reply(make_thread(), quote=other)


def test_closed_thread_refuses_replies_and_writes_nothing():
    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(closed=True)
    with pytest.raises(ValidationError, match="关闭"):
        make_reply(thread, trust=Trust.MEMBER, limits=PostingLimits())
    assert Post.objects.filter(thread=thread).count() == 1


@pytest.mark.parametrize(
    ("subject", "body"),
    [("", "正文"), ("   ", "正文"), ("标题" * 41, "正文"), ("标题", ""), ("标题", " \n ")],
)
def test_bad_input_is_refused_and_leaves_no_half_written_thread(subject, body):
    board = make_board()
    with pytest.raises(ValidationError):
        make_thread(board, subject=subject, body=body)
    assert not Thread.objects.exists() and not Post.objects.exists()
    board.refresh_from_db()
    assert (board.threads, board.posts) == (0, 0)


def test_category_and_required_type_are_enforced():
    with pytest.raises(ValidationError):
        make_thread(make_category())
    board = make_board(types=("本地新闻", "新闻转播"), thread_types_required=True)
    with pytest.raises(ValidationError, match="主题分类"):
        make_thread(board)
    foreign_type = make_board(name="别处", types=("别的",)).thread_types.get()
    with pytest.raises(ValidationError):
        make_thread(board, thread_type=foreign_type)
    thread = make_thread(board, thread_type=board.thread_types.get(name="新闻转播"))
    assert thread.type.name == "新闻转播"


def test_markdown_post_is_rendered_and_sanitised():
    thread = make_thread(
        body="**粗体** [链接](javascript:alert(1)) <script>x</script>", fmt="markdown"
    )
    html = thread.post_set.get().html
    assert "<strong>粗体</strong>" in html
    assert "javascript:" not in html and "<script" not in html


def test_rebuild_changes_nothing_after_services_and_repairs_drift():
    board = make_board()
    for i in range(3):
        thread = make_thread(board, subject=f"主题{i}")
        for _ in range(i):
            make_reply(thread)
    expected = _counters()
    rebuild_all()
    assert _counters() == expected
    Thread.objects.update(replies=99, last_poster_name="x")
    Board.objects.update(threads=0, posts=0, last_thread=None)
    User.objects.update(posts=42, threads=7)
    rebuild_all()
    assert _counters() == expected


def test_rebuild_leaves_deleted_posts_out_but_keeps_their_floors():
    thread = make_thread()
    make_reply(thread)
    last = make_reply(thread, make_user("最后"))
    Post.objects.filter(pk=last.pk).update(state=Post.State.DELETED)
    rebuild_all()
    thread.refresh_from_db()
    assert (thread.replies, thread.max_floor) == (1, 3)
    assert thread.last_poster_name != "最后"
    assert make_reply(thread).floor == 4
