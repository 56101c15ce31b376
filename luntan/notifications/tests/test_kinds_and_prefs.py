"""提醒 beyond replies: ratings, moderation, PMs; what is never told (hidden board, held,
屏蔽 and password posts); per-kind preferences, e-mail (immediate and digest) and the
one-click unsubscribe link."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.core.cache import cache
from django.utils import timezone

from luntan.accounts.groups import GroupId
from luntan.credits.rating import rate_post
from luntan.moderation import services as moderation
from luntan.notifications import mail, services
from luntan.notifications.models import Notification, NotificationSettings
from luntan.threads.models import Post
from luntan.threads.posting import PostingLimits, Trust
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def notices(user) -> list[tuple[str, dict]]:
    return [(n.kind, n.extra) for n in Notification.objects.filter(recipient=user).order_by("pk")]


def admin(name="mod"):
    return make_user(name, group_id=GroupId.ADMIN)


# --- ratings -----------------------------------------------------------------------------


def test_a_rating_tells_the_author_with_credit_score_and_reason():
    author = make_user("作者")
    post = make_reply(make_thread(make_board()), author, "值得一看的回复")
    rate_post(
        rater=make_user("评分人", group_id=11), post=post, extcredit=1, score=3, reason="好帖"
    )
    rate_post(rater=make_user("评分二", group_id=11), post=post, extcredit=1, score=1, reason="赞")
    got = Notification.objects.filter(recipient=author, kind=Kind.RATE).order_by("pk")
    assert [(n.actor_name, n.extra["score"], n.extra["reason"]) for n in got] == [
        ("评分人", 3, "好帖"),
        ("评分二", 1, "赞"),
    ]
    assert got[0].extra["credit"] == "威望" and got[0].post_id == post.pk
    assert services.unread_count(author.pk) == 2


def test_a_rating_of_a_post_in_a_board_the_author_can_no_longer_see_tells_nothing():
    author = make_user("作者")
    board = make_board("管理组", view_groups=[GroupId.ADMIN, GroupId.SUPER_MODERATOR])
    post = make_reply(make_thread(board, admin("op")), author, "以前发的回复")
    rate_post(rater=admin("rater"), post=post, extcredit=1, score=2, reason="好")
    assert notices(author) == []


def test_a_rating_of_a_banned_post_tells_nothing():
    author = make_user("作者")
    post = make_reply(make_thread(make_board()), author, "被屏蔽的回复")
    moderation.ban_post(post, actor=admin(), reason="广告")
    Notification.objects.all().delete()
    rate_post(rater=admin("rater"), post=post, extcredit=1, score=2, reason="好")
    assert notices(author) == []


# --- moderation --------------------------------------------------------------------------


def test_moderation_of_my_content_tells_me_with_the_reason():
    author, mod = make_user("作者"), admin()
    board, other = make_board("一版"), make_board("二版")
    thread = make_thread(board, author, subject="我的主题")
    reply = make_reply(thread, author, "我的回复内容")
    moderation.close_thread(thread, actor=mod, reason="讨论结束")
    moderation.move_thread(thread, actor=mod, to_board=other, reason="发错版块")
    moderation.warn_author(reply, actor=mod, reason="人身攻击")
    moderation.ban_post(reply, actor=mod, reason="广告")
    moderation.delete_post(reply, actor=mod, reason="重复")
    moderation.recycle_thread(thread, actor=mod, reason="违规")
    got = [(k, e["action"], e["reason"]) for k, e in notices(author)]
    assert got == [
        ("moderation", "close", "讨论结束"),
        ("moderation", "move", "发错版块"),
        ("moderation", "warn", "人身攻击"),
        ("moderation", "ban_post", "广告"),
        ("moderation", "delete_post", "重复"),
        ("moderation", "recycle", "违规"),
    ]
    rows = list(Notification.objects.filter(recipient=author).order_by("pk"))
    assert rows[1].extra["board"] == "二版"
    assert rows[2].post_id == reply.pk  # the warned post is linked
    assert rows[3].post_id is None  # a 屏蔽 post is not
    assert rows[5].thread_id is None and rows[5].extra["subject"] == "我的主题"
    assert all(r.actor_name == "mod" for r in rows)


def test_opening_a_thread_or_a_moderator_acting_on_their_own_content_tells_nobody():
    mod = admin()
    thread = make_thread(make_board(), mod)
    moderation.close_thread(thread, actor=mod)
    author = make_user("作者")
    other = make_thread(make_board("二版"), author)
    moderation.close_thread(other, actor=mod)
    moderation.close_thread(other, actor=mod, closed=False)
    assert notices(mod) == []
    assert [e["action"] for _k, e in notices(author)] == ["close"]


def test_a_thread_moved_into_a_board_the_author_cannot_see_tells_nothing():
    author, mod = make_user("作者"), admin()
    thread = make_thread(make_board(), author)
    hidden = make_board("管理组", view_groups=[GroupId.ADMIN])
    moderation.move_thread(thread, actor=mod, to_board=hidden, reason="内部讨论")
    assert notices(author) == []


# --- private messages (the pms app calls this) ------------------------------------------


def test_notify_pm_writes_one_unread_notice_per_conversation_and_honours_off():
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    prefs(carol, pm="off")
    assert services.notify_pm([bob.pk, carol.pk, alice.pk], actor=alice, url="/pm/7/") == 1
    assert services.notify_pm([bob.pk], actor=alice, url="/pm/7/") == 0  # still unread
    (notice,) = Notification.objects.filter(recipient=bob)
    assert notice.kind == Kind.PM and notice.thread_id is None and notice.group_key() == "u/pm/7/"
    assert notices(carol) == [] and notices(alice) == []  # off; never oneself
    assert services.mark_pm_read(bob, "/pm/7/") == 1
    assert services.notify_pm([bob.pk], actor=alice, url="/pm/7/") == 1


# --- never about what the recipient may not read ---------------------------------------


def test_no_notice_about_a_password_post_except_to_the_boards_moderators():
    alice = make_user("alice")
    thread = make_thread(make_board(), alice)
    make_reply(thread, make_user("bob"), "[password]abc[/password]秘密内容 @alice")
    assert notices(alice) == []


def test_a_post_banned_while_held_tells_nobody_when_approved(monkeypatch):
    monkeypatch.setattr(
        "luntan.threads.posting.pipeline.new_post_needs_review", lambda *a, **k: True
    )
    alice = make_user("alice")
    thread = make_thread(make_board(), alice)
    monkeypatch.undo()
    monkeypatch.setattr(
        "luntan.threads.posting.pipeline.new_post_needs_review", lambda *a, **k: True
    )
    held = make_reply(
        thread, make_user("bob"), "@alice 垃圾广告", trust=Trust.MEMBER, limits=PostingLimits()
    )
    assert held.state == Post.State.PENDING
    mod = admin()
    moderation.ban_post(held, actor=mod, reason="广告")
    moderation.approve_post(held, actor=mod)
    assert [k for k, _e in notices(alice)] == []


# --- preferences and e-mail -------------------------------------------------------------


def prefs(user, digest="immediate", language="zh-hans", **channels):
    return services.save_settings(user, channels=channels, digest=digest, language=language)


def test_off_writes_nothing_and_site_writes_no_mail():
    alice = make_user("alice", email="alice@example.com")
    prefs(alice, reply="off")
    thread = make_thread(make_board(), alice)
    make_reply(thread, make_user("bob"), "第一条")
    make_reply(thread, make_user("carol"), "@alice 你好")
    assert [k for k, _e in notices(alice)] == ["mention"]
    assert outbox.outbox == []


def test_email_sends_one_mail_after_the_task_runs_with_unsubscribe_headers(
    django_capture_on_commit_callbacks,
):
    alice = make_user("alice", email="alice@example.com", time_zone="Asia/Shanghai")
    prefs(alice, reply="email")
    thread = make_thread(make_board(), alice, subject="周末去哪儿")
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, make_user("bob"), "去爬山吧")
    assert len(outbox.outbox) == 1
    message = outbox.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "bob 回复了您的主题：周末去哪儿" in message.subject
    assert "bob 回复了您的主题" in message.body and "/p/" in message.body
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http") and "/notifications/unsubscribe/" in url
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(recipient=alice).emailed_at is not None
    # the task ran once: running it again sends nothing
    assert mail.mail_notices([Notification.objects.get(recipient=alice).pk]) == 0


def test_mail_is_in_english_with_times_in_the_members_time_zone(
    django_capture_on_commit_callbacks,
):
    alice = make_user("alice", email="alice@example.com", time_zone="Europe/London")
    prefs(alice, language="en", pm="email")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_pm([alice.pk], actor=make_user("bob"), url="/pm/1/")
    notice = Notification.objects.get(recipient=alice)
    body = outbox.outbox[0].body
    assert "sent you a private message" in outbox.outbox[0].subject
    london = timezone.localtime(notice.created, timezone=zoneinfo.ZoneInfo("Europe/London"))
    assert london.strftime("%Y-%m-%d %H:%M") in body
    assert "Hello alice" in body or "alice," in body


def test_daily_digest_collects_the_unread_email_notices_once():
    alice = make_user("alice", email="alice@example.com")
    prefs(alice, digest="daily", reply="email", mention="site")
    thread = make_thread(make_board(), alice)
    make_reply(thread, make_user("bob"), "一")
    make_reply(thread, make_user("carol"), "二 @alice")  # a mention: site only
    make_reply(thread, make_user("dave"), "三")
    assert outbox.outbox == []  # daily: nothing at once
    assert mail.send_digests() == 1
    assert len(outbox.outbox) == 1
    body = outbox.outbox[0].body
    assert "bob" in body and "dave" in body and "carol" not in body
    assert "您有 2 条新提醒" in outbox.outbox[0].subject
    assert mail.send_digests() == 0  # not due again today, nothing new
    make_reply(thread, make_user("erin"), "四")
    later = timezone.now() + timedelta(days=1)
    assert mail.send_digests(now=later) == 1
    assert "erin" in outbox.outbox[1].body and "bob" not in outbox.outbox[1].body


def test_digest_command_runs(capsys):
    from django.core.management import call_command

    call_command("send_notification_digests")
    assert "0" in capsys.readouterr().out


# --- unsubscribe ------------------------------------------------------------------------


def test_unsubscribe_link_works_logged_out_per_kind(client):
    alice = make_user("alice", email="alice@example.com")
    prefs(alice, reply="email", mention="email")
    url = mail.unsubscribe_url(alice.pk, "reply").split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + url)
    assert page.status_code == 200 and "退订" in page.content.decode()
    assert (
        NotificationSettings.objects.get(user=alice).channel("reply") == "email"
    )  # GET changes nothing
    answer = client.post("/" + url, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "已退订" in answer.content.decode()
    row = NotificationSettings.objects.get(user=alice)
    assert row.channel("reply") == "site" and row.channel("mention") == "email"


def test_unsubscribe_all_from_a_digest_link(client):
    alice = make_user("alice", email="alice@example.com")
    prefs(alice, reply="email", mention="email", digest="daily")
    token = mail.unsubscribe_token(alice.pk, "all")
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    row = NotificationSettings.objects.get(user=alice)
    assert row.channel("reply") == row.channel("mention") == "site"


def test_a_tampered_unsubscribe_link_is_refused(client):
    alice, bob = make_user("alice"), make_user("bob")
    prefs(bob, reply="email")
    token = mail.unsubscribe_token(alice.pk, "reply")
    # bob's payload under alice's signature, a cut signature, garbage, a changed kind
    forged = mail.unsubscribe_token(bob.pk, "reply").split(":")[0] + ":" + token.split(":")[1]
    other_kind = mail.unsubscribe_token(bob.pk, "mention").split(":")[0] + ":" + token.split(":")[1]
    for bad in (forged, token[:-2], "abc", other_kind):
        answer = client.post(f"/notifications/unsubscribe/{bad}/")
        assert answer.status_code == 400
        assert "无效" in answer.content.decode()
    assert NotificationSettings.objects.get(user=bob).channel("reply") == "email"


# --- the preferences page ---------------------------------------------------------------


def test_preferences_page_saves_channels_digest_and_language(client, django_assert_num_queries):
    alice = make_user("alice", email="alice@example.com")
    client.force_login(alice)
    client.get("/notifications/settings/")
    page = client.get("/notifications/settings/").content.decode()
    assert "回复了您的主题" in page and "给您发送了短消息" in page and "每日汇总" in page
    data = {f"kind_{k}": "site" for k in Kind.values}
    data.update(kind_reply="email", kind_pm="off", digest="daily", language="en")
    answer = client.post("/notifications/settings/", data)
    assert answer.status_code == 302
    row = NotificationSettings.objects.get(user=alice)
    assert row.channel("reply") == "email" and row.channel("pm") == "off"
    assert row.digest == "daily" and row.language == "en"
    bad = client.post("/notifications/settings/", {**data, "kind_reply": "sms"})
    assert (
        bad.status_code == 200
        and NotificationSettings.objects.get(user=alice).channel("reply") == "email"
    )
    with django_assert_num_queries(2):  # the member, their settings (session, bell cached)
        client.get("/notifications/settings/")
    assert "/notifications/settings/" in client.get("/accounts/settings/").content.decode()


def test_preferences_are_a_section_of_the_settings_page(client):
    alice = make_user("alice", email="alice@example.com")
    client.force_login(alice)
    page = client.get("/accounts/settings/").content.decode()
    assert 'id="notifications"' in page and "回复了您的主题" in page and "每日汇总" in page
    data = {f"kind_{k}": "site" for k in Kind.values}
    data.update(action="notifications", kind_mention="off", digest="daily", language="zh-hans")
    answer = client.post("/accounts/settings/", data)
    assert answer.status_code == 302 and answer["Location"].endswith("#notifications")
    row = NotificationSettings.objects.get(user=alice)
    assert row.channel("mention") == "off" and row.digest == "daily"
    bad = client.post("/accounts/settings/", {**data, "kind_mention": "sms"})
    assert bad.status_code == 200 and "errors" in bad.content.decode()
    assert NotificationSettings.objects.get(user=alice).channel("mention") == "off"
    # the time zone form of the same page does not touch the preferences
    client.post("/accounts/settings/", {"time_zone": "Europe/London"})
    assert NotificationSettings.objects.get(user=alice).digest == "daily"


def test_preferences_need_a_member_and_csrf(client):
    assert client.get("/notifications/settings/").status_code == 302
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("alice"))
    assert strict.post("/notifications/settings/", {"digest": "daily"}).status_code == 403


# --- JSON API ---------------------------------------------------------------------------


def test_api_lists_without_the_subject_of_a_thread_no_longer_readable_and_marks_only_mine():
    from luntan.api.tests.conftest import bearer_client
    from luntan.boards.models import Board

    alice, bob = make_user("alice"), make_user("bob")
    thread = make_thread(make_board("会员版"), alice, subject="会员才能看的主题")
    make_reply(thread, bob, "第一条回复")
    client = bearer_client(alice, scopes=("read", "write"))
    item = client.get("/api/v1/me/notifications").json()["items"][0]
    assert item["kind"] == "reply" and item["thread"]["subject"] == "会员才能看的主题"
    assert item["actor"]["username"] == "bob" and item["read"] is False
    Board.objects.filter(pk=thread.board_id).update(view_groups=[GroupId.ADMIN])
    cache.clear()
    item = client.get("/api/v1/me/notifications").json()["items"][0]
    assert item["thread"] == {"id": thread.pk, "subject": None} and item["post_id"] is None
    other = bearer_client(bob, scopes=("read", "write"))
    marked = other.post(
        "/api/v1/me/notifications/read", {"id": item["id"]}, content_type="application/json"
    )
    assert marked.json() == {"marked": 0}
    readonly = bearer_client(alice, scopes=("read",))
    refused = readonly.post(
        "/api/v1/me/notifications/read", {"id": item["id"]}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Notification.objects.get(pk=item["id"]).read_at is None


# --- the page ---------------------------------------------------------------------------


def test_page_summarises_a_group_and_marks_one_notice_read(client, django_assert_num_queries):
    import re as _re

    alice = make_user("alice")
    thread = make_thread(make_board(), alice, subject="热门主题")
    for name in ("张三", "李四", "王五"):
        make_reply(thread, make_user(name), f"{name}的回复")
    make_reply(thread, make_user("赵六"), "@alice 看这里")
    services.notify_pm([alice.pk], actor=make_user("钱七"), url="/pm/9/")
    client.force_login(alice)
    client.get("/notifications/")
    with django_assert_num_queries(3):  # member, count, the page's notices (bell cached)
        page = client.get("/notifications/").content.decode()
    text = _re.sub(r"<[^>]+>", "", page)
    assert "王五 等 3 人 回复了您的主题" in text
    assert "赵六 提到了您" in text
    assert page.count('class="notice-group unread"') == 2  # the thread, the conversation
    one = Notification.objects.filter(recipient=alice, kind="reply").first()
    answer = client.post("/notifications/read/", {"notice": one.pk, "page": "2"})
    assert answer["Location"] == "/notifications/?page=2"
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 4
    client.post("/notifications/read/", {"url": "/pm/9/"})
    assert not Notification.objects.filter(recipient=alice, kind="pm", read_at__isnull=True)
    bob = make_user("bob")
    client.force_login(bob)
    client.post("/notifications/read/", {"notice": one.pk + 1})  # alice's: nothing marked
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 3


def test_page_paginates_fifty_a_page():
    from django.test import Client

    alice = make_user("alice")
    rows = [
        Notification(
            recipient=alice,
            kind="pm",
            actor_name="bob",
            url=f"/pm/{i}/",
            created=timezone.now() - timedelta(minutes=i),
        )
        for i in range(1, 56)
    ]
    Notification.objects.bulk_create(rows)
    client = Client()
    client.force_login(alice)
    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()
    assert first.count('class="notice-group') == 50 and second.count('class="notice-group') == 5
    assert "1 / 2" in first and 'href="?page=2"' in first
    assert 'href="/pm/55/"' in second and 'href="/pm/55/"' not in first


def test_mobile_api_notice_list_names_no_thread_the_member_can_no_longer_read(client):
    from luntan.api.tests.mobile_golden import call
    from luntan.boards.models import Board

    alice = make_user("alice")
    thread = make_thread(make_board("会员版"), alice, subject="后来隐藏的主题")
    make_reply(thread, make_user("bob"), "第一条回复")
    client.force_login(alice)
    assert "后来隐藏的主题" in call(client, "mynotelist")["Variables"]["list"][0]["note"]
    Board.objects.filter(pk=thread.board_id).update(view_groups=[GroupId.ADMIN])
    cache.clear()
    notes = call(client, "mynotelist")["Variables"]["list"]
    assert "后来隐藏的主题" not in str(notes)
