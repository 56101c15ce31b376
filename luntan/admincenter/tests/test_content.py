"""内容: censor words (add, delete, import with preview, export), IP bans, batch delete
by member or IP over a time range (recycled, counters right); each write logged; only
administrators enter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from luntan.accounts.groups import GroupId
from luntan.admincenter import content as services
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.bans.models import IPBan
from luntan.censor.models import CensorWord
from luntan.censor.services import screen
from luntan.moderation.models import Action, AuditLog
from luntan.moderation.tests.helpers import make_moderator
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

PAGES = ["/admin-center/content/", "/admin-center/content/censor-words.txt"]


def test_guest_is_sent_to_log_in():
    for url in PAGES:
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert Client().post(PAGES[0], {"op": "add_word", "w-find": "x"}).status_code == 302
    assert not CensorWord.objects.exists()


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_members_and_moderators_get_403(who):
    if who == "member":
        user = make_user("普通会员", group_id=GroupId.REGISTERED)
    else:
        user = make_moderator(make_board("新闻"), "版主小王")
    client = Client()
    client.force_login(user)
    for url in PAGES:
        assert client.get(url).status_code == 403
    response = client.post(PAGES[0], {"op": "add_word", "w-find": "坏词", "w-action": "replace"})
    assert response.status_code == 403
    assert not CensorWord.objects.exists()


def test_add_and_delete_censor_word_logged_and_applied():
    admin = make_admin()
    word = services.add_censor_word("坏词", action="replace", replacement="好词", actor=admin)
    assert screen("这是坏词").text == "这是好词"
    with pytest.raises(ValidationError):
        services.add_censor_word("坏词", action="block", actor=admin)
    with pytest.raises(ValidationError):
        services.add_censor_word("/(a+)+/", action="block", actor=admin)
    assert services.delete_censor_word(word, actor=admin)
    assert screen("这是坏词").text == "这是坏词"
    logs = AuditLog.objects.filter(action=Action.CENSOR_WORD).order_by("pk")
    assert [(e.before, e.after) for e in logs] == [
        ({}, {"find": "坏词", "action": "replace"}),
        ({"find": "坏词", "action": "replace"}, {}),
    ]


def test_export_and_import_round_trip_in_discuz_format():
    admin = make_admin()
    services.add_censor_word("代开发票", action="block", actor=admin)
    services.add_censor_word("加微信", action="moderate", actor=admin)
    services.add_censor_word("傻", action="replace", replacement="*", actor=admin)
    services.add_censor_word("笨蛋", action="replace", actor=admin)
    text = services.export_censor_words()
    assert text == "代开发票={BANNED}\n加微信={MOD}\n傻=*\n笨蛋\n"
    CensorWord.objects.all().delete()
    result = services.import_censor_words(text, actor=admin)
    assert result.added == 4
    assert services.export_censor_words() == text


def test_import_preview_shows_adds_changes_and_bad_lines_and_refuses_bad_lists():
    admin = make_admin()
    services.add_censor_word("傻", action="replace", replacement="*", actor=admin)
    services.add_censor_word("笨", action="block", actor=admin)
    text = "傻={BANNED}\n笨={BANNED}\n新词=旧词\n\n/(a+)+/={BANNED}\n=空\n新词=又一次\n"
    preview = services.preview_censor_import(text)
    assert [a[1] for a in preview.added] == ["新词"]
    assert [(c[1], c[2], c[4]) for c in preview.changed] == [("傻", "禁止", "替换")]
    assert preview.unchanged == 1
    assert [e[0] for e in preview.errors] == [5, 6, 7]
    with pytest.raises(ValidationError) as exc:
        services.import_censor_words(text, actor=admin)
    assert "第 5 行" in " ".join(exc.value.messages)
    assert CensorWord.objects.get(find="傻").action == "replace"  # nothing imported
    assert not CensorWord.objects.filter(find="新词").exists()
    good = "傻={BANNED}\n新词=旧词\n"
    result = services.import_censor_words(good, actor=admin)
    assert (result.added, result.updated) == (1, 1)
    assert CensorWord.objects.get(find="傻").action == "block"
    entry = AuditLog.objects.filter(action=Action.CENSOR_WORD).latest("pk")
    assert entry.after == {"imported": 1, "updated": 1}


def test_ip_ban_add_and_remove_logged():
    admin = make_admin()
    ban = services.add_ip_ban("10.0.0.*", reason="灌水", actor=admin)
    assert IPBan.objects.get().pattern == "10.0.0.*"
    with pytest.raises(ValidationError):
        services.add_ip_ban("10.0.0.*", actor=admin)
    with pytest.raises(ValidationError):
        services.add_ip_ban("10.0.0.300", actor=admin)
    with pytest.raises(ValidationError):
        services.add_ip_ban("10.1.1.1", expires_at=timezone.now() - timedelta(hours=1), actor=admin)
    assert services.remove_ip_ban(ban, actor=admin)
    assert not IPBan.objects.exists()
    logs = AuditLog.objects.filter(action=Action.IP_BAN).order_by("pk")
    assert [(e.before, e.after) for e in logs] == [
        ({}, {"pattern": "10.0.0.*"}),
        ({"pattern": "10.0.0.*"}, {}),
    ]


def _spammer_setup():
    board = make_board("新闻")
    spammer = make_user("广告哥")
    other = make_user("老会员")
    now = timezone.now()
    old = make_thread(board, spammer, "去年的主题", ip="10.0.0.5", now=now - timedelta(days=400))
    spam = make_thread(board, spammer, "代开发票", ip="10.0.0.5", now=now - timedelta(hours=2))
    make_reply(spam, other, "别发广告", ip="10.9.9.9", now=now - timedelta(hours=1))
    good = make_thread(board, other, "周末拍照", ip="10.9.9.9", now=now - timedelta(hours=3))
    reply = make_reply(good, spammer, "加微信", ip="10.0.0.6", now=now - timedelta(minutes=30))
    return board, spammer, old, spam, good, reply, now


def test_batch_delete_by_member_over_a_time_range_recycles_and_recounts():
    board, spammer, old, spam, good, reply, now = _spammer_setup()
    admin = make_admin()
    criteria = services.BatchCriteria(user_id=spammer.pk, since=now - timedelta(days=1))
    preview = services.preview_batch_delete(criteria)
    assert (preview.thread_count, preview.reply_count) == (1, 1)
    assert [t.subject for t in preview.threads] == ["代开发票"]
    assert [p.pk for p in preview.replies] == [reply.pk]
    assert Thread.objects.get(pk=spam.pk).state == Thread.State.NORMAL  # preview writes nothing

    done = services.batch_delete(criteria, actor=admin, reason="广告")
    assert (done.threads, done.replies) == (1, 1)
    assert Thread.objects.get(pk=spam.pk).state == Thread.State.RECYCLED
    assert Thread.objects.get(pk=old.pk).state == Thread.State.NORMAL  # outside the range
    assert Post.objects.get(pk=reply.pk).state != Post.State.VISIBLE
    good.refresh_from_db()
    assert good.replies == 0
    board.refresh_from_db()
    assert board.threads == 2
    entry = AuditLog.objects.filter(action=Action.BATCH_DELETE).get()
    assert entry.after == {"threads": 1, "replies": 1}
    assert entry.reason == "广告"


def test_batch_delete_by_ip_prefix_and_bad_criteria():
    _board, _spammer, old, spam, _good, reply, _now = _spammer_setup()
    admin = make_admin()
    preview = services.preview_batch_delete(services.BatchCriteria(ip="10.0.0."))
    assert (preview.thread_count, preview.reply_count) == (2, 1)
    exact = services.preview_batch_delete(services.BatchCriteria(ip="10.0.0.6"))
    assert (exact.thread_count, exact.reply_count) == (0, 1)
    for bad in (services.BatchCriteria(), services.BatchCriteria(ip="not-an-ip")):
        with pytest.raises(ValidationError):
            services.preview_batch_delete(bad)
        with pytest.raises(ValidationError):
            services.batch_delete(bad, actor=admin)
    done = services.batch_delete(services.BatchCriteria(ip="10.0.0.*"), actor=admin)
    assert (done.threads, done.replies) == (2, 1)
    assert Thread.objects.get(pk=old.pk).state == Thread.State.RECYCLED
    assert Thread.objects.get(pk=spam.pk).state == Thread.State.RECYCLED


def test_page_previews_then_deletes_and_imports():
    _board, spammer, _old, spam, _good, _reply, _now = _spammer_setup()
    client = admin_client()
    page = client.post(
        "/admin-center/content/",
        {"op": "preview_batch", "d-username": "广告哥", "d-ip": "", "d-reason": "广告"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "将删除 2 个主题和 1 个回复" in html and "代开发票" in html
    missing = client.post(
        "/admin-center/content/", {"op": "preview_batch", "d-username": "没有这人"}
    )
    assert "没有这个用户" in missing.content.decode()
    done = client.post(
        "/admin-center/content/",
        {"op": "batch_delete", "d-username": "广告哥", "d-reason": "广告"},
    )
    assert done.status_code == 302
    assert Thread.objects.get(pk=spam.pk).state == Thread.State.RECYCLED

    preview = client.post("/admin-center/content/", {"op": "preview_import", "i-text": "坏=好\n=x"})
    html = preview.content.decode()
    assert "第 2 行" in html and "新增 1 个" in html and "确认导入" not in html
    client.post("/admin-center/content/", {"op": "import", "i-text": "坏=好\n"})
    assert CensorWord.objects.get().replacement == "好"
    export = client.get("/admin-center/content/censor-words.txt")
    assert export.content.decode() == "坏=好\n"
    assert "attachment" in export["Content-Disposition"]


def test_malformed_ids_are_404_not_500():
    client = admin_client()
    for op in ("delete_word", "delete_ipban"):
        response = client.post("/admin-center/content/", {"op": op, "pk": "1 OR 1=1"})
        assert response.status_code == 404
