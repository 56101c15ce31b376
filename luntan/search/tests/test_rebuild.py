"""``luntan rebuild_search_index`` and the backend choice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from luntan.search.backends import get_backend
from luntan.search.tests.helpers import add_reply, find, make_board, make_thread
from luntan.threads.models import Post

pytestmark = pytest.mark.django_db


def test_rebuild_indexes_visible_posts_with_progress(committed):
    board = make_board()
    with committed():
        thread = make_thread(board, subject="重建索引", body="楼主 荔枝")
        replies = [add_reply(thread, f"荔枝 {n}") for n in range(4)]
    Post.objects.filter(pk=replies[0].pk).update(state=Post.State.DELETED)
    get_backend().clear()
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out)
    text = out.getvalue()
    assert "4/4 posts" in text and "indexed 4 posts" in text
    assert get_backend().count() == 4
    assert len(find("荔枝")) == 4


def test_backend_follows_the_database():
    name = type(get_backend()).__name__
    assert name == {"sqlite": "SQLiteBackend", "postgresql": "PostgresBackend"}[connection.vendor]


@pytest.mark.postgres
def test_postgres_index_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'search_postvector'")
        assert any("gin" in row[0] for row in cursor.fetchall())
