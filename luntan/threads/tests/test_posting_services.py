"""Posting rules in the services: limits, flood control, mentions, idempotent submits,
edits with revisions and the edit notice, soft deletes and the recycle bin — with every
stored counter checked against a rebuild from the rows after each write."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.threads import services
from luntan.threads.counters import rebuild_all
from luntan.threads.mentions import link_mentions
from luntan.threads.models import Post, PostRevision, Thread
from luntan.threads.posting import Trust
from luntan.threads.services import PostingLimits, PostInput, delete_post, edit_post
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

SITE_LIMITS = PostingLimits(min_length=10, max_length=10000, flood_seconds=15)
T0 = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)


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


def assert_counters_match_rebuild():
    """The stored counters equal what ``luntan rebuild_counters`` computes from the rows."""
    stored = _counters()
    rebuild_all()
    assert _counters() == stored


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# --- length limits ------------------------------------------------------------------------


def test_short_reply_is_refused_with_the_limit_in_the_message():
    thread = make_thread()
    with pytest.raises(ValidationError) as err:
        services.reply(
            trust=Trust.MEMBER,
            thread=thread,
            author=make_user(),
            body=PostInput("  太短了  "),
            limits=SITE_LIMITS,
        )
    assert err.value.code == "too_short"
    assert err.value.messages == [
        "抱歉，您的帖子小于 10 个字符的限制（当前 6 个字符，汉字算两个）。"
    ]
    assert Post.objects.filter(thread=thread).count() == 1
    assert_counters_match_rebuild()


def test_long_thread_body_is_refused_and_nothing_is_written():
    board = make_board()
    limits = PostingLimits(min_length=10, max_length=20)
    with pytest.raises(ValidationError) as err:
        services.create_thread(
            trust=Trust.MEMBER,
            board=board,
            author=make_user(),
            subject="标题",
            body=PostInput("字" * 11),
            limits=limits,
        )
    assert err.value.code == "too_long"
    assert "超过 20 个字符的限制" in err.value.messages[0]
    assert not Thread.objects.exists()
    assert Board.objects.get(pk=board.pk).threads == 0


def test_five_chinese_characters_meet_the_discuz_minimum_like_the_seed_reply():
    thread = make_thread()
    post = services.reply(
        trust=Trust.MEMBER,
        thread=thread,
        author=make_user(),
        body=PostInput("一定要和谐"),
        limits=SITE_LIMITS,
    )
    assert post.floor == 2
    with pytest.raises(ValidationError):
        services.reply(
            trust=Trust.MEMBER,
            thread=thread,
            author=make_user(),
            body=PostInput("要和谐"),
            limits=SITE_LIMITS,
        )
    assert services.discuz_length("一定要和谐") == 10 == services.discuz_length("abcdefghij")


def test_quotes_do_not_count_toward_the_minimum():
    thread = make_thread()
    quoted = make_reply(thread, body="被引用的帖子内容足够长了")
    with pytest.raises(ValidationError):
        services.reply(
            trust=Trust.MEMBER,
            thread=thread,
            author=make_user(),
            body=PostInput("同意"),
            quote=quoted,
            limits=SITE_LIMITS,
        )
    body = PostInput("[quote]很长很长很长很长的引用文字[/quote]\n同意")
    with pytest.raises(ValidationError):
        services.reply(
            trust=Trust.MEMBER, thread=thread, author=make_user(), body=body, limits=SITE_LIMITS
        )


def test_limits_are_off_without_limits_so_imports_keep_short_posts():
    thread = make_thread()
    assert make_reply(thread, body="顶").floor == 2


# --- flood control ------------------------------------------------------------------------


def test_flood_control_refuses_a_second_post_within_fifteen_seconds():
    author = make_user()
    thread = make_thread(author=author, now=at(0))
    body = PostInput("第二个帖子，内容够长了。")
    with pytest.raises(ValidationError) as err:
        services.reply(
            trust=Trust.MEMBER,
            thread=thread,
            author=author,
            body=body,
            limits=SITE_LIMITS,
            now=at(14),
        )
    assert err.value.code == "flood"
    assert err.value.messages == ["您两次发表间隔少于 15 秒，请稍候再发"]
    post = services.reply(
        trust=Trust.MEMBER, thread=thread, author=author, body=body, limits=SITE_LIMITS, now=at(15)
    )
    assert post.floor == 2
    with pytest.raises(ValidationError):
        services.create_thread(
            trust=Trust.MEMBER,
            board=thread.board,
            author=author,
            subject="又一个",
            body=body,
            limits=SITE_LIMITS,
            now=at(20),
        )
    assert_counters_match_rebuild()


def test_flood_control_is_per_member():
    thread = make_thread(now=at(0))
    post = services.reply(
        trust=Trust.MEMBER,
        thread=thread,
        author=make_user(),
        body=PostInput("另一位会员马上回复了。"),
        limits=SITE_LIMITS,
        now=at(1),
    )
    assert post.floor == 2


# --- idempotent submits -------------------------------------------------------------------


def test_submitting_the_same_reply_form_twice_creates_one_post():
    thread = make_thread()
    author = make_user()
    first = services.reply(
        trust=Trust.MODERATOR,
        thread=thread,
        author=author,
        body=PostInput("双击提交"),
        token="tok1",
    )
    again = services.reply(
        trust=Trust.MODERATOR,
        thread=thread,
        author=author,
        body=PostInput("双击提交"),
        token="tok1",
    )
    assert again.pk == first.pk
    assert Post.objects.filter(thread=thread).count() == 2
    # the flood rule does not turn the repeat into an error either
    third = services.reply(
        trust=Trust.MEMBER,
        thread=thread,
        author=author,
        body=PostInput("双击提交"),
        token="tok1",
        limits=SITE_LIMITS,
    )
    assert third.pk == first.pk
    assert_counters_match_rebuild()


def test_submitting_the_same_new_thread_form_twice_creates_one_thread():
    board = make_board()
    author = make_user()
    kwargs = {"board": board, "author": author, "subject": "标题", "body": PostInput("正文")}
    first = services.create_thread(trust=Trust.MODERATOR, **kwargs, token="t-1")
    assert services.create_thread(trust=Trust.MODERATOR, **kwargs, token="t-1").pk == first.pk
    assert Thread.objects.count() == 1
    assert services.create_thread(trust=Trust.MODERATOR, **kwargs, token="t-2").pk != first.pk
    assert_counters_match_rebuild()


def test_form_tokens_are_per_author():
    thread = make_thread()
    a = services.reply(
        trust=Trust.MODERATOR, thread=thread, author=make_user(), body=PostInput("甲"), token="same"
    )
    b = services.reply(
        trust=Trust.MODERATOR, thread=thread, author=make_user(), body=PostInput("乙"), token="same"
    )
    assert a.pk != b.pk


def test_overlong_token_is_refused():
    with pytest.raises(ValidationError):
        services.reply(
            trust=Trust.MODERATOR,
            thread=make_thread(),
            author=make_user(),
            body=PostInput("内容"),
            token="x" * 33,
        )


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_itself_creates_one_post():
    thread = make_thread()
    author = make_user("连点")
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            post = services.reply(
                trust=Trust.MODERATOR,
                thread=Thread.objects.get(pk=thread.pk),
                author=author,
                body=PostInput("只应出现一次的回复"),
                token="race-token",
            )
            results.append(post.pk)
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=submit) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert errors == []
    assert len(set(results)) == 1
    assert Post.objects.filter(thread=thread).count() == 2
    assert_counters_match_rebuild()


# --- mentions -----------------------------------------------------------------------------


def test_mentions_of_members_become_links_in_bbcode_and_markdown():
    zhang = make_user("张三")
    bob = make_user("bob")
    thread = make_thread()
    post = make_reply(thread, body="@张三你好，@bob. 还有 @路人甲")
    assert (
        post.source
        == f"[url=/u/{zhang.pk}/]@张三[/url]你好，[url=/u/{bob.pk}/]@bob[/url]. 还有 @路人甲"
    )
    assert f'href="/u/{zhang.pk}/"' in post.html and "@路人甲" in post.html
    md = make_reply(thread, body="**@bob** 看这里", fmt="markdown")
    assert md.source == f"**[@bob](/u/{bob.pk}/)** 看这里"
    assert f'href="/u/{bob.pk}/"' in md.html


def test_the_longest_existing_name_wins():
    make_user("张三")
    long = make_user("张三丰")
    post = make_reply(make_thread(), body="@张三丰来了")
    assert post.source == f"[url=/u/{long.pk}/]@张三丰[/url]来了"


@pytest.mark.parametrize(
    "source",
    [
        "[code]@bob[/code]",
        "[quote]@bob 说过[/quote]",
        "[url=https://example.org/@bob]@bob[/url]",
        "[url]https://example.org/@bob[/url]",
        "https://example.org/@bob 链接",
        "写信给 mail@bob.example",
        "[img]https://example.org/@bob.png[/img]",
        "[quote][code]x[/code]@bob[/quote]",
    ],
)
def test_mentions_inside_code_quotes_and_urls_stay_as_written(source):
    names = {"bob": 7}
    assert link_mentions(source, "bbcode", lambda wanted: names) == source


@pytest.mark.parametrize(
    "source",
    [
        "`@bob`",
        "```\n@bob\n```",
        "> @bob 说过",
        "[看 @bob](https://example.org/)",
        "<https://x.org/@bob>",
    ],
)
def test_markdown_mentions_inside_code_quotes_and_links_stay(source):
    assert link_mentions(source, "markdown", lambda wanted: {"bob": 7}) == source


def test_mention_after_a_quote_block_is_linked():
    out = link_mentions("[quote]@bob[/quote]\n@bob 你好", "bbcode", lambda wanted: {"bob": 7})
    assert out == "[quote]@bob[/quote]\n[url=/u/7/]@bob[/url] 你好"


def test_mention_lookup_is_skipped_without_an_at_sign(django_assert_num_queries):
    thread = make_thread()
    author = make_user()
    # lock, insert, thread, board, member + savepoints; credits: lock the member, their
    # balance, ledger row, balance, total; notifications (the thread author is told): the
    # thread with its boards, the recipients with the followers, the insert
    with django_assert_num_queries(15):
        make_reply(thread, author, body="没有提到任何人")


# --- edits --------------------------------------------------------------------------------


def test_edit_keeps_the_previous_text_as_a_revision_and_rerenders():
    author = make_user("作者")
    thread = make_thread(author=author, body="原来的[b]正文[/b]", now=at(0))
    op = thread.post_set.get()
    edited = edit_post(
        trust=Trust.MODERATOR,
        post=op,
        editor=author,
        body=PostInput("新的*正文*", "markdown"),
        reason="  补充  ",
        now=at(5),
    )
    assert (edited.source, edited.format) == ("新的*正文*", "markdown")
    assert "<em>正文</em>" in edited.html
    rev = PostRevision.objects.get(post=op)
    assert (rev.source, rev.format, rev.subject, rev.editor_name, rev.reason) == (
        "原来的[b]正文[/b]",
        "bbcode",
        "今天的新闻",
        "作者",
        "补充",
    )
    assert rev.created == at(5)
    assert_counters_match_rebuild()


def test_edit_within_sixty_seconds_leaves_no_notice_and_later_edits_do():
    author = make_user("作者")
    thread = make_thread(author=author, now=at(0))
    op = thread.post_set.get()
    assert (
        edit_post(
            trust=Trust.MODERATOR, post=op, editor=author, body=PostInput("改一"), now=at(60)
        ).edited_at
        is None
    )
    later = edit_post(
        trust=Trust.MODERATOR, post=op, editor=author, body=PostInput("改二"), now=at(61)
    )
    assert (later.edited_at, later.edited_by_name) == (at(61), "作者")
    assert "本帖最后由" not in later.source  # the notice is data, not text
    assert PostRevision.objects.filter(post=op).count() == 2


def test_moderator_edit_names_the_moderator():
    thread = make_thread(now=at(0))
    mod = make_user("版主", group_id=2)
    post = make_reply(thread, now=at(1))
    edited = edit_post(
        trust=Trust.MODERATOR, post=post, editor=mod, body=PostInput("版主修改"), now=at(600)
    )
    assert edited.edited_by_name == "版主"


def test_edit_that_changes_nothing_writes_nothing():
    author = make_user()
    op = make_thread(author=author, body="不变").post_set.get()
    edit_post(
        trust=Trust.MODERATOR, post=op, editor=author, body=PostInput("不变"), subject="今天的新闻"
    )
    assert not PostRevision.objects.exists()


def test_op_edit_changes_the_subject_and_type():
    board = make_board(types=("新闻转播", "灌水"))
    news, chat = board.thread_types.order_by("display_order")
    author = make_user()
    thread = make_thread(board, author, thread_type=news)
    op = thread.post_set.get()
    edit_post(
        trust=Trust.MODERATOR,
        post=op,
        editor=author,
        body=PostInput(op.source),
        subject=" 新 标题 ",
        thread_type=chat,
    )
    thread.refresh_from_db()
    assert (thread.subject, thread.type_id) == ("新 标题", chat.pk)
    assert PostRevision.objects.get(post=op).subject == "今天的新闻"


def test_reply_edit_ignores_a_subject():
    thread = make_thread()
    post = make_reply(thread)
    edit_post(
        trust=Trust.MODERATOR,
        post=post,
        editor=post.author,
        body=PostInput("改了"),
        subject="不该改标题",
    )
    thread.refresh_from_db()
    assert thread.subject == "今天的新闻"


def test_edit_applies_length_limits_and_links_new_mentions():
    bob = make_user("bob")
    post = make_reply(make_thread(), body="原来的回复内容很长")
    with pytest.raises(ValidationError):
        edit_post(
            trust=Trust.MEMBER,
            post=post,
            editor=post.author,
            body=PostInput("短"),
            limits=SITE_LIMITS,
        )
    edited = edit_post(
        trust=Trust.MEMBER,
        post=post,
        editor=post.author,
        body=PostInput("@bob 请看一下这个回复"),
        limits=SITE_LIMITS,
    )
    assert edited.source.startswith(f"[url=/u/{bob.pk}/]@bob[/url]")


def test_deleted_post_cannot_be_edited():
    post = make_reply(make_thread())
    delete_post(trust=Trust.MEMBER, post=post, actor=post.author)
    with pytest.raises(ValidationError):
        edit_post(trust=Trust.MODERATOR, post=post, editor=post.author, body=PostInput("复活"))


# --- deletes ------------------------------------------------------------------------------


def test_deleting_a_reply_keeps_its_floor_and_counters_right():
    board = make_board()
    thread = make_thread(board, now=at(0))
    a = make_reply(thread, make_user("甲"), now=at(10))
    b = make_reply(thread, make_user("乙"), now=at(20))
    delete_post(trust=Trust.MEMBER, post=a, actor=a.author)
    assert Post.objects.get(pk=a.pk).state == Post.State.DELETED
    thread.refresh_from_db()
    assert (thread.replies, thread.max_floor, thread.last_poster_name) == (1, 3, "乙")
    assert_counters_match_rebuild()
    delete_post(
        trust=Trust.MEMBER, post=b, actor=b.author
    )  # the newest: last post falls back to the OP
    thread.refresh_from_db()
    assert (thread.replies, thread.last_post_at) == (0, at(0))
    board.refresh_from_db()
    assert (board.posts, board.last_post_at) == (1, at(0))
    assert_counters_match_rebuild()
    assert make_reply(thread, now=at(30)).floor == 4  # floors are never reused
    assert_counters_match_rebuild()


def test_deleting_a_reply_twice_is_refused():
    post = make_reply(make_thread())
    delete_post(trust=Trust.MEMBER, post=post, actor=post.author)
    with pytest.raises(ValidationError):
        delete_post(trust=Trust.MEMBER, post=post, actor=post.author)


def test_deleting_the_op_moves_the_thread_to_the_recycle_bin():
    board = make_board()
    older = make_thread(board, subject="旧帖", now=at(0))
    author = make_user("楼主")
    thread = make_thread(board, author, now=at(10))
    r1 = make_reply(thread, make_user("甲"), now=at(20))
    r2 = make_reply(thread, author, now=at(30))
    delete_post(trust=Trust.MEMBER, post=r1, actor=r1.author)
    op = thread.post_set.get(floor=1)
    delete_post(trust=Trust.MEMBER, post=op, actor=author)
    thread.refresh_from_db()
    assert thread.state == Thread.State.RECYCLED
    states = dict(Post.objects.filter(thread=thread).values_list("floor", "state"))
    assert states == {1: Post.State.RECYCLED, 2: Post.State.DELETED, 3: Post.State.RECYCLED}
    board.refresh_from_db()
    assert (board.threads, board.posts, board.last_thread_id) == (1, 1, older.pk)
    author.refresh_from_db()
    assert (author.posts, author.threads) == (0, 0)
    assert thread.replies == 1  # kept for a restore
    assert_counters_match_rebuild()
    with pytest.raises(ValidationError):
        delete_post(trust=Trust.MEMBER, post=r2, actor=author)


def test_deleting_the_only_thread_empties_the_boards_last_post():
    board = make_board()
    thread = make_thread(board)
    delete_post(trust=Trust.MEMBER, post=thread.post_set.get(), actor=thread.author)
    board.refresh_from_db()
    assert (board.threads, board.posts, board.last_thread_id, board.last_poster_name) == (
        0,
        0,
        None,
        "",
    )
    assert_counters_match_rebuild()


def test_counters_stay_right_through_a_mixed_session():
    board = make_board()
    members = [make_user(f"成员{i}") for i in range(3)]
    threads = [make_thread(board, members[i % 3], subject=f"主题{i}") for i in range(3)]
    posts = [make_reply(threads[i % 3], members[(i + 1) % 3]) for i in range(6)]
    assert_counters_match_rebuild()
    edit_post(
        trust=Trust.MODERATOR,
        post=posts[0],
        editor=members[1],
        body=PostInput("改过"),
        now=timezone.now(),
    )
    delete_post(trust=Trust.MEMBER, post=posts[1], actor=members[0])
    assert_counters_match_rebuild()
    delete_post(trust=Trust.MEMBER, post=threads[2].post_set.get(floor=1), actor=members[2])
    assert_counters_match_rebuild()
    make_reply(threads[0], members[2])
    assert_counters_match_rebuild()


# --- closed threads -----------------------------------------------------------------------


def test_moderators_may_reply_to_a_closed_thread():
    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(closed=True)
    with pytest.raises(ValidationError):
        make_reply(thread, trust=Trust.MEMBER, limits=PostingLimits())
    post = services.reply(
        trust=Trust.MODERATOR,
        thread=thread,
        author=make_user(group_id=2),
        body=PostInput("版主回复"),
    )
    assert post.floor == 2
