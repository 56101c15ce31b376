"""Importing a generated Discuz! site (shared/discuz/generate.py --users 200 --threads 300
--seed 7): counters agree with Discuz!'s own, every state is mapped, and a second run
changes nothing."""

from __future__ import annotations

import html
import random
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from luntan.accounts.models import User, UserGroup
from luntan.boards.models import Board
from luntan.importers.discuz.legacy import thread_for_discuz_tid
from luntan.importers.discuz.models import MovedThreadStub
from luntan.threads.models import Post, Thread

from .helpers import run_import, snapshot

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

# The tid made anonymous before the import: seed 7 at this size generates no anonymous
# thread (~0.3 % of threads are), so the test marks one the way Discuz! stores it.
ANONYMOUS_TID = 5


@pytest.fixture(scope="module")
def site(synthetic_db):
    synthetic_db.query("UPDATE pre_forum_thread SET author = '' WHERE tid = %s", (ANONYMOUS_TID,))
    synthetic_db.query(
        "UPDATE pre_forum_post SET anonymous = 1 WHERE tid = %s AND first = 1", (ANONYMOUS_TID,)
    )
    # 阅读权限: one visible thread gets readperm 50 (the generator sets none).
    (tid,) = synthetic_db.query(
        "SELECT MIN(tid) FROM pre_forum_thread WHERE closed <= 1 AND displayorder >= 0"
    )[0]
    synthetic_db.query("UPDATE pre_forum_thread SET readperm = 50 WHERE tid = %s", (tid,))
    return synthetic_db


def test_readperm_becomes_read_level(site, imported):
    tids = [tid for (tid,) in site.query("SELECT tid FROM pre_forum_thread WHERE readperm = 50")]
    assert tids
    levels = set(Thread.objects.filter(discuz_tid__in=tids).values_list("read_level", flat=True))
    assert levels == {50}
    assert not Thread.objects.exclude(discuz_tid__in=tids).exclude(read_level=0).exists()


@pytest.fixture
def imported(site):
    lines: list[str] = []
    report = run_import(site, batch=500, lines=lines)
    return report, lines


def test_board_counters_equal_discuz_counts(site, imported):
    discuz = {
        fid: (threads, posts)
        for fid, threads, posts in site.query(
            "SELECT fid, threads, posts FROM pre_forum_forum WHERE status <> 3"
        )
    }
    stubs = Counter(
        fid for (fid,) in site.query("SELECT fid FROM pre_forum_thread WHERE closed > 1")
    )
    boards = {b.discuz_fid: b for b in Board.objects.all()}
    assert set(boards) == set(discuz)
    assert sum(stubs.values()) >= 1
    for fid, (threads, posts) in discuz.items():
        board = boards[fid]
        # Discuz! counts a moved-thread stub as one thread with one post; it is not imported.
        assert (board.threads, board.posts) == (threads - stubs[fid], posts - stubs[fid]), fid
        normal = Thread.objects.filter(board=board, state=Thread.State.NORMAL)
        assert normal.count() == board.threads
        visible = Post.objects.filter(thread__in=normal, state=Post.State.VISIBLE).count()
        assert visible == board.posts
        if board.threads:
            newest = normal.order_by("-last_post_at").first()
            assert board.last_post_at == newest.last_post_at
    hidden = Board.objects.get(name="测试版块")
    assert hidden.is_hidden
    assert Board.objects.get(name="友情链接").redirect_url == "http://www.example.com/"
    sub = Board.objects.get(name="手机摄影")
    assert sub.kind == Board.Kind.SUB and sub.parent.name == "摄影天地"
    assert Board.objects.get(name="本地新闻").moderators.count() == 2


def test_thread_and_post_states_are_mapped(site, imported):
    by_order = dict(
        site.query(
            "SELECT displayorder, COUNT(*) FROM pre_forum_thread WHERE closed <= 1 GROUP BY 1"
        )
    )
    assert Thread.objects.filter(state=Thread.State.RECYCLED).count() == by_order.get(-1, 0) > 0
    assert Thread.objects.filter(state=Thread.State.PENDING).count() == by_order.get(-2, 0) > 0
    for level in (1, 2, 3):
        assert Thread.objects.filter(sticky=level).count() == by_order.get(level, 0)
    by_invisible = dict(site.query("SELECT invisible, COUNT(*) FROM pre_forum_post GROUP BY 1"))
    states = Counter(Post.objects.values_list("state", flat=True))
    assert states == Counter({k: v for k, v in by_invisible.items()})
    assert Post.objects.count() == sum(by_invisible.values())
    closed = site.query("SELECT COUNT(*) FROM pre_forum_thread WHERE closed = 1")[0][0]
    assert Thread.objects.filter(closed=True).count() == closed
    highlighted = site.query("SELECT COUNT(*) FROM pre_forum_thread WHERE highlight > 0")[0][0]
    assert Thread.objects.exclude(highlight="").count() == highlighted
    assert all(h.startswith("#") for h in Thread.objects.values_list("highlight", flat=True) if h)


def test_floors_replies_and_sources(site, imported):
    for tid, maxposition, replies in site.query(
        "SELECT tid, maxposition, replies FROM pre_forum_thread WHERE closed <= 1"
    ):
        thread = Thread.objects.get(discuz_tid=tid)
        assert (thread.max_floor, thread.replies) == (maxposition, replies)
    pid, tid, position, message = site.query(
        "SELECT pid, tid, position, message FROM pre_forum_post WHERE message LIKE %s LIMIT 1",
        ("%\r\n%",),
    )[0]
    post = Post.objects.get(discuz_pid=pid)
    assert (post.thread.discuz_tid, post.floor, post.source) == (tid, position, message)


def test_anonymous_threads_and_posts(site, imported):
    thread = Thread.objects.get(discuz_tid=ANONYMOUS_TID)
    assert thread.is_anonymous and thread.author_name == ""
    assert thread.author is not None  # moderators still know who wrote it
    anonymous_posts = site.query("SELECT COUNT(*) FROM pre_forum_post WHERE anonymous = 1")[0][0]
    assert Post.objects.filter(is_anonymous=True).count() == anonymous_posts >= 1


def test_escaped_subjects_are_unescaped(site, imported):
    rows = site.query("SELECT tid, subject FROM pre_forum_thread WHERE subject LIKE %s", ("%&%",))
    assert rows
    for tid, stored in rows:
        subject = Thread.objects.get(discuz_tid=tid).subject
        assert subject == html.unescape(stored)
        assert "&amp;" not in subject and "&quot;" not in subject


def test_moved_stubs_are_skipped_and_redirect(site, imported):
    stubs = site.query("SELECT tid, closed FROM pre_forum_thread WHERE closed > 1")
    assert stubs
    for tid, target in stubs:
        assert not Thread.objects.filter(discuz_tid=tid).exists()
        assert MovedThreadStub.objects.get(discuz_tid=tid).target_discuz_tid == target
        assert thread_for_discuz_tid(tid) == Thread.objects.get(discuz_tid=target)
    report, _ = imported
    assert report["threads"].notes["moved-thread stubs (kept as redirects)"] == len(stubs)


def test_members_ucenter_only_locked_and_login(site, imported):
    assert User.objects.count() == site.query("SELECT COUNT(*) FROM pre_ucenter_members")[0][0]
    uc_only = site.query(
        "SELECT uid FROM pre_ucenter_members u WHERE NOT EXISTS "
        "(SELECT 1 FROM pre_common_member m WHERE m.uid = u.uid)"
    )
    assert uc_only
    for (uid,) in uc_only:
        assert User.objects.get(discuz_uid=uid).group_id == UserGroup.NEWBIE
    locked = [uid for (uid,) in site.query("SELECT uid FROM pre_common_member WHERE status = -1")]
    assert locked
    assert set(User.objects.filter(is_active=False).values_list("discuz_uid", flat=True)) == set(
        locked
    )
    staff = set(User.objects.filter(is_staff=True).values_list("discuz_uid", flat=True))
    assert staff == {
        uid for (uid,) in site.query("SELECT uid FROM pre_common_member WHERE groupid = 1")
    }
    groups = dict(site.query("SELECT uid, groupid FROM pre_common_member"))
    assert (
        dict(User.objects.filter(discuz_uid__in=groups).values_list("discuz_uid", "group_id"))
        == groups
    )
    counts = {
        uid: (p, t)
        for uid, p, t in site.query("SELECT uid, posts, threads FROM pre_common_member_count")
    }
    for user in User.objects.filter(discuz_uid__in=counts):
        assert (user.posts, user.threads) == counts[user.discuz_uid]
    uid = random.Random(7).choice(sorted(groups))
    user = User.objects.get(discuz_uid=uid)
    assert authenticate(username=user.username, password=f"pw{uid}").pk == user.pk
    assert authenticate(username=user.username, password=f"pw{uid + 1}") is None


def test_progress_is_printed(imported):
    _, lines = imported
    assert any(line.startswith("posts: ") and "rows/s" in line for line in lines)


def test_second_import_changes_nothing(site, imported):
    before = snapshot()
    report = run_import(site, batch=700)
    assert report.created == 0 and report.updated == 0
    assert snapshot() == before


def test_command_imports_and_reports(site, capsys):
    call_command(
        "import_discuz",
        host=site.host,
        port=site.port,
        user="root",
        password="",
        database=site.name,
        prefix="pre_",
        batch=1000,
    )
    out = capsys.readouterr().out
    assert "posts: " in out and "Imported in" in out
    assert Post.objects.count() == site.query("SELECT COUNT(*) FROM pre_forum_post")[0][0]
    call_command("import_discuz", host=site.host, port=site.port, database=site.name)
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_staff_only_board_keeps_its_viewperm_and_is_closed_to_guests(site, imported, client):
    staff_fids = [
        fid
        for fid, perm in site.query("SELECT fid, viewperm FROM pre_forum_forumfield")
        if perm and perm.strip("\t")
    ]
    assert staff_fids, "the generated site has a staff-only board (版主专区)"
    board = Board.objects.get(discuz_fid=staff_fids[0])
    assert board.view_groups == [1, 2, 3]
    thread = Thread.objects.filter(board=board, state=Thread.State.NORMAL).first()
    assert client.get(f"/f/{board.pk}/").status_code == 404
    assert board.name not in client.get("/").content.decode()
    if thread is not None:
        assert client.get(f"/t/{thread.pk}/").status_code == 404
    client.force_login(User.objects.filter(group_id=UserGroup.ADMIN).first())
    assert client.get(f"/f/{board.pk}/").status_code == 200
