"""Private messages through their services: sending, limits, blocking, rights, bans."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from luntan.accounts.groups import GroupId
from luntan.accounts.models import User, UserGroup
from luntan.censor.models import CensorWord
from luntan.moderation.models import ContentReport
from luntan.notifications.models import Notification
from luntan.pms import services
from luntan.pms.models import Conversation, Message, Participant, PMSettings
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _refresh(*users: User) -> None:
    for u in users:
        u.refresh_from_db()


def test_one_to_one_conversation_is_continued_and_counts_unread():
    a, b = make_user(), make_user()
    first = services.send_message(a, "你好，[b]朋友[/b]", recipients=[b])
    assert first.created and not first.conversation.is_group
    assert "<strong>朋友</strong>" in first.message.html
    _refresh(a, b)
    assert b.pm_unread == 1 and a.pm_unread == 0
    # A second message from the other side continues the same conversation.
    second = services.send_message(b, "收到", recipients=[a])
    assert second.conversation.pk == first.conversation.pk and not second.created
    _refresh(a, b)
    assert a.pm_unread == 1 and b.pm_unread == 0  # replying reads one's own copy
    assert services.mark_read(a, first.conversation.pk) is True
    assert services.mark_read(a, first.conversation.pk) is False
    a.refresh_from_db()
    assert a.pm_unread == 0
    conv = Conversation.objects.get()
    assert conv.message_count == 2 and conv.last_author_name == b.username
    assert conv.last_excerpt == "收到"
    # One unread PM notice per conversation, for the recipient only.
    assert Notification.objects.filter(kind="pm", recipient=a).count() == 1
    assert Notification.objects.filter(kind="pm", recipient=b).count() == 1


def test_group_conversation_and_member_cap(settings):
    settings.LUNTAN_PM_MAX_MEMBERS = 3
    a, b, c, d = make_user(), make_user(), make_user(), make_user()
    result = services.send_message(a, "开会", recipients=[b, c], subject="周末 聚会")
    assert result.conversation.is_group and result.conversation.subject == "周末 聚会"
    assert Participant.objects.filter(conversation=result.conversation).count() == 3
    with pytest.raises(ValidationError) as err:
        services.send_message(a, "太多人", recipients=[b, c, d])
    assert err.value.error_list[0].code == "too_many"


def test_unknown_names_are_named():
    make_user("张三")
    with pytest.raises(ValidationError) as err:
        services.find_recipients(["张三", "李四", "王五"])
    assert "李四、王五" in err.value.messages[0]
    assert services.parse_names("张三，李四 、 王五;张三") == ["张三", "李四", "王五"]


def test_blocked_and_closed_recipients_are_refused_but_staff_get_through():
    a, b, admin = make_user(), make_user("小明"), make_user(group_id=GroupId.ADMIN)
    services.block(b, a)
    with pytest.raises(ValidationError) as err:
        services.send_message(a, "在吗", recipients=[b])
    assert "小明 不接收您的短消息" in err.value.messages[0]
    services.unblock(b, a.pk)
    services.send_message(a, "在吗", recipients=[b])
    services.set_accept(b, PMSettings.Accept.NOBODY)
    with pytest.raises(ValidationError):
        services.send_message(a, "还在吗", recipients=[b])
    # A reply in the existing one-to-one conversation is refused too.
    with pytest.raises(ValidationError):
        services.send_message(a, "还在吗", conversation=Conversation.objects.get())
    services.send_message(admin, "管理员通知", recipients=[b])
    with pytest.raises(ValidationError):
        services.block(a, a)


def test_banned_and_groups_without_the_right_cannot_send():
    banned, b = make_user(group_id=GroupId.BANNED_POSTING), make_user()
    with pytest.raises(PermissionDenied):
        services.send_message(banned, "hi", recipients=[b])
    member = make_user()
    UserGroup.objects.filter(pk=member.group_id).update(allow_send_pm=False)
    from luntan.permissions.groups import forget_group_rights

    forget_group_rights()
    with pytest.raises(PermissionDenied) as err:
        services.send_message(member, "hi", recipients=[b])
    assert "不能发送短消息" in str(err.value)
    assert not Message.objects.exists()


def test_daily_limit_of_the_group():
    a, b = make_user(), make_user()
    UserGroup.objects.filter(pk=a.group_id).update(max_pms_per_day=2)
    from luntan.permissions.groups import forget_group_rights

    forget_group_rights()
    now = timezone.now()
    services.send_message(a, "一", recipients=[b], now=now - timedelta(hours=25))
    services.send_message(a, "二", recipients=[b], now=now)
    services.send_message(a, "三", recipients=[b], now=now)
    with pytest.raises(ValidationError) as err:
        services.send_message(a, "四", recipients=[b], now=now)
    assert err.value.code == "daily_limit"
    assert Message.objects.count() == 3


def test_rate_limit(settings):
    settings.LUNTAN_PM_RATE_COUNT = 2
    a, b = make_user(), make_user()
    services.send_message(a, "1", recipients=[b])
    services.send_message(a, "2", recipients=[b])
    with pytest.raises(ValidationError) as err:
        services.send_message(a, "3", recipients=[b])
    assert err.value.code == "rate"


def test_censor_words_apply():
    CensorWord.objects.create(find="代开发票", action=CensorWord.Action.BLOCK)
    CensorWord.objects.create(find="刷单", action=CensorWord.Action.MODERATE)
    CensorWord.objects.create(find="傻瓜", action=CensorWord.Action.REPLACE, replacement="**")
    a, b = make_user(), make_user()
    with pytest.raises(ValidationError):
        services.send_message(a, "代开发票 联系我", recipients=[b])
    with pytest.raises(ValidationError) as err:
        services.send_message(a, "刷单兼职", recipients=[b])
    assert err.value.code == "censor"
    result = services.send_message(a, "你个傻瓜", recipients=[b])
    assert "傻瓜" not in result.message.source and "**" in result.message.html
    with pytest.raises(ValidationError):
        services.send_message(a, "   ", recipients=[b])


def test_delete_for_me_keeps_the_other_copy_and_new_messages_show_it_again():
    a, b = make_user(), make_user()
    conv = services.send_message(a, "旧消息", recipients=[b]).conversation
    services.delete_for_me(b, conv.pk)
    b.refresh_from_db()
    assert b.pm_unread == 0 and not services.list_conversations(b).exists()
    assert services.list_conversations(a).count() == 1
    services.send_message(a, "新消息", conversation=conv)
    _conv, participant = services.get_conversation(b, conv.pk)
    assert [m.source for m in services.conversation_messages(participant)] == ["新消息"]
    _conv, participant = services.get_conversation(a, conv.pk)
    assert services.conversation_messages(participant).count() == 2


def test_a_third_member_cannot_read_reply_or_report():
    a, b, c = make_user(), make_user(), make_user()
    result = services.send_message(a, "私事", recipients=[b])
    with pytest.raises(Http404):
        services.get_conversation(c, result.conversation.pk)
    with pytest.raises(Http404):
        services.send_message(c, "插话", conversation=result.conversation)
    with pytest.raises(Http404):
        services.report_message(c, result.message.pk, "spam")
    with pytest.raises(Http404):
        services.delete_for_me(c, result.conversation.pk)


def test_report_reaches_the_queue_once():
    a, b = make_user(), make_user()
    result = services.send_message(a, "广告", recipients=[b])
    report = services.report_message(b, result.message.pk, "广告骚扰")
    assert report.kind == "pm" and report.object_id == result.message.pk
    assert report.author_name == a.username and "广告" in report.excerpt
    with pytest.raises(ValidationError):
        services.report_message(b, result.message.pk, "again")
    with pytest.raises(PermissionDenied):
        services.report_message(a, result.message.pk, "my own")
    assert ContentReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_daily_limit_holds_under_concurrency():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    a = make_user()
    recipients = [make_user() for _ in range(6)]
    UserGroup.objects.filter(pk=a.group_id).update(max_pms_per_day=3)
    from luntan.permissions.groups import forget_group_rights

    forget_group_rights()
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def send(r):
        try:
            barrier.wait()
            services.send_message(a, "并发", recipients=[r])
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.error_list[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(r,)) for r in recipients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3
    assert Message.objects.filter(author=a).count() == 3


def test_recount_command_rebuilds_unread_counts():
    from django.core.management import call_command

    a, b = make_user(), make_user()
    services.send_message(a, "hi", recipients=[b])
    User.objects.filter(pk=b.pk).update(pm_unread=7)
    call_command("recount_pms")
    b.refresh_from_db()
    assert b.pm_unread == 1
