"""Group conversations (邀请成员, 退出 with their system lines) and attachments of
private messages (the posts' attachment service; only the conversation's members fetch
them)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from luntan.accounts.models import UserGroup
from luntan.attachments import services as attachments
from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import PDF_BYTES, PHP_BYTES, image_bytes, upload_file
from luntan.notifications.models import Notification
from luntan.pms import services
from luntan.pms.models import Message, Participant
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _group(founder, *others, subject="周末聚会"):
    return services.send_message(
        founder, "大家好", recipients=list(others), subject=subject
    ).conversation


# --- group conversations ------------------------------------------------------------------


def test_the_founder_adds_a_member_who_sees_only_what_follows():
    a, b, c, d = make_user("甲"), make_user("乙"), make_user("丙"), make_user("丁")
    conv = _group(a, b, c)
    added = services.add_members(a, conv.pk, [d, b])  # 乙 is in it already: skipped
    assert [u.pk for u in added] == [d.pk]
    line = Message.objects.filter(conversation=conv, system="join").get()
    assert line.author_id == d.pk
    _conv, p = services.get_conversation(d, conv.pk)
    assert p.unread and d.__class__.objects.get(pk=d.pk).pm_unread == 1
    shown = list(services.conversation_messages(p))
    assert [m.system for m in shown] == ["join"]  # not 大家好, sent before they joined
    assert Notification.objects.filter(recipient=d, kind="pm").exists()
    services.send_message(b, "欢迎丁", conversation=conv)
    assert [m.source for m in services.conversation_messages(p) if not m.system] == ["欢迎丁"]
    assert services.sent_in_last_day(d.pk, line.created) == 0  # a system line is no message


def test_only_the_founder_adds_and_within_the_member_limit(settings):
    settings.LUNTAN_PM_MAX_MEMBERS = 4
    a, b, c, d, e = (make_user(n) for n in "甲乙丙丁戊")
    conv = _group(a, b, c)
    with pytest.raises(PermissionDenied):
        services.add_members(b, conv.pk, [d])
    with pytest.raises(Http404):
        services.add_members(d, conv.pk, [e])
    with pytest.raises(ValidationError) as err:
        services.add_members(a, conv.pk, [d, e])
    assert err.value.error_list[0].code == "too_many"
    services.block(d, a)
    with pytest.raises(ValidationError) as err:
        services.add_members(a, conv.pk, [d])
    assert err.value.error_list[0].code == "refused"
    one = services.send_message(a, "私聊", recipients=[e]).conversation
    with pytest.raises(PermissionDenied):  # a one-to-one conversation takes nobody
        services.add_members(a, one.pk, [b])
    assert not Message.objects.filter(system="join").exists()


def test_a_member_who_left_gets_nothing_more():
    a, b, c = make_user("甲"), make_user("乙"), make_user("丙")
    conv = _group(a, b, c)
    services.leave_conversation(b, conv.pk)
    assert not Participant.objects.filter(conversation=conv, user=b).exists()
    assert b.__class__.objects.get(pk=b.pk).pm_unread == 0
    assert Message.objects.get(conversation=conv, system="leave").author_id == b.pk
    before = Notification.objects.filter(recipient=b).count()
    services.send_message(c, "乙走了", conversation=conv)
    assert Notification.objects.filter(recipient=b).count() == before
    assert not services.list_conversations(b).exists()
    with pytest.raises(Http404):
        services.get_conversation(b, conv.pk)
    with pytest.raises(Http404):
        services.send_message(b, "我回来了", conversation=conv)
    one = services.send_message(a, "私聊", recipients=[c]).conversation
    with pytest.raises(ValidationError):
        services.leave_conversation(a, one.pk)


def test_pages_add_a_member_and_leave(client):
    a, b, c, d = make_user("甲"), make_user("乙"), make_user("丙"), make_user("丁")
    conv = _group(a, b, c)
    url = f"/pm/{conv.pk}/"
    client.force_login(b)
    page = client.get(url).content.decode()
    assert "退出会话" in page and "pm-add-members" not in page
    assert client.post(f"{url}members/", {"names": "丁"}).status_code == 403
    client.force_login(a)
    assert "pm-add-members" in client.get(url).content.decode()
    page = client.post(f"{url}members/", {"names": "无此人"}).content.decode()
    assert "收件人 无此人 不存在" in page
    assert client.post(f"{url}members/", {"names": "丁"}).status_code == 302
    assert "丁 加入了会话" in client.get(url).content.decode()
    client.force_login(d)
    assert client.post(f"{url}leave/").status_code == 302
    assert client.get(url).status_code == 404
    client.force_login(a)
    assert "丁 退出了会话" in client.get(url).content.decode()


# --- attachments --------------------------------------------------------------------------


def _send_with(client, conv, name, content, body="附件在此"):
    return client.post(
        f"/pm/{conv.pk}/",
        {"body": body, "fmt": "bbcode", "attach_files": upload_file(name, content)},
    )


def test_an_image_is_shown_inline_and_a_file_only_to_the_members(client):
    a, b, c, outsider = make_user("甲"), make_user("乙"), make_user("丙"), make_user("路人")
    conv = _group(a, b, c)
    client.force_login(a)
    assert _send_with(client, conv, "合影.png", image_bytes("PNG")).status_code == 302
    assert _send_with(client, conv, "行程.pdf", PDF_BYTES, body="行程见附件").status_code == 302
    photo, pdf = Attachment.objects.order_by("pk")
    assert photo.pm_message is not None and photo.post_id is None and photo.is_image
    client.force_login(b)
    page = client.get(f"/pm/{conv.pk}/").content.decode()
    assert f'src="/attachments/{photo.pk}/thumb/"' in page and "行程.pdf" in page
    assert client.get(f"/attachments/{photo.pk}/").status_code == 200
    answer = client.get(f"/attachments/{pdf.pk}/")
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment")
    # a member who is not in the conversation, a guest: nothing
    client.force_login(outsider)
    for url in (f"/attachments/{photo.pk}/", f"/attachments/{pdf.pk}/thumb/", f"/pm/{conv.pk}/"):
        assert client.get(url).status_code == 404, url
    client.logout()
    assert client.get(f"/attachments/{pdf.pk}/").status_code == 404
    # who deleted the conversation for themselves, who left: nothing either
    services.delete_for_me(b, conv.pk)
    client.force_login(b)
    assert client.get(f"/attachments/{pdf.pk}/").status_code == 404
    services.leave_conversation(c, conv.pk)
    client.force_login(c)
    assert client.get(f"/attachments/{photo.pk}/").status_code == 404
    # the orphan purge leaves message files alone
    assert attachments.purge_orphans(0) == 0 and Attachment.objects.count() == 2


def test_files_are_checked_as_for_posts(client):
    a, b = make_user("甲"), make_user("乙")
    conv = services.send_message(a, "你好", recipients=[b]).conversation
    client.force_login(a)
    page = _send_with(client, conv, "shell.jpg", PHP_BYTES).content.decode()
    assert "shell.jpg" in page and not Attachment.objects.exists()
    assert Message.objects.filter(conversation=conv).count() == 1  # nothing sent
    UserGroup.objects.filter(pk=a.group_id).update(allow_upload=False)
    from django.core.cache import caches

    for alias in ("default", "shared"):
        caches[alias].clear()
    page = _send_with(client, conv, "合影.png", image_bytes("PNG")).content.decode()
    assert "没有上传附件的权限" in page and not Attachment.objects.exists()


def test_someone_elses_or_a_bound_upload_is_refused():
    a, b = make_user("甲"), make_user("乙")
    conv = services.send_message(a, "你好", recipients=[b]).conversation
    mine = attachments.upload(a, upload_file("a.pdf", PDF_BYTES))
    with pytest.raises(ValidationError):
        services.send_message(b, "偷用", conversation=conv, attachment_ids=[mine.pk])
    services.send_message(a, "给你", conversation=conv, attachment_ids=[mine.pk])
    mine.refresh_from_db()
    assert mine.pm_message is not None
    from luntan.threads.models import Post
    from luntan.threads.tests.factories import make_thread

    thread = make_thread(author=a)
    op = Post.objects.filter(thread=thread).order_by("pk").first()
    with pytest.raises(ValidationError):  # a message's file can't be moved into a post
        attachments.bind(op, [mine.pk], a)


def test_a_group_conversation_page_is_english(client):
    from luntan.core.tests.test_english import leftover_cjk

    client.cookies["django_language"] = "en"
    alice, bob, carol, dave = (make_user(n) for n in ("alice", "bob", "carol", "dave"))
    conv = _group(alice, bob, carol, subject="Trip")
    services.add_members(alice, conv.pk, [dave])
    services.leave_conversation(carol, conv.pk)
    client.force_login(alice)
    html = client.get(f"/pm/{conv.pk}/").content.decode()
    assert "dave joined the conversation" in html and "carol left the conversation" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert leftover_cjk(main.replace("大家好", "")) == []


@pytest.mark.django_db(transaction=True)
def test_two_invitations_at_once_respect_the_member_limit(settings):
    """Two invitations sent at the same moment are decided one after the other: the
    conversation holds at most LUNTAN_PM_MAX_MEMBERS, and the same member never joins
    twice (no 500 from a duplicate membership)."""
    import threading

    from django.db import connection

    settings.LUNTAN_PM_MAX_MEMBERS = 4
    a, b, c, d, e = (make_user(n) for n in "甲乙丙丁戊")
    conv = _group(a, b, c)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def invite(who):
        try:
            barrier.wait()
            services.add_members(a, conv.pk, [who])
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.error_list[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=invite, args=(u,)) for u in (d, e, d, e)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} <= {"too_many", "recipients"}
    assert Participant.objects.filter(conversation=conv).count() == 4
    assert Message.objects.filter(conversation=conv, system="join").count() == 1
