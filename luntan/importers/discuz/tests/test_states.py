"""Post and thread states (issue 10): thread split tables, long subjects, recycle-bin
replies, ignored/draft posts, and counters computed from the imported rows (compared with
Discuz!'s in the report), checked through the pages a guest and an administrator see."""

from __future__ import annotations

import pytest

from luntan.accounts.models import User
from luntan.threads.models import Post, Thread

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

LONG = "超长标题" * 25  # 100 characters


def _public_threads(db, n):
    return [
        r[0]
        for r in db.query(
            "SELECT t.tid FROM pre_forum_thread t JOIN pre_forum_forum f ON f.fid = t.fid "
            "JOIN pre_forum_forumfield ff ON ff.fid = t.fid WHERE t.displayorder = 0 "
            "AND t.closed = 0 AND t.readperm = 0 AND f.status = 1 AND ff.viewperm = '' "
            "AND ff.password = '' AND ff.redirect = '' AND t.special = 0 AND t.replies BETWEEN 3 AND 15 "
            "AND t.replies = (SELECT COUNT(*) FROM pre_forum_post p WHERE p.tid = t.tid "
            "AND p.invisible = 0 AND p.first = 0) AND t.authorid > 0 ORDER BY t.tid LIMIT %s",
            (n,),
        )
    ]


@pytest.fixture(scope="module")
def site(synthetic_db):
    db = synthetic_db
    split, long, recycled, hidden = _public_threads(db, 4)
    # 主题分表: the thread lives in forum_thread_1 only.
    db.query("CREATE TABLE pre_forum_thread_1 LIKE pre_forum_thread")
    db.query(
        "INSERT INTO pre_forum_thread_1 SELECT * FROM pre_forum_thread WHERE tid = %s", (split,)
    )
    db.query("DELETE FROM pre_forum_thread WHERE tid = %s", (split,))
    # A site that widened the subject column holds a 100-character subject.
    db.query("ALTER TABLE pre_forum_thread MODIFY subject varchar(255) NOT NULL DEFAULT ''")
    db.query("UPDATE pre_forum_thread SET subject = %s WHERE tid = %s", (LONG, long))
    # The newest reply of a thread goes to the recycle bin (invisible -1).
    pid, message = db.query(
        "SELECT pid, message FROM pre_forum_post WHERE tid = %s ORDER BY position DESC LIMIT 1",
        (recycled,),
    )[0]
    db.query(
        "UPDATE pre_forum_post SET invisible = -1, message = '回收站里的回复' WHERE pid = %s",
        (pid,),
    )
    # Ignored (-3) and draft (-4) replies.
    pids = [
        r[0]
        for r in db.query(
            "SELECT pid FROM pre_forum_post WHERE tid = %s AND first = 0 ORDER BY position LIMIT 2",
            (hidden,),
        )
    ]
    db.query(
        "UPDATE pre_forum_post SET invisible = -3, message = '被忽略的回复' WHERE pid = %s",
        (pids[0],),
    )
    db.query(
        "UPDATE pre_forum_post SET invisible = -4, message = '草稿回复' WHERE pid = %s", (pids[1],)
    )
    # 李四's stored counts say 99/77: luntan counts the rows.
    (uid,) = db.query(
        "SELECT uid FROM pre_common_member_count WHERE posts BETWEEN 1 AND 20 ORDER BY uid LIMIT 1"
    )[0]
    db.query("UPDATE pre_common_member_count SET posts = 99, threads = 77 WHERE uid = %s", (uid,))
    # Members (groups 9–15, by credits) may reply but not start threads on this site.
    db.query("UPDATE pre_common_usergroup_field SET allowpost = 0 WHERE groupid BETWEEN 9 AND 15")
    db.ids = {"split": split, "long": long, "recycled": recycled, "hidden": hidden, "uid": uid}
    return db


@pytest.fixture
def report(site):
    return run_import(site)


def test_split_table_thread_and_long_subject_are_on_the_pages(site, report, client):
    thread = Thread.objects.get(discuz_tid=site.ids["split"])
    (posts,) = site.query(
        "SELECT COUNT(*) FROM pre_forum_post WHERE tid = %s", (site.ids["split"],)
    )[0]
    assert Post.objects.filter(thread=thread).count() == posts
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200 and thread.subject in page.content.decode()
    board = client.get(thread.board.get_absolute_url()).content.decode()
    long = Thread.objects.get(discuz_tid=site.ids["long"])
    assert long.subject == LONG
    assert LONG in client.get(long.get_absolute_url()).content.decode()
    assert board  # the board page renders with the split-table thread in it


def test_recycle_bin_reply_is_not_counted_nor_shown(site, report, client):
    thread = Thread.objects.get(discuz_tid=site.ids["recycled"])
    (replies,) = site.query(
        "SELECT replies FROM pre_forum_thread WHERE tid = %s", (site.ids["recycled"],)
    )[0]
    assert thread.replies == replies - 1
    newest = Post.objects.filter(thread=thread, state=Post.State.VISIBLE).order_by("-floor").first()
    assert thread.last_post_at == newest.created
    assert "回收站里的回复" not in client.get(thread.get_absolute_url()).content.decode()
    assert (
        f"tid {site.ids['recycled']}: replies luntan {replies - 1}, Discuz! {replies}"
        in "\n".join(report.differences)
    )


def test_ignored_and_draft_replies_are_hidden_from_guests_and_members(site, report, client):
    thread = Thread.objects.get(discuz_tid=site.ids["hidden"])
    url = thread.get_absolute_url()
    for viewer in (None, User.objects.filter(discuz_uid__gt=1, group_id=10).first()):
        if viewer:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "被忽略的回复" not in page and "草稿回复" not in page


def test_member_counters_are_counted_and_differences_reported(site, report):
    user = User.objects.get(discuz_uid=site.ids["uid"])
    posts = Post.objects.filter(
        author=user, state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL
    ).count()
    assert user.posts == posts != 99
    text = "\n".join(report.differences)
    assert f"{user.username} (uid {user.discuz_uid}): posts/threads/digests luntan {posts}/" in text
    assert ", Discuz! 99/77/" in text
    again = run_import(site)
    assert again["member counters"].updated == 0
    user.refresh_from_db()
    assert user.posts == posts


def test_usergroup_rights_come_from_common_usergroup_field(site, report, client):
    from luntan.accounts.models import UserGroup

    newbie = UserGroup.objects.get(pk=10)
    assert newbie.allow_post is False and newbie.allow_reply is True
    assert UserGroup.objects.get(pk=8).allow_post is False  # as Discuz! installs it
    assert UserGroup.objects.get(pk=3).allow_post is True
    member = User.objects.filter(group_id=10, is_active=True, discuz_uid__gt=1).first()
    board = Thread.objects.get(discuz_tid=site.ids["long"]).board
    client.force_login(member)
    page = client.get(f"/f/{board.pk}/new/")
    assert page.status_code == 403, page.status_code
    assert "不能在本版块发新话题" in page.content.decode()
