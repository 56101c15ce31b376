"""The buffered thread view counter: no views lost under concurrency, flushes on schedule."""

from __future__ import annotations

import threading

import pytest

from luntan.core.tests.pages import long_thread
from luntan.threads import view_counts
from luntan.threads.models import Thread
from luntan.threads.view_counts import ViewCounter


class MemoryWriter:
    """A writer that sums flushed counts, slowly, to widen race windows."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.totals: dict[int, int] = {}
        self.calls = 0

    def __call__(self, counts: dict[int, int]) -> None:
        with self.lock:
            self.calls += 1
            for k, n in counts.items():
                self.totals[k] = self.totals.get(k, 0) + n


def test_concurrent_records_and_flushes_lose_no_views():
    writer = MemoryWriter()
    counter = ViewCounter(writer=writer, interval=0.0005)
    threads_n, per_thread, ids = 8, 2500, (1, 2, 3)

    def work(offset: int) -> None:
        for i in range(per_thread):
            counter.record(ids[(i + offset) % len(ids)])

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads_n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    counter.flush()
    assert sum(writer.totals.values()) == threads_n * per_thread
    assert writer.calls > 1  # flushed along the way, not only at the end
    assert all(counter.pending(i) == 0 for i in ids)


def test_records_wait_for_the_interval_before_writing():
    writer = MemoryWriter()
    now = [100.0]
    counter = ViewCounter(writer=writer, interval=10, clock=lambda: now[0])
    counter.record(7)
    counter.record(7)
    assert writer.calls == 0 and counter.pending(7) == 2
    now[0] += 10
    counter.record(7)
    assert writer.totals == {7: 3} and counter.pending(7) == 0


def test_a_failed_write_keeps_the_counts_for_the_next_flush():
    attempts = []

    def flaky(counts):
        attempts.append(dict(counts))
        if len(attempts) == 1:
            raise RuntimeError("database is locked")

    counter = ViewCounter(writer=flaky, interval=3600)
    counter.record(1)
    assert counter.flush() == 0
    counter.record(1)
    assert counter.pending(1) == 2
    assert counter.flush() == 2
    assert attempts[-1] == {1: 2}


@pytest.mark.django_db
def test_flush_adds_to_the_stored_count_with_one_update_per_thread(django_assert_num_queries):
    a, b = long_thread(1), long_thread(1)
    counter = ViewCounter(interval=3600)
    for _ in range(5):
        counter.record(a.pk)
    counter.record(b.pk)
    with django_assert_num_queries(2):
        assert counter.flush() == 6
    assert Thread.objects.get(pk=a.pk).views == 5
    assert Thread.objects.get(pk=b.pk).views == 1


@pytest.mark.django_db
def test_page_shows_stored_plus_pending_views(client, settings):
    settings.LUNTAN_VIEW_FLUSH_SECONDS = 3600
    view_counts.flush()
    thread = long_thread(1)
    Thread.objects.filter(pk=thread.pk).update(views=1166)
    for _ in range(3):
        client.get(f"/t/{thread.pk}/")
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert '<b class="views">1169</b>' in html  # stored + 3 pending; this view not yet
    assert Thread.objects.get(pk=thread.pk).views == 1166  # nothing written yet
    view_counts.flush()
    assert Thread.objects.get(pk=thread.pk).views == 1170


def test_views_of_a_quiet_thread_are_written_without_more_views_coming():
    writer = MemoryWriter()
    counter = ViewCounter(writer=writer, interval=0.05)
    counter.record(7)
    counter.record(7)
    for _ in range(100):  # up to 5 s, normally 0.05–0.1 s
        if writer.totals:
            break
        threading.Event().wait(0.05)
    assert writer.totals == {7: 2}
    assert counter.pending(7) == 0


@pytest.mark.django_db
def test_head_requests_are_not_counted_as_views(client):
    from luntan.threads.tests.factories import make_thread

    thread = make_thread()
    client.head(f"/t/{thread.pk}/")
    client.get(f"/t/{thread.pk}/")
    view_counts.flush()
    thread.refresh_from_db()
    assert thread.views == 1


@pytest.fixture
def dedup(settings):
    """The production default: one view per viewer per thread per hour (cache cleared)."""
    from django.core.cache import cache

    settings.LUNTAN_VIEW_DEDUP_SECONDS = 3600
    cache.clear()
    yield settings
    cache.clear()


def _stored_views(thread) -> int:
    view_counts.flush()
    return Thread.objects.get(pk=thread.pk).views


@pytest.mark.django_db
def test_a_members_refreshes_add_one_view_and_each_member_counts(client, dedup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from luntan.threads.tests.factories import make_user

    thread = long_thread(1)
    reader = make_user("刷新狂")
    client.force_login(reader)
    dedup.LUNTAN_VIEW_FLUSH_SECONDS = 3600
    view_counts.flush()
    client.get(f"/t/{thread.pk}/")
    with CaptureQueriesContext(connection) as seen:
        for _ in range(49):
            client.get(f"/t/{thread.pk}/")
    assert len(seen) == 49 * 4  # session user, is_moderator, thread, posts: no write
    assert not [q for q in seen.captured_queries if not q["sql"].startswith("SELECT")]
    assert _stored_views(thread) == 1
    client.force_login(make_user("路人乙"))
    client.get(f"/t/{thread.pk}/")
    assert _stored_views(thread) == 2


@pytest.mark.django_db
def test_guests_count_by_address_and_browser(client, dedup):
    thread = long_thread(1)
    url = f"/t/{thread.pk}/"
    for _ in range(5):
        client.get(url, HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.0.0.1")
    assert _stored_views(thread) == 1
    client.get(url, HTTP_USER_AGENT="Chrome", REMOTE_ADDR="10.0.0.1")  # another browser
    client.get(url, HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.0.0.2")  # another address
    assert _stored_views(thread) == 3
    other = long_thread(1)
    client.get(f"/t/{other.pk}/", HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.0.0.1")
    assert _stored_views(other) == 1  # the window is per thread


@pytest.mark.django_db
def test_a_viewer_counts_again_after_the_window(client, dedup):
    import time

    dedup.LUNTAN_VIEW_DEDUP_SECONDS = 1
    thread = long_thread(1)
    client.get(f"/t/{thread.pk}/")
    client.get(f"/t/{thread.pk}/")
    assert _stored_views(thread) == 1
    time.sleep(1.1)
    client.get(f"/t/{thread.pk}/")
    assert _stored_views(thread) == 2
    dedup.LUNTAN_VIEW_DEDUP_SECONDS = 0  # off: every page view counts
    client.get(f"/t/{thread.pk}/")
    client.get(f"/t/{thread.pk}/")
    assert _stored_views(thread) == 4


@pytest.mark.django_db
def test_a_broken_cache_counts_the_view_instead_of_failing_the_page(client, dedup, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", broken)
    thread = long_thread(1)
    assert client.get(f"/t/{thread.pk}/").status_code == 200
    assert _stored_views(thread) == 1
