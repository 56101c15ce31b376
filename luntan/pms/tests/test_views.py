"""The private message pages: inbox, conversation, new message, settings, report."""

from __future__ import annotations

import pytest

from luntan.accounts.groups import GroupId
from luntan.moderation.models import ContentReport
from luntan.notifications.models import Notification
from luntan.pms import services
from luntan.pms.models import Block, Message, PMSettings
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_guests_go_to_login(client):
    for url in ("/pm/", "/pm/new/", "/pm/settings/", "/pm/1/"):
        answer = client.get(url)
        assert answer.status_code == 302 and "/login" in answer["Location"], url


def test_send_through_the_form_and_read_as_the_recipient(client):
    a, b = make_user("发信人"), make_user("收信人")
    client.force_login(a)
    answer = client.post("/pm/new/", {"to": "收信人", "body": "[b]周末见[/b]", "fmt": "bbcode"})
    assert answer.status_code == 302
    conv_url = answer["Location"].split("#")[0]
    client.force_login(b)
    header = client.get("/").content.decode()
    assert 'class="pm" href="/pm/">短消息<span class="badge"' in header
    inbox = client.get("/pm/").content.decode()
    assert "发信人" in inbox and "周末见" in inbox and "未读" in inbox
    page = client.get(conv_url).content.decode()
    assert "<strong>周末见</strong>" in page
    # Opening it read it: no badge, the 提醒 of kind pm read too.
    assert 'class="pm" href="/pm/">短消息</a>' in client.get("/pm/").content.decode()
    assert not Notification.objects.filter(recipient=b, read_at__isnull=True).exists()
    answer = client.post(conv_url, {"body": "好的", "fmt": "bbcode"})
    assert answer.status_code == 302
    assert Message.objects.filter(author=b, source="好的").exists()


def test_form_names_unknown_blocked_and_refusing_recipients(client):
    a, b, c = make_user("甲"), make_user("乙"), make_user("丙")
    services.block(b, a)
    services.set_accept(c, PMSettings.Accept.NOBODY)
    client.force_login(a)
    page = client.post("/pm/new/", {"to": "乙, 丙, 丁", "body": "hi", "fmt": "bbcode"})
    assert "收件人 丁 不存在" in page.content.decode()
    page = client.post("/pm/new/", {"to": "乙，丙", "body": "hi", "fmt": "bbcode"}).content.decode()
    assert "用户 乙 不接收您的短消息" in page and "用户 丙 不接收您的短消息" in page
    assert not Message.objects.exists()


def test_banned_member_sees_why(client):
    banned = make_user(group_id=GroupId.BANNED_POSTING)
    make_user("乙")
    client.force_login(banned)
    page = client.get("/pm/new/").content.decode()
    assert "不能发帖" in page and "<textarea" not in page
    client.post("/pm/new/", {"to": "乙", "body": "hi", "fmt": "bbcode"})
    assert not Message.objects.exists()


def test_a_third_member_gets_404(client):
    a, b, c = make_user(), make_user(), make_user()
    result = services.send_message(a, "私事", recipients=[b])
    client.force_login(c)
    conv = result.conversation.pk
    assert client.get(f"/pm/{conv}/").status_code == 404
    assert client.post(f"/pm/{conv}/", {"body": "x", "fmt": "bbcode"}).status_code == 404
    assert client.post(f"/pm/{conv}/delete/").status_code == 404
    assert client.get(f"/pm/message/{result.message.pk}/report/").status_code == 404
    assert client.get(f"/pm/message/{result.message.pk}/reported/").status_code == 404
    assert "私事" not in client.get("/pm/").content.decode()


def test_delete_for_me_and_blacklist_settings(client):
    a, b = make_user("甲"), make_user("乙")
    conv = services.send_message(a, "旧", recipients=[b]).conversation
    client.force_login(b)
    assert client.post(f"/pm/{conv.pk}/delete/").status_code == 302
    assert "旧" not in client.get("/pm/").content.decode()
    client.force_login(a)
    assert "旧" in client.get("/pm/").content.decode()
    client.force_login(b)
    client.post("/pm/settings/", {"action": "block", "name": "甲"})
    assert Block.objects.filter(owner=b, blocked=a).exists()
    page = client.post("/pm/settings/", {"action": "block", "name": "没这人"}).content.decode()
    assert "该用户不存在" in page
    assert "甲" in client.get("/pm/settings/").content.decode()
    client.post("/pm/settings/", {"action": "unblock", "id": str(a.pk)})
    assert not Block.objects.exists()
    client.post("/pm/settings/", {"action": "accept", "accept": "nobody"})
    assert services.accept_setting(b) == "nobody"


def test_report_reaches_the_staff_queue(client):
    a, b = make_user("甲"), make_user("乙")
    admin = make_user("站长", group_id=GroupId.ADMIN)
    result = services.send_message(a, "买发票找我", recipients=[b])
    client.force_login(b)
    page = client.get(f"/pm/{result.conversation.pk}/").content.decode()
    assert f"/pm/message/{result.message.pk}/report/" in page
    answer = client.post(f"/pm/message/{result.message.pk}/report/", {"reason": "广告"})
    assert answer.status_code == 302
    assert ContentReport.objects.get().reason == "广告"
    client.force_login(admin)
    queue = client.get("/mod/reports/").content.decode()
    assert "短消息举报" in queue and "买发票找我" in queue
    shown = client.get(f"/pm/message/{result.message.pk}/reported/").content.decode()
    assert "买发票找我" in shown
    report = ContentReport.objects.get()
    assert (
        client.post(f"/mod/reports/content/{report.pk}/resolve/", {"note": "已封"}).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.resolved_at is not None
    # Board moderators don't see message reports.
    client.force_login(b)
    assert client.get(f"/pm/message/{result.message.pk}/reported/").status_code == 404


def test_inbox_query_count(client, django_assert_num_queries):
    me = make_user()
    for i in range(5):
        other = make_user()
        services.send_message(other, f"消息{i}", recipients=[me])
    services.send_message(me, "群聊", recipients=[make_user(), make_user()], subject="群")
    client.force_login(me)
    client.get("/pm/")  # warm caches (site settings, group rights)
    # the member (the session is cached), count, page of rows, members' names, 系统消息
    with django_assert_num_queries(5):
        page = client.get("/pm/")
    assert page.status_code == 200 and "消息4" in page.content.decode()


def test_conversation_query_count(client, django_assert_num_queries):
    a, b = make_user(), make_user()
    conv = services.send_message(a, "第一条", recipients=[b]).conversation
    for i in range(5):
        services.send_message(b if i % 2 else a, f"第{i}条", conversation=conv)
    client.force_login(a)
    client.get(f"/pm/{conv.pk}/")  # reads it (writes) and warms caches
    # the member, participant+conversation, count, messages, members' names
    with django_assert_num_queries(5):
        page = client.get(f"/pm/{conv.pk}/")
    assert page.content.decode().count('<li class="pm-message') == 6


def test_reported_messages_need_the_view_reports_right_and_the_staff_second_factor(client):
    """A 超级版主 whose group lacks 查看举报 (common_admingroup) cannot read reported
    messages any more than the report queue; with 管理人员必须启用两步验证 on, a staff
    member without a second factor is sent to set one up first."""
    from luntan.accounts.models import UserGroup
    from luntan.accounts.tests.helpers import activate_totp
    from luntan.core.models import get_site_settings

    a, b = make_user("甲"), make_user("乙")
    result = services.send_message(a, "买发票找我", recipients=[b])
    services.report_message(b, result.message.pk, "广告")
    url = f"/pm/message/{result.message.pk}/reported/"
    supermod = make_user("超版", group_id=GroupId.SUPER_MODERATOR)
    client.force_login(supermod)
    assert client.get(url).status_code == 200
    group = UserGroup.objects.get(pk=GroupId.SUPER_MODERATOR)
    group.moderation_denied = ["view_reports"]
    group.save()
    assert client.get("/mod/reports/").status_code == 403
    assert client.get(url).status_code == 404
    group.moderation_denied = []
    group.save()
    site = get_site_settings()
    site.require_staff_mfa = True
    site.save()
    assert client.get(url)["Location"] == "/accounts/2fa/"
    activate_totp(supermod)
    assert client.get(url).status_code == 200
