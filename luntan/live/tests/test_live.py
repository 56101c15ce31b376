"""Live replies: the publisher, the broker (shared cache and Redis) and the event stream."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync
from django.db import transaction
from django.test import AsyncClient

from conftest import redis_test_url
from luntan.accounts.groups import GroupId
from luntan.live import broker
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(broker, "publish", lambda tid, n: calls.append((tid, n)) or True)
    return calls


def test_a_reply_is_published_after_commit_only(published, django_capture_on_commit_callbacks):
    thread = make_thread()
    assert published == []  # a new thread has no listeners
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_reply(thread)
        assert published == []  # still inside the transaction
    for callback in callbacks:
        callback()
    assert published == [(thread.pk, 1)]


def test_a_rolled_back_reply_publishes_nothing(published, django_capture_on_commit_callbacks):
    thread = make_thread()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                make_reply(thread)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert published == []
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread)
        make_reply(thread)
    assert published == [(thread.pk, 1), (thread.pk, 2)]


def test_a_held_reply_is_not_published(published, django_capture_on_commit_callbacks):
    from luntan.censor.models import CensorWord
    from luntan.censor.services import forget_rules
    from luntan.threads import posting

    CensorWord.objects.create(find="待审词", action=CensorWord.Action.MODERATE)
    forget_rules()
    thread = make_thread()
    with django_capture_on_commit_callbacks(execute=True):
        result = posting.submit(
            posting.PostRequest(
                author=make_user(),
                body=posting.PostInput("这是一条足够长的帖子内容，有待审词。"),
                trust=posting.Trust.MEMBER,
                limits=posting.PostingLimits(),
                thread=thread,
            )
        )
    assert result.held
    assert published == []
    forget_rules()


def _listen_then_publish(thread_id: int, replies: int, wait: float = 2.0):
    async def run():
        hub = broker.hub()
        queue = hub.subscribe(thread_id)
        await asyncio.sleep(0.2)  # the feeding task is subscribed
        started = time.monotonic()
        await asyncio.to_thread(broker.publish, thread_id, replies)
        got = await asyncio.wait_for(queue.get(), timeout=wait)
        hub.unsubscribe(thread_id, queue)
        return got, time.monotonic() - started

    return asyncio.run(run())


def test_shared_cache_broker_reaches_a_listener_within_a_second(settings):
    settings.LUNTAN_LIVE_REDIS_URL = ""
    got, took = _listen_then_publish(424242, 7)
    assert got == 7 and took < 1.0


@pytest.mark.redis
def test_redis_broker_reaches_a_listener(settings):
    """Through a real Redis (LUNTAN_TEST_REDIS_URL; CI fails when it is missing)."""
    settings.LUNTAN_LIVE_REDIS_URL = redis_test_url()
    broker._sync_client = None
    got, took = _listen_then_publish(434343, 3)
    assert got == 3 and took < 0.5


def test_redis_down_publishing_fails_quietly(settings):
    settings.LUNTAN_LIVE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    broker._sync_client, broker._quiet_until = None, 0.0
    started = time.monotonic()
    assert broker.publish(1, 2) is False
    assert broker.publish(1, 3) is False  # paused: no second wait
    assert time.monotonic() - started < 2
    broker._sync_client, broker._quiet_until = None, 0.0


def test_redis_down_a_reply_still_posts_and_pages_work(client, settings):
    settings.LUNTAN_LIVE_REDIS_URL = "redis://127.0.0.1:1/0"
    broker._sync_client, broker._quiet_until = None, 0.0
    thread, member = make_thread(), make_user()
    client.force_login(member)
    form = {"body": "Redis 停了也能回复，页面照常。", "format": "bbcode", "token": "live-1"}
    r = client.post(f"/t/{thread.pk}/reply/", form)
    assert r.status_code == 302, r.content.decode()[-2000:]
    assert "Redis 停了也能回复" in client.get(f"/t/{thread.pk}/").content.decode()
    broker._sync_client, broker._quiet_until = None, 0.0


# --- the stream -------------------------------------------------------------------------


def test_under_wsgi_the_stream_answers_204_and_checks_permissions(client):
    thread = make_thread()
    hidden = make_thread(make_board("管理区", view_groups=[GroupId.ADMIN]))
    client.force_login(make_user())
    assert client.get(f"/live/t/{thread.pk}/").status_code == 204
    assert client.get(f"/live/t/{hidden.pk}/").status_code == 404
    assert client.get("/live/t/99999999/").status_code == 404


def _first_events(path: str, user=None, publish=None, chunks: int = 1):
    async def run():
        c = AsyncClient()
        if user is not None:
            await c.aforce_login(user)
        response = await c.get(path)
        if response.status_code != 200:
            return response.status_code, response.get("Content-Type", ""), []
        got = []
        iterator = response.streaming_content.__aiter__()
        got.append(await asyncio.wait_for(iterator.__anext__(), 2))
        if publish:
            await asyncio.to_thread(publish)
        while len(got) < chunks:
            got.append(await asyncio.wait_for(iterator.__anext__(), 2))
        await iterator.aclose()
        return response.status_code, response["Content-Type"], got

    return async_to_sync(run)()


def test_the_stream_sends_the_count_and_each_new_count(settings):
    settings.LUNTAN_LIVE_REDIS_URL = ""
    thread = make_thread()
    make_reply(thread)
    status, ctype, chunks = _first_events(
        f"/live/t/{thread.pk}/",
        user=make_user(),
        publish=lambda: broker.publish(thread.pk, 5),
        chunks=2,
    )
    assert status == 200 and ctype.startswith("text/event-stream")
    assert b"retry: 2000" in chunks[0] and b'"replies": 1' in chunks[0]
    assert chunks[1] == b'event: replies\ndata: {"thread": %d, "replies": 5}\n\n' % thread.pk


def test_the_stream_refuses_a_thread_the_listener_may_not_read():
    hidden = make_thread(make_board("管理区", view_groups=[GroupId.ADMIN]))
    status, _ctype, chunks = _first_events(f"/live/t/{hidden.pk}/", user=make_user())
    assert status == 404 and chunks == []
    admin = make_user(group_id=GroupId.ADMIN)
    status, _ctype, chunks = _first_events(f"/live/t/{hidden.pk}/", user=admin)
    assert status == 200


def test_members_get_the_bar_and_guests_do_not(client):
    thread = make_thread()
    assert 'id="live-bar"' not in client.get(f"/t/{thread.pk}/").content.decode()
    client.force_login(make_user())
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert f'data-src="/live/t/{thread.pk}/"' in html and " hidden " in html
    assert f'href="/t/{thread.pk}/?floor=2"' in html  # works as a link without JavaScript
