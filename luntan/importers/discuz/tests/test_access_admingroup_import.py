"""Per-member board access (``forum_access``) and admin-group rights
(``common_admingroup``) survive the import (issue 10 item 1), checked through the pages a
member, a moderator, a super moderator and an administrator see.

Hand-made rows on the generated site (``generate.py --users 200 --threads 300 --seed 7``):

- uid 2 (注册会员) ``allowview`` 1 on 版主专区 (fid 50, viewperm 管理员/超级版主/版主 only),
  ``allowview`` -1 on 本地新闻 (fid 37), ``allowpost``/``allowreply`` -1 on 吃喝玩乐
  (fid 38) and ``allowgetattach`` -1 there;
- 吃喝玩乐's ``postperm`` set to 管理员/超级版主/版主, and uid 6 (a member) ``allowpost``
  1 there;
- ``common_admingroup``: 超级版主 (2) without ``allowbanuser``, 版主 (3) without
  ``allowdelpost``.
"""

from __future__ import annotations

import pytest
from django.test import Client

from luntan import permissions
from luntan.accounts.models import User, UserGroup
from luntan.bans.models import Ban
from luntan.boards.models import Board, BoardAccess
from luntan.importers.discuz.report import render_report
from luntan.threads.models import Post, Thread

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


@pytest.fixture(scope="module")
def site(synthetic_db):
    db = synthetic_db
    db.query(
        "INSERT INTO pre_forum_access (uid, fid, allowview, allowpost, allowreply, "
        "allowgetattach, allowpostimage) VALUES "
        "(2, 50, 1, 0, 0, 0, 0), (2, 37, -1, 0, 0, 0, 0), (2, 38, 0, -1, -1, -1, 1), "
        "(6, 38, 0, 1, 0, 0, 0), (9999, 38, 1, 0, 0, 0, 0), (3, 38, 0, 0, 0, 0, 0)"
    )
    db.query("UPDATE pre_common_admingroup SET allowbanuser = 0 WHERE admingid = 2")
    db.query("UPDATE pre_common_admingroup SET allowdelpost = 0 WHERE admingid = 3")
    db.query("UPDATE pre_forum_forumfield SET postperm = '\t1\t2\t3\t' WHERE fid = 38")
    yield db
    db.query("UPDATE pre_forum_forumfield SET postperm = '' WHERE fid = 38")
    db.query("DELETE FROM pre_forum_access")
    db.query("UPDATE pre_common_admingroup SET allowbanuser = 1 WHERE admingid IN (2, 3)")
    db.query("UPDATE pre_common_admingroup SET allowdelpost = 1 WHERE admingid = 3")


def _member(uid: int) -> User:
    return User.objects.get(discuz_uid=uid)


def _thread(fid: int) -> Thread:
    return (
        Thread.objects.filter(board__discuz_fid=fid, state=Thread.State.NORMAL, closed=False)
        .order_by("pk")
        .first()
    )


def test_forum_access_rows_are_imported_and_reported(site):
    report = run_import(site)
    stats = report["board access"]
    assert stats.read == 6
    assert stats.notes["member not imported"] == 1
    assert stats.notes["no right overridden (all 0)"] == 1
    assert BoardAccess.objects.count() == 4
    row = BoardAccess.objects.get(user=_member(2), board__discuz_fid=38)
    assert (row.allow_view, row.allow_post, row.allow_reply, row.allow_download) == (0, -1, -1, -1)
    assert _member(2).board_access_masks and not _member(3).board_access_masks
    text = render_report(report)
    assert "forum_access" in text.split("Discuz! tables not read")[0]
    assert "forum_access:" not in text.split("Discuz! tables not read")[1]
    assert "allowgetimage/allowpostimage not kept" in text
    # A rerun changes nothing.
    again = run_import(site)["board access"]
    assert (again.created, again.updated, again.read) == (0, 0, 6)


def test_member_with_allowview_sees_a_staff_only_board(site, client):
    run_import(site)
    board = Board.objects.get(discuz_fid=50)
    thread = _thread(50)
    other = User.objects.filter(group_id=12, is_active=True).exclude(discuz_uid=2).first()
    client.force_login(other)
    assert client.get(board.get_absolute_url()).status_code == 404
    assert client.get(thread.get_absolute_url()).status_code == 404
    client.force_login(_member(2))
    page = client.get(board.get_absolute_url())
    assert page.status_code == 200 and thread.subject in page.content.decode()
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200 and thread.subject in page.content.decode()


def test_member_with_allowview_minus_one_is_refused_the_board(site, client):
    run_import(site)
    board = Board.objects.get(discuz_fid=37)
    thread = _thread(37)
    client.force_login(_member(3))  # no override: a public board
    assert client.get(board.get_absolute_url()).status_code == 200
    client.force_login(_member(2))
    assert client.get(board.get_absolute_url()).status_code == 404
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert board.name not in client.get("/").content.decode()
    # Search and listings leave the board's threads out too.
    assert thread.board_id in permissions.denied_board_ids(_member(2))


def test_allowpost_and_allowreply_override_the_group(site, client):
    run_import(site)
    board = Board.objects.get(discuz_fid=38)
    thread = _thread(38)
    # uid 2: may read the board, may not start threads or reply (both -1).
    client.force_login(_member(2))
    assert client.get(board.get_absolute_url()).status_code == 200
    page = client.post(
        f"/f/{board.pk}/new/",
        {"subject": "访问权限测试一", "body": "内容内容内容", "format": "bbcode"},
    )
    assert page.status_code == 403 and "没有权限在本版块发新话题" in page.content.decode()
    page = client.post(
        f"{thread.get_absolute_url()}reply/", {"body": "回复内容测试", "format": "bbcode"}
    )
    assert not Post.objects.filter(source="回复内容测试").exists()
    assert not permissions.can_download(_member(2), board)
    # uid 3: the board's postperm leaves members out; uid 6's allowpost 1 lets them in.
    client.force_login(_member(3))
    assert client.get(f"/f/{board.pk}/new/").status_code == 403
    client.force_login(_member(6))
    assert client.get(f"/f/{board.pk}/new/").status_code == 200
    page = client.post(
        f"/f/{board.pk}/new/",
        {"subject": "访问权限测试二", "body": "内容内容内容", "format": "bbcode"},
    )
    assert page.status_code == 302, page.content.decode()[:500]
    assert Thread.objects.filter(subject="访问权限测试二", board=board).exists()


def test_administrator_edits_member_access_in_the_admin_center(site, client):
    run_import(site)
    admin = _member(1)
    board = Board.objects.get(discuz_fid=37)
    admin.set_password("pw")
    admin.save()
    client.force_login(admin)
    confirmed = client.post("/admin-center/confirm/", {"password": "pw", "next": "/admin-center/"})
    assert confirmed.status_code == 302
    url = f"/admin-center/boards/{board.pk}/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and _member(2).username in html
    target = _member(7)
    response = client.post(
        url,
        {
            "op": "access",
            "username": target.username,
            "access-allow_view": "-1",
            "access-allow_post": "0",
            "access-allow_reply": "0",
            "access-allow_download": "0",
            "access-allow_upload": "0",
        },
    )
    assert response.status_code == 302
    member = Client()
    member.force_login(target)
    assert member.get(board.get_absolute_url()).status_code == 404
    assert target.username in client.get(url).content.decode()
    assert client.post(url, {"op": "remove_access", "user": str(target.pk)}).status_code == 302
    assert member.get(board.get_absolute_url()).status_code == 200
    assert not User.objects.get(pk=target.pk).board_access_masks


def test_super_moderator_without_allowbanuser_cannot_ban(site, client):
    report = run_import(site)
    supermod = User.objects.filter(group_id=2).first()
    victim = _member(7)
    assert "ban_members" in UserGroup.objects.get(pk=2).moderation_denied
    client.force_login(supermod)
    assert client.get(f"/u/{victim.pk}/ban/").status_code == 404
    client.post(f"/u/{victim.pk}/ban/", {"kind": Ban.Kind.choices[0][0], "reason": "x"})
    assert not Ban.objects.filter(user=victim).exists()
    # Powers they had are kept: closing a thread anywhere.
    thread = _thread(37)
    assert client.post(f"/mod/t/{thread.pk}/close/").status_code == 302
    assert Thread.objects.get(pk=thread.pk).closed
    # The administrator still bans.
    client.force_login(_member(1))
    assert client.get(f"/u/{victim.pk}/ban/").status_code == 200
    text = render_report(report)
    assert "allowrecommendthread: no per-group right in luntan" in text
    assert "common_admingroup:" not in text.split("Discuz! tables not read")[1]


def test_moderator_without_allowdelpost_cannot_delete(site, client):
    run_import(site)
    board = Board.objects.get(discuz_fid=37)
    moderator = board.moderators.get(discuz_uid=32)
    thread = _thread(37)
    reply = Post.objects.filter(thread=thread, floor__gt=1, state=Post.State.VISIBLE).first()
    client.force_login(moderator)
    page = client.post(f"/mod/p/{reply.pk}/delete/")
    assert page.status_code == 403 and "删除帖子" in page.content.decode()
    assert Post.objects.get(pk=reply.pk).state == Post.State.VISIBLE
    # … and keeps what they had: closing the thread.
    assert client.post(f"/mod/t/{thread.pk}/close/").status_code == 302
    assert Thread.objects.get(pk=thread.pk).closed
