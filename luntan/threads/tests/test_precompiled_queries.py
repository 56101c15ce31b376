"""The thread page's two queries are compiled once per process and shape
(:class:`luntan.core.precompiled.PrecompiledObjects`): what they return must equal what
the same queryset returns when Django builds it afresh, for every shape and value."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from luntan.core.precompiled import PrecompiledObjects
from luntan.core.tests.pages import long_thread
from luntan.threads import queries
from luntan.threads.models import Post, Thread

pytestmark = pytest.mark.django_db


def _fields(post: Post) -> tuple:
    return (
        post.pk,
        post.floor,
        post.state,
        post.author.username if post.author else None,
        post.author.group.name if post.author else None,
        post.created,
        getattr(post, "has_attachments", None),
        getattr(post, "is_banned", None),
    )


def test_a_precompiled_query_gives_what_the_fresh_queryset_gives_for_new_values():
    first, second = long_thread(5), long_thread(3)
    fetcher = PrecompiledObjects(
        lambda v, desc: (
            queries.visible_posts(Thread(pk=v["thread"]))
            .filter(floor__gt=v["lo"])
            .order_by("-floor" if desc else "floor")
        ),
        slots=("thread", "lo"),
    )
    for thread in (first, second, first):
        for lo in (0, 2):
            for desc in (False, True):
                fresh = list(
                    queries.visible_posts(thread)
                    .filter(floor__gt=lo)
                    .order_by("-floor" if desc else "floor")
                )
                got = fetcher.fetch((desc,), thread=thread.pk, lo=lo)
                assert [_fields(p) for p in got] == [_fields(p) for p in fresh]
                assert got and all(p.created.tzinfo is not None for p in got)  # converters ran


def test_a_precompiled_query_runs_one_query_and_is_counted():
    thread = long_thread(4)
    fetcher = PrecompiledObjects(
        lambda v: Post.objects.filter(thread_id=v["t"]).select_related("author"), slots=("t",)
    )
    fetcher.fetch(t=thread.pk)
    with CaptureQueriesContext(connection) as ran:
        posts = fetcher.fetch(t=thread.pk)
        assert [p.author.username for p in posts]  # loaded with the row: no query
    assert len(ran.captured_queries) == 1


def test_a_value_computed_from_a_slot_is_refused_when_compiled():
    fetcher = PrecompiledObjects(
        lambda v: Post.objects.filter(floor__gt=v["lo"] + 1), slots=("lo",)
    )
    with pytest.raises(ValueError, match="computed from a slot"):
        fetcher.fetch(lo=3)


def test_a_value_beyond_a_database_integer_is_refused_before_the_database_sees_it():
    fetcher = PrecompiledObjects(lambda v: Post.objects.filter(pk=v["pk"]), slots=("pk",))
    with pytest.raises(OverflowError):
        fetcher.fetch(pk=2**64)


@pytest.mark.parametrize("pk", [2**31, 2**40, 2**63, 10**30])
def test_a_thread_or_board_id_beyond_the_column_is_not_found(client, pk):
    with pytest.raises(Http404):
        queries.get_visible_thread(pk)
    assert client.get(f"/t/{pk}/").status_code == 404
    assert client.get(f"/f/{pk}/").status_code == 404


def test_the_visible_thread_carries_its_board_chain_and_hole_counts():
    thread = long_thread(7)
    got = queries.get_visible_thread(thread.pk)
    fresh = Thread.objects.get(pk=thread.pk)
    assert got.subject == fresh.subject and got.board.name == fresh.board.name
    assert queries.holes_of(got).top == 7 and queries.holes_of(got).count(False) == 0
