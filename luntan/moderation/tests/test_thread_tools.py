"""Thread tools: each result's counters equal a rebuild, floors never change or come back,
audit written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from luntan.boards.models import Board
from luntan.moderation import services
from luntan.moderation.models import AuditLog, MergedThread, MovedThread, ThreadNotice
from luntan.moderation.tests.helpers import (
    assert_counters_rebuildable,
    assert_floors_kept,
    floors_of,
    make_super_moderator,
)
from luntan.threads.models import Post, Thread
from luntan.threads.posting import Trust
from luntan.threads.services import delete_post
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

T0 = timezone.now() - timedelta(days=2)


def at(minutes: int):
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def world():
    board = make_board("新闻", types=("新闻转播", "求助"))
    other = make_board("闲聊", parent=board.parent, types=("求助",))
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    t1 = make_thread(board, alice, "第一个主题", now=at(0))
    make_reply(t1, bob, now=at(1))
    make_reply(t1, carol, now=at(5))
    t2 = make_thread(board, bob, "第二个主题", now=at(2))
    make_reply(t2, alice, now=at(3))
    make_reply(t2, carol, now=at(10))
    t3 = make_thread(other, carol, "闲聊主题", now=at(4))
    mod = make_super_moderator("超版")
    for t in (t1, t2, t3):
        t.refresh_from_db()
    return {"board": board, "other": other, "t1": t1, "t2": t2, "t3": t3, "mod": mod}


def test_close_and_open_write_audit_and_notice(world):
    t, mod = world["t1"], world["mod"]
    services.close_thread(t, actor=mod, reason="水帖", ip="127.0.0.1")
    t.refresh_from_db()
    assert t.closed
    entry = AuditLog.objects.get(action="close")
    assert entry.before == {"closed": False} and entry.after == {"closed": True}
    assert entry.actor == mod and entry.actor_name == "超版" and entry.reason == "水帖"
    assert entry.ip == "127.0.0.1" and entry.target_id == t.pk
    notice = ThreadNotice.objects.get(thread=t)
    assert notice.action == "close" and notice.label == "关闭" and notice.actor_name == "超版"
    with pytest.raises(ValidationError):
        services.close_thread(t, actor=mod)
    services.close_thread(t, actor=mod, closed=False)
    assert ThreadNotice.objects.get(thread=t).action == "open"
    assert AuditLog.objects.count() == 2


@pytest.mark.parametrize("level", [1, 2, 3, 0])
def test_sticky_digest_levels(world, level):
    t, mod = world["t1"], world["mod"]
    if level == 0:
        services.stick_thread(t, actor=mod, level=2)
    services.stick_thread(t, actor=mod, level=level)
    services.digest_thread(t, actor=mod, level=level or 1)
    t.refresh_from_db()
    assert t.sticky == level and t.digest == (level or 1)
    assert AuditLog.objects.filter(action="unstick" if level == 0 else "stick").exists()


@pytest.mark.parametrize("bad", [4, -1, "x", None])
def test_bad_levels_and_colours_refused(world, bad):
    with pytest.raises(ValidationError):
        services.stick_thread(world["t1"], actor=world["mod"], level=bad)
    with pytest.raises(ValidationError):
        services.highlight_thread(world["t1"], actor=world["mod"], color="#123456")
    assert not AuditLog.objects.exists()


def test_highlight_from_palette(world):
    t = world["t1"]
    services.highlight_thread(t, actor=world["mod"], color=services.HIGHLIGHT_PALETTE[0])
    t.refresh_from_db()
    assert t.highlight == "#EE1B2E"
    services.highlight_thread(t, actor=world["mod"], color="")
    t.refresh_from_db()
    assert t.highlight == ""


def test_change_type(world):
    t, board = world["t1"], world["board"]
    kind = board.thread_types.get(name="求助")
    services.change_thread_type(t, actor=world["mod"], thread_type=kind)
    t.refresh_from_db()
    assert t.type == kind
    foreign = world["other"].thread_types.get()
    with pytest.raises(ValidationError):
        services.change_thread_type(t, actor=world["mod"], thread_type=foreign)


def test_move_keeps_counters_and_maps_type(world):
    t, board, other = world["t1"], world["board"], world["other"]
    kind = board.thread_types.get(name="求助")
    services.change_thread_type(t, actor=world["mod"], thread_type=kind)
    services.move_thread(t, actor=world["mod"], to_board=other, leave_stub=True)
    t.refresh_from_db()
    assert t.board == other and t.type == other.thread_types.get(name="求助")
    assert MovedThread.objects.filter(thread=t, from_board=board).exists()
    board.refresh_from_db()
    other.refresh_from_db()
    assert (board.threads, board.posts) == (1, 3)
    assert (other.threads, other.posts) == (2, 4)
    assert_counters_rebuildable()
    entry = AuditLog.objects.get(action="move")
    assert entry.before["board"] == board.pk and entry.after["board"] == other.pk
    # moving back removes the stub of the board it returns to
    services.move_thread(t, actor=world["mod"], to_board=board)
    assert not MovedThread.objects.filter(thread=t, from_board=board).exists()
    assert_counters_rebuildable()


def test_move_refuses_category_and_same_board(world):
    with pytest.raises(ValidationError):
        services.move_thread(world["t1"], actor=world["mod"], to_board=world["board"])
    with pytest.raises(ValidationError):
        services.move_thread(world["t1"], actor=world["mod"], to_board=world["board"].parent)


def test_merge_keeps_the_targets_floors_and_appends_the_others(world):
    """Issue 9 item 14: merging never changes a floor of the thread merged into; the
    joining posts get new floors after its top floor, in post-time order (as new posts
    would, Discuz! ``forum_postposition``)."""
    t1, t2, t3 = world["t1"], world["t2"], world["t3"]
    delete_post(trust=Trust.MEMBER, post=Post.objects.get(thread=t2, floor=2), actor=world["mod"])
    kept = floors_of(t1)
    services.merge_threads(t3, t1, actor=world["mod"])  # across boards
    services.merge_threads(t2, t1, actor=world["mod"])
    assert_floors_kept(t1, kept, 7)
    joined = list(
        Post.objects.filter(thread=t1, floor__gt=3)
        .order_by("floor")
        .values_list("created", flat=True)
    )
    assert joined == [at(4), at(2), at(3), at(10)]  # t3's OP, then t2's posts by time
    t1.refresh_from_db()
    assert t1.replies == 5  # 7 posts, OP and one deleted reply not counted
    assert t1.last_poster_name == "carol" and t1.last_post_at == at(10)
    assert Thread.objects.get(pk=t2.pk).state == Thread.State.RECYCLED
    assert MergedThread.objects.get(source_id=t2.pk).target_id == t1.pk
    with pytest.raises(ValidationError):
        services.restore_thread(Thread.objects.get(pk=t2.pk), actor=world["mod"])
    assert_counters_rebuildable()


def test_merge_of_an_older_thread_keeps_the_targets_op(world):
    t1, t2 = world["t1"], world["t2"]
    kept = floors_of(t2)
    services.merge_threads(t1, t2, actor=world["mod"])  # t1 started earlier
    t2.refresh_from_db()
    assert t2.created == at(2) and t2.author_name == "bob" and t2.subject == "第二个主题"
    assert Post.objects.get(thread=t2, floor=1).author_name == "bob"
    assert_floors_kept(t2, kept, 6)
    assert list(
        Post.objects.filter(thread=t2, floor__gt=3)
        .order_by("floor")
        .values_list("created", flat=True)
    ) == [at(0), at(1), at(5)]
    assert_counters_rebuildable()


def test_merge_after_a_split_reuses_no_floor(world):
    t1, t2 = world["t1"], world["t2"]
    make_reply(t1, world["mod"], "第四楼", now=at(6))
    services.split_thread(t1, [Post.objects.get(thread=t1, floor=4).pk], actor=world["mod"])
    kept = floors_of(t1)  # floors 1–3, top floor 4
    services.merge_threads(t2, t1, actor=world["mod"])
    assert_floors_kept(t1, kept, 7)
    assert sorted(floors_of(t1).values()) == [1, 2, 3, 5, 6, 7]


def test_merge_refuses_self_and_recycled(world):
    with pytest.raises(ValidationError):
        services.merge_threads(world["t1"], world["t1"], actor=world["mod"])
    services.recycle_thread(world["t2"], actor=world["mod"])
    with pytest.raises(ValidationError):
        services.merge_threads(world["t2"], world["t1"], actor=world["mod"])


def test_split_moves_floors_into_new_thread(world):
    """Issue 9 item 14: the floors left behind keep their numbers and the top floor stays
    (7→5 … 60→58 was the bug); the moved posts get floors 1…k in the new thread."""
    t1 = world["t1"]
    for n in range(3):
        make_reply(t1, world["mod"], f"更多回复 {n}", now=at(20 + n))
    posts = list(Post.objects.filter(thread=t1).order_by("floor"))  # 6 floors
    kept = floors_of(t1)
    chosen = [posts[4].pk, posts[2].pk]
    new = services.split_thread(t1, chosen, actor=world["mod"], subject="分出来的主题")
    assert new.subject == "分出来的主题" and new.board_id == t1.board_id
    assert list(Post.objects.filter(thread=new).order_by("floor").values_list("pk", "floor")) == [
        (posts[2].pk, 1),
        (posts[4].pk, 2),
    ]
    assert new.author_name == "carol" and new.created == posts[2].created
    assert_floors_kept(new, {}, 2)
    assert_floors_kept(t1, kept, 6)
    assert list(Post.objects.filter(thread=t1).order_by("floor").values_list("pk", "floor")) == [
        (posts[0].pk, 1),
        (posts[1].pk, 2),
        (posts[3].pk, 4),
        (posts[5].pk, 6),
    ]
    assert_counters_rebuildable()
    assert AuditLog.objects.filter(action="split").count() == 2
    assert ThreadNotice.objects.get(thread=new).action == "split"
    # the next reply takes a new floor: 6 is never given twice
    assert make_reply(t1, world["mod"], "新回复").floor == 7


def test_split_keeps_permalinks_and_floor_links_right(world):
    from django.test import Client

    t1 = world["t1"]
    for n in range(3):
        make_reply(t1, world["mod"], f"更多回复 {n}", now=at(20 + n))
    posts = list(Post.objects.filter(thread=t1).order_by("floor"))
    new = services.split_thread(t1, [posts[2].pk], actor=world["mod"])
    c = Client()
    last = posts[5]
    r = c.get(f"/p/{last.pk}/")
    assert r.status_code == 302 and r["Location"].endswith(f"#pid{last.pk}")
    assert f"/t/{t1.pk}/" in r["Location"]
    page = c.get(r["Location"].split("#")[0]).content.decode()
    assert f'id="pid{last.pk}"' in page
    moved = c.get(f"/p/{posts[2].pk}/")
    assert f"/t/{new.pk}/" in moved["Location"]


def test_split_refuses_op_foreign_and_empty(world):
    t1, t2 = world["t1"], world["t2"]
    op = Post.objects.get(thread=t1, floor=1)
    foreign = Post.objects.get(thread=t2, floor=2)
    kept = floors_of(t1)
    for ids in ([op.pk], [foreign.pk], []):
        with pytest.raises(ValidationError):
            services.split_thread(t1, ids, actor=world["mod"])
    assert_floors_kept(t1, kept, 3)


def test_recycle_and_restore(world):
    t1, board = world["t1"], world["board"]
    delete_post(trust=Trust.MEMBER, post=Post.objects.get(thread=t1, floor=2), actor=world["mod"])
    services.recycle_thread(t1, actor=world["mod"])
    board.refresh_from_db()
    assert board.threads == 1 and board.last_thread_id == world["t2"].pk
    assert_counters_rebuildable()
    services.restore_thread(t1, actor=world["mod"])
    t1.refresh_from_db()
    assert t1.state == Thread.State.NORMAL and t1.replies == 1
    assert Post.objects.get(thread=t1, floor=2).state == Post.State.DELETED
    assert_counters_rebuildable()
    with pytest.raises(ValidationError):
        services.restore_thread(t1, actor=world["mod"])
    assert [e.action for e in AuditLog.objects.order_by("pk")] == ["recycle", "restore"]


def test_restore_after_op_delete_by_posting_service(world):
    t1 = world["t1"]
    delete_post(trust=Trust.MEMBER, post=Post.objects.get(thread=t1, floor=1), actor=world["mod"])
    services.restore_thread(t1, actor=world["mod"])
    assert Thread.objects.get(pk=t1.pk).state == Thread.State.NORMAL
    assert_counters_rebuildable()


def test_moved_thread_found_under_new_board(world, django_capture_on_commit_callbacks):
    from luntan import search
    from luntan.search.service import SearchRequest, search_posts

    t3, board = world["t3"], world["board"]
    search.index_threads(Thread.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.move_thread(t3, actor=world["mod"], to_board=board)
    assert callbacks  # the thread is re-indexed on commit
    found = search_posts(SearchRequest(q="闲聊主题", board_id=board.pk), None)
    assert t3.pk in {h.post.thread_id for h in found.hits}
    found = search_posts(SearchRequest(q="闲聊主题", board_id=world["other"].pk), None)
    assert t3.pk not in {h.post.thread_id for h in found.hits}


def test_board_fixture_sanity(world):
    assert Board.objects.get(pk=world["board"].pk).threads == 2
    assert_counters_rebuildable()
