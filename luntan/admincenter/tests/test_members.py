"""用户 and 用户组: search, group change, ban/unban, delete, group rights; each logged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from luntan.accounts.groups import GroupId
from luntan.accounts.models import User, UserGroup
from luntan.admincenter import members as services
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.bans.models import Ban
from luntan.moderation.models import AuditLog
from luntan.permissions.groups import group_rights
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db


def test_search_by_name_email_ip_and_date():
    a = make_user("老街摄影", email="photo@example.com", register_ip="10.1.2.3")
    b = make_user("江南水乡", email="water@example.org")
    make_thread(board=make_board("新闻"), author=b, ip="192.168.7.9")
    old = make_user("老会员")
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=400))
    q = services.MemberQuery
    assert list(services.search_members(q(name="摄影"))) == [a]
    assert list(services.search_members(q(email="example.org"))) == [b]
    assert list(services.search_members(q(ip="10.1."))) == [a]
    assert list(services.search_members(q(ip="192.168.7.9"))) == [b]
    recent = set(services.search_members(q(joined_from=date.today() - timedelta(days=30))))
    assert old not in recent and a in recent
    assert list(services.search_members(q(joined_to=date.today() - timedelta(days=300)))) == [old]


def test_change_group_logs_and_refuses_self_and_banned_groups():
    admin = make_admin()
    member = make_user("会员甲")
    assert services.change_group(member, UserGroup.objects.get(pk=GroupId.REGISTERED), actor=admin)
    assert User.objects.get(pk=member.pk).group_id == GroupId.REGISTERED
    entry = AuditLog.objects.get(action="member_group")
    assert (entry.before, entry.after) == ({"group": GroupId.NEWBIE}, {"group": GroupId.REGISTERED})
    with pytest.raises(ValidationError):
        services.change_group(admin, UserGroup.objects.get(pk=GroupId.REGISTERED), actor=admin)
    with pytest.raises(ValidationError):
        services.change_group(member, UserGroup.objects.get(pk=GroupId.BANNED_POSTING), actor=admin)


def test_ban_with_reason_and_expiry_then_unban():
    admin = make_admin()
    member = make_user("广告哥")
    ban = services.ban(member, kind=Ban.Kind.POSTING, reason="发广告", days=7, actor=admin)
    assert ban.expires_at is not None
    assert timedelta(days=6, hours=23) < ban.expires_at - timezone.now() <= timedelta(days=7)
    assert User.objects.get(pk=member.pk).group_id == GroupId.BANNED_POSTING
    assert AuditLog.objects.get(action="ban_member").reason == "发广告"
    assert services.unban(member, actor=admin)
    assert User.objects.get(pk=member.pk).group_id == GroupId.NEWBIE
    assert AuditLog.objects.filter(action="unban_member").count() == 1
    assert not services.unban(member, actor=admin)
    with pytest.raises(ValidationError):
        services.ban(
            admin, kind=Ban.Kind.POSTING, reason="x", days=0, actor=make_admin("另一个管理员")
        )


def test_delete_keeping_or_removing_content():
    admin = make_admin()
    board = make_board("新闻")
    keep, remove = make_user("留帖"), make_user("删帖")
    kept = make_thread(board=board, author=keep)
    gone = make_thread(board=board, author=remove)
    services.delete(keep, with_content=False, actor=admin)
    services.delete(remove, with_content=True, actor=admin)
    assert not User.objects.filter(username__in=["留帖", "删帖"]).exists()
    assert Thread.objects.get(pk=kept.pk).state == Thread.State.NORMAL
    assert Thread.objects.get(pk=gone.pk).state == Thread.State.RECYCLED
    names = sorted(e.before["name"] for e in AuditLog.objects.filter(action="delete_member"))
    assert names == ["删帖", "留帖"]


def test_group_rights_change_takes_effect_and_is_logged():
    admin = make_admin()
    group = UserGroup.objects.get(pk=GroupId.NEWBIE)
    assert group_rights(GroupId.NEWBIE).allow_post
    changed = services.update_usergroup(group, {"allow_post": False, "read_access": 5}, actor=admin)
    assert set(changed) == {"allow_post", "read_access"}
    assert not group_rights(GroupId.NEWBIE).allow_post
    entry = AuditLog.objects.get(action="usergroup_edit")
    assert entry.target_type == "usergroup" and entry.after["allow_post"] is False
    with pytest.raises(ValidationError):
        services.update_usergroup(group, {"pk": 99}, actor=admin)


def test_member_pages_ban_and_delete():
    client = admin_client()
    member = make_user("广告哥")
    listing = client.get("/admin-center/members/", {"name": "广告"})
    assert "广告哥" in listing.content.decode()
    response = client.post(
        f"/admin-center/members/{member.pk}/",
        {"op": "ban", "kind": "posting", "reason": "发广告", "days": "3"},
    )
    assert response.status_code == 302
    page = client.get(f"/admin-center/members/{member.pk}/").content.decode()
    assert "发广告" in page
    bad = client.post(
        f"/admin-center/members/{member.pk}/",
        {"op": "ban", "kind": "posting", "reason": "", "days": "-1"},
    )
    assert bad.status_code == 200  # form errors shown
    not_confirmed = client.post(
        f"/admin-center/members/{member.pk}/", {"op": "delete", "content": "keep"}
    )
    assert not_confirmed.status_code == 302 and User.objects.filter(pk=member.pk).exists()
    client.post(
        f"/admin-center/members/{member.pk}/", {"op": "delete", "content": "keep", "confirm": "yes"}
    )
    assert not User.objects.filter(pk=member.pk).exists()


def test_group_page_saves_checkboxes():
    client = admin_client()
    page = client.get(f"/admin-center/groups/{GroupId.REGISTERED}/")
    form = page.context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if k in form.fields and v is not False and v is not None
    }
    data.pop("allow_vote", None)  # untick 允许参与投票
    response = client.post(f"/admin-center/groups/{GroupId.REGISTERED}/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert not UserGroup.objects.get(pk=GroupId.REGISTERED).allow_vote
    assert client.get("/admin-center/groups/").status_code == 200
