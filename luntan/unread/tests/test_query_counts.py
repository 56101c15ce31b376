"""Query-count pins of the pages unread tracking touches, for a member reading threads
active within the cutoff (older threads cost nothing: the pins in threads/boardpages
tests use old threads and are unchanged)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from luntan.core.models import get_site_settings
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user
from luntan.unread.models import ThreadRead

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading(client):
    reader, writer = make_user(), make_user()
    board = make_board("灌水")
    threads = [make_thread(board, writer, subject=f"主题{i}") for i in range(3)]
    make_reply(threads[0], writer)
    client.force_login(reader)
    get_site_settings()
    return client, reader, writer, board, threads


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@override_settings(LUNTAN_VIEW_FLUSH_SECONDS=3600)
def test_thread_page_reads_the_row_and_writes_only_when_the_floor_advances(reading, monkeypatch):
    """Pinned relative to the same page without the unread hook, so that the thread
    page's own pins (luntan/threads/tests) stay the one place for its base cost."""
    from luntan.threads import extras

    client, reader, writer, _board, threads = reading
    url = f"/t/{threads[0].pk}/"
    client.get(url)  # first view: the row is written
    assert ThreadRead.objects.get(user=reader, thread=threads[0]).floor == 2
    with_hook = _count(client, url)
    hooks = dict(extras._page_hooks)
    monkeypatch.setattr(extras, "_page_hooks", {k: v for k, v in hooks.items() if k != "unread"})
    base = _count(client, url)
    monkeypatch.setattr(extras, "_page_hooks", hooks)
    assert with_hook == base + 1  # the member's read row, no write
    make_reply(threads[0], writer)
    # + the row advanced: one UPDATE inside a savepoint (3 statements)
    assert _count(client, url) == base + 4
    assert ThreadRead.objects.get(user=reader, thread=threads[0]).floor == 3


def test_board_page_adds_two_queries_for_a_member(reading, django_assert_num_queries):
    client, _reader, _writer, board, _threads = reading
    client.get(f"/f/{board.pk}/")
    # member, board, sub-boards, types, threads, page-one extras, is_moderator,
    # + the member's watermarks and read rows of the listed threads
    with django_assert_num_queries(9):
        assert client.get(f"/f/{board.pk}/").status_code == 200


def test_index_adds_two_queries_for_a_member(reading, django_assert_num_queries):
    client, *_ = reading
    client.get("/")
    client.get("/")
    # member, boards, statistics, + watermarks and read rows of the boards' last threads
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200


def test_recent_page_query_count(reading, django_assert_num_queries):
    client, *_ = reading
    client.get("/new/")
    # member, readable boards, threads with their boards, watermarks, read rows
    with django_assert_num_queries(5):
        assert client.get("/new/").status_code == 200
