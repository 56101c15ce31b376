"""Markup caps at the posting forms, the previews and the signature (issue 9, items 1 and
11): refused with a form error before parsing, staff included, never a 500."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from luntan.accounts import services as accounts
from luntan.accounts.models import UserGroup
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db

HUGE = "[b]" * 400_000  # 1.2 MB
OVER_CAP = "字" * 21_846  # 65,538 bytes: just over the default 65,536


def token(client, url: str) -> str:
    return re.search(r'name="token"[^>]*value="([^"]+)"', client.get(url).content.decode())[1]


def refuse_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an input over the byte cap was parsed")

    monkeypatch.setattr("luntan.markup.core.bbcode_counts", refuse)
    monkeypatch.setattr("luntan.markup.core.bbcode_to_html", refuse)


@pytest.mark.parametrize("group_id", [UserGroup.NEWBIE, UserGroup.ADMIN])
def test_a_new_thread_over_the_byte_cap_is_refused_for_staff_too(client, monkeypatch, group_id):
    client.force_login(make_user(group_id=group_id))
    board = make_board()
    url = f"/f/{board.pk}/new/"
    data = {"subject": "太长", "body": OVER_CAP, "format": "bbcode", "token": token(client, url)}
    refuse_parsing(monkeypatch)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "内容太长：65538 字节，最多 65536 字节" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_reply_with_588_images_is_refused_and_says_what_is_counted(client):
    thread = make_thread()
    client.force_login(make_user(group_id=UserGroup.ADMIN))
    url = f"/t/{thread.pk}/reply/"
    body = "[img]https://example.org/a.png[/img]" * 588
    response = client.post(url, {"body": body, "format": "bbcode", "token": token(client, url)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "图片太多：588 张，每帖最多 30 张（[img] 标签和 Markdown 图片都算）" in html
    assert Post.objects.filter(thread=thread).count() == 1


def test_an_edit_with_too_many_smilies_is_refused(client):
    author = make_user()
    thread = make_thread(author=author)
    op = thread.post_set.get()
    client.force_login(author)
    url = f"/p/{op.pk}/edit/"
    response = client.post(
        url, {"subject": thread.subject, "body": "好" + "🙂" * 11, "format": "bbcode"}
    )
    assert response.status_code == 200
    assert "表情太多：11 个，每帖最多 10 个" in response.content.decode()
    op.refresh_from_db()
    assert "🙂" not in op.source


@pytest.mark.parametrize("group_id", [UserGroup.NEWBIE, UserGroup.ADMIN])
def test_a_1_2_mb_preview_gets_the_message_not_a_500(client, monkeypatch, settings, group_id):
    settings.LUNTAN_PREVIEW_INTERVAL = 0  # two previews in a row here
    client.force_login(make_user(group_id=group_id))
    refuse_parsing(monkeypatch)
    response = client.post("/preview/", {"body": HUGE, "format": "bbcode"})
    assert response.status_code == 200
    assert "内容太长：1200000 字节，最多 65536 字节" in response.content.decode()
    board = make_board()
    response = client.post(
        f"/f/{board.pk}/new/",
        {"subject": "预览", "body": HUGE, "format": "markdown", "preview": "1"},
    )
    assert response.status_code == 200
    assert "内容太长：1200000 字节" in response.content.decode()


def test_a_signature_over_its_cap_is_refused_before_anything_is_stored():
    member = make_user()
    member.group.max_sig_size = 5000  # the group's own limit (Discuz! maxsigsize) out of the way
    member.group.save()
    accounts.set_signature(member, "字" * 1365)  # 4,095 bytes
    with pytest.raises(ValidationError) as refused:
        accounts.set_signature(member, "字" * 1366)  # 4,098 bytes
    assert refused.value.code == "too_large"
    member.refresh_from_db()
    assert len(member.signature) == 1365
