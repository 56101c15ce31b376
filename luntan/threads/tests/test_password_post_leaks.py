"""密码帖: a password post's protected text reaches nobody who has not unlocked it —
not through a quote, the reading mode, the archiver, webhook payloads, the API, the
feeds or search; and the API honours the session's unlock."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from luntan import markup
from luntan.core.cache import shared
from luntan.threads.models import Post
from luntan.threads.posting import quotable_posts
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user
from luntan.webhooks import services as webhook_services
from luntan.webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db

PASSWORD = "abc123"
SECRET = "只有知道密码才能看的秘密正文"
BODY = f"[password]{PASSWORD}[/password]{SECRET}"
HIDDEN = "回复才可见的隐藏内容"  # [hide]: stored closed, revealed per viewer only


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    shared.clear()
    yield
    cache.clear()
    shared.clear()


@pytest.fixture
def thread(django_capture_on_commit_callbacks):
    webhook_services.save_webhook(
        Webhook(
            url="http://127.0.0.1:9/hook",
            events=["thread.created", "post.created"],
            allow_private=True,
            secret="s",
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        t = make_thread(make_board(), make_user("楼主"), subject="密码主题", body=BODY)
        make_reply(t, body=BODY)  # a password reply too
        make_reply(t, body=f"公开的话[hide]{HIDDEN}[/hide]")
    return t


def _assert_no_secret(text: str, where: str) -> None:
    assert SECRET not in text, where
    assert PASSWORD not in text, where
    assert HIDDEN not in text, where


def test_quoting_a_password_post_never_copies_its_content(client, thread):
    op = thread.post_set.get(floor=1)
    member = make_user("路人")
    client.force_login(member)
    page = client.get(f"/t/{thread.pk}/reply/?quote={op.pk}")
    assert page.status_code == 200
    _assert_no_secret(page.content.decode(), "quote preview")
    # the reply stores no quote of it
    client.post(
        f"/t/{thread.pk}/reply/", {"body": "我来回复一下", "format": "bbcode", "quote": op.pk}
    )
    for post in Post.objects.filter(author=member):
        _assert_no_secret(post.source + post.html, "stored reply")
    assert not quotable_posts(thread).filter(pk=op.pk).exists()
    hidden = thread.post_set.get(floor=3)  # [hide] posts are quoted without the hidden part
    page = client.get(f"/t/{thread.pk}/reply/?quote={hidden.pk}").content.decode()
    assert "公开的话" in page
    _assert_no_secret(page, "[hide] quote preview")
    assert markup.quote_source("楼主", "2024-1-1 10:00", "/p/1/", BODY, "bbcode").count(SECRET) == 0


def test_no_output_carries_the_protected_text(client, thread):
    guest_urls = [
        f"/t/{thread.pk}/",
        f"/t/{thread.pk}/read/",
        f"/archiver/t/{thread.pk}/",
        f"/api/v1/threads/{thread.pk}",
        f"/api/v1/posts/{thread.post_set.get(floor=2).pk}",
        "/feed/rss/",
        "/feed/atom/",
        f"/f/{thread.board_id}/rss/",
        f"/f/{thread.board_id}/atom/",
        "/search/?q=" + SECRET[:4],
        f"/api/v1/search?q={SECRET[:4]}",
        f"/mod/p/{thread.post_set.get(floor=1).pk}/report/",  # the report form's preview
    ]
    for who in (None, make_user("会员")):
        if who is not None:
            client.force_login(who)
        for url in guest_urls:
            response = client.get(url)
            limited = "search" in url and response.status_code == 429  # searching too often
            login = "report" in url and who is None and response.status_code == 302
            assert response.status_code == 200 or limited or login, url
            _assert_no_secret(response.content.decode(), url)
    payloads = [json.dumps(d.payload, ensure_ascii=False) for d in Delivery.objects.order_by("pk")]
    assert len(payloads) == 3
    for payload in payloads:
        _assert_no_secret(payload, "webhook payload")
    assert all("本帖为密码帖" in p for p in payloads[:2])


def test_reading_mode_shows_the_lock_and_then_the_post(client, thread):
    response = client.get(f"/t/{thread.pk}/read/")
    assert response.status_code == 200
    assert "本帖为密码帖" in response.content.decode()
    op = thread.post_set.get(floor=1)
    client.post(f"/p/{op.pk}/password/", {"password": PASSWORD})
    assert SECRET in client.get(f"/t/{thread.pk}/read/").content.decode()


def test_the_api_honours_the_sessions_unlock(client, thread):
    client.force_login(make_user("会员"))
    op = thread.post_set.get(floor=1)
    before = client.get(f"/api/v1/threads/{thread.pk}").json()
    assert before["floors"][0]["hidden"] is True and before["floors"][0]["html"] is None
    assert client.post(f"/p/{op.pk}/password/", {"password": PASSWORD}).status_code == 302
    after = client.get(f"/api/v1/threads/{thread.pk}").json()
    assert SECRET in after["floors"][0]["html"]
    one = client.get(f"/api/v1/posts/{op.pk}").json()
    assert SECRET in one["floor"]["html"]


def test_the_api_honours_a_guests_session_unlock(client, thread):
    op = thread.post_set.get(floor=1)
    assert client.get(f"/api/v1/threads/{thread.pk}").json()["floors"][0]["html"] is None
    assert client.post(f"/p/{op.pk}/password/", {"password": PASSWORD}).status_code == 302
    assert SECRET in client.get(f"/api/v1/threads/{thread.pk}").json()["floors"][0]["html"]
