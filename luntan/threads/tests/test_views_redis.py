"""Thread views counted in Redis: a SIGKILLed app server loses none, any process folds
them into the database once, and a dead Redis only sends them to the process buffer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis
from django.core.management import call_command

from conftest import redis_test_url
from luntan.threads import view_counts
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_thread

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def redis_views(settings):
    """Views go to the test Redis, emptied of view keys; flushes only when asked."""
    settings.LUNTAN_VIEWS_REDIS_URL = redis_test_url()
    settings.LUNTAN_VIEW_FLUSH_SECONDS = 3600
    client = redis.Redis.from_url(redis_test_url())
    keys = [view_counts.PENDING_KEY, view_counts.LOCK_KEY]
    keys += list(client.scan_iter(match=view_counts.BATCH_PREFIX + "*"))
    keys += list(client.scan_iter(match=view_counts.SEEN_PREFIX + "*"))
    client.delete(*keys)
    view_counts.counter.flush()
    yield client
    client.delete(view_counts.PENDING_KEY)


KILLED_SERVER = """
import os, signal, django
django.setup()
from luntan.threads import view_counts
for _ in range({n}):
    view_counts.record({thread})
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_views_of_a_sigkilled_app_server_are_not_lost(redis_views, tmp_path):
    thread = make_thread()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "luntan.settings",
        "LUNTAN_HOME": str(tmp_path),
        "SECRET_KEY": "views",
        "REDIS_URL": redis_test_url(),
        "LUNTAN_VIEW_FLUSH_SECONDS": "3600",
    }
    env.pop("DATABASE_URL", None)
    code = KILLED_SERVER.format(n=37, thread=thread.pk)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert done.returncode == -9, done.stderr.decode()
    assert Thread.objects.get(pk=thread.pk).views == 0
    assert view_counts.pending(thread.pk) == 37

    call_command("flush_view_counts", verbosity=0)
    assert Thread.objects.get(pk=thread.pk).views == 37
    assert view_counts.pending(thread.pk) == 0
    assert view_counts.flush() == 0  # written once


def test_pages_show_views_counted_in_redis_before_the_flush(redis_views, client):
    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(views=1166)
    for _ in range(3):
        assert client.get(f"/t/{thread.pk}/").status_code == 200
    assert redis_views.hget(view_counts.PENDING_KEY, str(thread.pk)) == b"3"
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert '<b class="views">1169</b>' in html
    board_html = client.get(f"/f/{thread.board_id}/").content.decode()
    assert "1170" in board_html
    assert Thread.objects.get(pk=thread.pk).views == 1166
    assert view_counts.flush() == 4
    assert Thread.objects.get(pk=thread.pk).views == 1170


def test_a_batch_left_by_a_flusher_that_died_is_written_by_the_next(redis_views):
    thread = make_thread()
    redis_views.hset(view_counts.BATCH_PREFIX + "dead", str(thread.pk), 5)
    view_counts.record(thread.pk)
    assert view_counts.flush() == 6
    assert Thread.objects.get(pk=thread.pk).views == 6
    assert not list(redis_views.scan_iter(match=view_counts.BATCH_PREFIX + "*"))


def test_a_flush_already_running_elsewhere_is_not_doubled(redis_views):
    thread = make_thread()
    view_counts.record(thread.pk)
    redis_views.set(view_counts.LOCK_KEY, "another-process", ex=60)
    assert view_counts.flush() == 0
    redis_views.delete(view_counts.LOCK_KEY)
    assert view_counts.flush() == 1
    assert Thread.objects.get(pk=thread.pk).views == 1


def test_views_go_to_the_process_buffer_while_redis_is_down(settings, client):
    settings.LUNTAN_VIEWS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.LUNTAN_VIEW_FLUSH_SECONDS = 3600
    thread = make_thread()
    assert client.get(f"/t/{thread.pk}/").status_code == 200
    assert client.get(f"/t/{thread.pk}/").status_code == 200
    assert view_counts.counter.pending(thread.pk) == 2
    view_counts.counter.flush()
    assert Thread.objects.get(pk=thread.pk).views == 2


def test_a_batch_written_before_redis_went_away_is_not_written_twice(redis_views):
    thread = make_thread()
    view_counts.record(thread.pk)
    view_counts.record(thread.pk)
    store = view_counts.redis_store()
    assert store is not None
    real_delete = store._redis.delete
    calls = []

    def delete_fails_once(*keys):
        if not calls and any(str(k).startswith(view_counts.BATCH_PREFIX) for k in keys):
            calls.append(keys)
            raise ConnectionError("Redis went away")
        return real_delete(*keys)

    store._redis.delete = delete_fails_once
    try:
        with pytest.raises(ConnectionError):
            store.flush()
    finally:
        store._redis.delete = real_delete
    assert Thread.objects.get(pk=thread.pk).views == 2
    # The batch is still in Redis; the next flusher (any process) only deletes it.
    assert list(redis_views.scan_iter(match=view_counts.BATCH_PREFIX + "*"))
    assert view_counts.flush() == 0
    assert Thread.objects.get(pk=thread.pk).views == 2
    assert not list(redis_views.scan_iter(match=view_counts.BATCH_PREFIX + "*"))
    view_counts.record(thread.pk)
    assert view_counts.flush() == 1
    assert Thread.objects.get(pk=thread.pk).views == 3


def test_a_batch_whose_flusher_was_killed_after_the_commit_is_not_written_twice(redis_views):
    thread = make_thread()
    key = view_counts.BATCH_PREFIX + "killed-after-commit"
    redis_views.hset(key, str(thread.pk), 4)
    # What the killed flusher did before dying: the batch and its key in one transaction.
    assert view_counts.write_batch_to_database(key, {thread.pk: 4}) is True
    view_counts.record(thread.pk)
    assert view_counts.flush() == 1
    assert Thread.objects.get(pk=thread.pk).views == 5
    assert not redis_views.exists(key)


@pytest.mark.parametrize("applied", [True, False], ids=["applied", "not-applied"])
def test_a_view_whose_redis_answer_was_lost_counts_once(redis_views, applied):
    """A timeout after the command was sent: Redis may or may not have added the view
    (redis-py's own retry used to add it a second time)."""
    thread = make_thread()
    store = view_counts.redis_store()
    assert store is not None
    real_send = store._send

    def answer_lost(*args):
        if applied:
            real_send(*args)
        raise redis.exceptions.TimeoutError("Timeout reading from socket")

    store._send = answer_lost
    try:
        view_counts.record(thread.pk)
    finally:
        store._send = real_send
    assert store.unsure() == 1
    assert view_counts.counter.pending(thread.pk) == 0  # not also counted in the process
    store._down_until = 0.0
    view_counts.record(thread.pk)
    assert view_counts.flush() == 2
    assert store.unsure() == 0
    assert Thread.objects.get(pk=thread.pk).views == 2


def test_a_view_that_never_reached_redis_is_counted_in_the_process(redis_views):
    thread = make_thread()
    store = view_counts.redis_store()
    assert store is not None

    def refused(*args):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:1. Refused.")

    real_send, store._send = store._send, refused
    try:
        view_counts.record(thread.pk)
    finally:
        store._send = real_send
    assert store.unsure() == 0
    assert view_counts.counter.pending(thread.pk) == 1
    store._down_until = 0.0
    assert view_counts.flush() == 1
    assert Thread.objects.get(pk=thread.pk).views == 1
