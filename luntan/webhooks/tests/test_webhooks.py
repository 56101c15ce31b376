"""Webhooks: events become signed deliveries, sent to a real local HTTP server, retried
with backoff, logged; targets on private addresses are refused unless allowed (SSRF)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from luntan.accounts.groups import GroupId
from luntan.threads.posting import DeleteRequest, EditRequest, PostInput, Trust, delete, edit
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user
from luntan.webhooks import services, transport
from luntan.webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    """A local HTTP server recording each POST (headers, body); ``status`` is what it
    answers (200 unless a test changes it)."""
    got: list[dict] = []
    state = {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers["Content-Length"])
            got.append({"headers": dict(self.headers), "body": self.rfile.read(length)})
            self.send_response(state["status"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}/hook", "got": got, "state": state}
    server.shutdown()


def _webhook(url, events, allow_private=True) -> Webhook:
    return services.save_webhook(
        Webhook(url=url, events=events, allow_private=allow_private, secret="s3cret")
    )


def test_a_reply_is_delivered_signed(receiver, django_capture_on_commit_callbacks):
    _webhook(receiver["url"], ["post.created", "thread.created"])
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(make_board(), subject="钩子主题")
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, body="钩子回复内容")
    events = [r["headers"]["X-Luntan-Event"] for r in receiver["got"]]
    assert events == ["thread.created", "post.created"]
    last = receiver["got"][-1]
    expected = "sha256=" + hmac.new(b"s3cret", last["body"], hashlib.sha256).hexdigest()
    assert last["headers"]["X-Luntan-Signature"] == expected
    payload = json.loads(last["body"])
    assert payload["event"] == "post.created"
    assert payload["data"]["post"]["floor"] == 2
    assert payload["data"]["thread"]["subject"] == "钩子主题"
    delivery = Delivery.objects.get(pk=payload["delivery"])
    assert delivery.status == Delivery.Status.DELIVERED and delivery.response_status == 200


def test_edit_delete_registration_and_report_events(receiver, django_capture_on_commit_callbacks):
    from luntan.accounts.models import User
    from luntan.accounts.services import register_member
    from luntan.moderation.posts import report_post

    _webhook(receiver["url"], ["post.edited", "post.deleted", "member.registered", "report.filed"])
    author = make_user(group_id=GroupId.REGISTERED)
    thread = make_thread(make_board(), author)
    reply = make_reply(thread, author, "要被编辑的回复")
    with django_capture_on_commit_callbacks(execute=True):
        edit(
            EditRequest(
                post=reply, editor=author, body=PostInput("编辑过的回复"), trust=Trust.MODERATOR
            )
        )
        report_post(reply, reporter=make_user(), reason="广告")
        delete(DeleteRequest(post=reply, actor=author, trust=Trust.MEMBER))
        register_member(User(username="新会员", email="n@example.com"))
    events = [r["headers"]["X-Luntan-Event"] for r in receiver["got"]]
    assert events == ["post.edited", "report.filed", "post.deleted", "member.registered"]
    bodies = [json.loads(r["body"]) for r in receiver["got"]]
    assert "编辑过的回复" in bodies[0]["data"]["post"]["html"]
    assert bodies[1]["data"]["report"]["reason"] == "广告"
    assert bodies[3]["data"]["member"]["username"] == "新会员"
    assert "email" not in json.dumps(bodies[3])


def test_unsubscribed_and_inactive_webhooks_get_nothing(
    receiver, django_capture_on_commit_callbacks
):
    _webhook(receiver["url"], ["member.registered"])
    off = _webhook(receiver["url"], ["post.created"])
    Webhook.objects.filter(pk=off.pk).update(is_active=False)
    thread = make_thread(make_board())
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread)
    assert receiver["got"] == [] and Delivery.objects.count() == 0


def test_failures_are_retried_with_backoff_then_marked_failed(receiver):
    receiver["state"]["status"] = 500
    webhook = _webhook(receiver["url"], ["post.created"])
    now = timezone.now()
    delivery = Delivery.objects.create(
        webhook=webhook, event="post.created", payload={"x": 1}, created=now, next_attempt_at=now
    )
    first = services.deliver(delivery.pk, now=now)
    assert first.status == Delivery.Status.PENDING and first.attempts == 1
    assert first.error == "HTTP 500" and first.response_status == 500
    assert first.next_attempt_at == now + timedelta(seconds=30)
    for _ in range(services.MAX_ATTEMPTS - 1):
        last = services.deliver(delivery.pk, now=now)
    assert last.status == Delivery.Status.FAILED and last.attempts == services.MAX_ATTEMPTS
    assert services.deliver(delivery.pk) is None  # nothing more is sent
    assert len(receiver["got"]) == services.MAX_ATTEMPTS


def test_retry_due_enqueues_pending_deliveries(receiver):
    webhook = _webhook(receiver["url"], ["post.created"])
    past = timezone.now() - timedelta(minutes=1)
    Delivery.objects.create(
        webhook=webhook, event="post.created", payload={}, created=past, next_attempt_at=past
    )
    assert services.retry_due() == 1  # the immediate backend delivers at once
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_private_targets_are_refused_unless_allowed(receiver):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _webhook(receiver["url"], ["post.created"], allow_private=False)
    # a webhook whose address turned private since: the attempt is refused, not sent
    webhook = _webhook(receiver["url"], ["post.created"])
    Webhook.objects.filter(pk=webhook.pk).update(allow_private=False)
    now = timezone.now()
    delivery = Delivery.objects.create(
        webhook=webhook, event="post.created", payload={}, created=now, next_attempt_at=now
    )
    result = services.deliver(delivery.pk)
    assert result.error.startswith("已拒绝") and receiver["got"] == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("172.16.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
    ],
)
def test_address_classes(address, public):
    assert transport.is_public(address) is public


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "file:///etc/passwd", "http:///x", "gopher://a/"]
)
def test_only_http_urls(url):
    with pytest.raises(transport.UnsafeTarget):
        transport.resolve(url, allow_private=True)


def test_administrators_register_webhooks_in_the_admin(admin_client, receiver):
    response = admin_client.post(
        "/admin/webhooks/webhook/add/",
        {"url": receiver["url"], "events": ["post.created"], "is_active": "on", "secret": ""},
    )
    assert response.status_code == 200  # refused: a loopback address without the box
    assert Webhook.objects.count() == 0
    response = admin_client.post(
        "/admin/webhooks/webhook/add/",
        {
            "url": receiver["url"],
            "events": ["post.created"],
            "is_active": "on",
            "allow_private": "on",
            "secret": "",
        },
    )
    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert len(webhook.secret) >= 40 and webhook.events == ["post.created"]


def test_posting_costs_no_query_when_no_webhook_listens(django_assert_num_queries):
    services.subscribed_events()  # warm: the subscribed events are cached (none)
    with django_assert_num_queries(0):
        assert services.queue_event("post.created", {"x": 1}) == []


def test_unsafe_target_reasons_are_translated():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from luntan.webhooks.services import check_webhook

    for lang, words in (("zh-hans", "端口无效"), ("en", "invalid port")):
        with translation.override(lang), pytest.raises(ValidationError) as exc:
            check_webhook("http://example.com:99999/", ["thread.created"], allow_private=False)
        assert words in exc.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        check_webhook("http://127.0.0.1/", ["thread.created"], allow_private=False)
    message = exc.value.messages[0]
    assert "resolves to a non-public address (127.0.0.1)" in message
    assert not re.search(r"[\u4e00-\u9fff]", message)
