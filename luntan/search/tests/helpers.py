"""Small builders for search tests (boards, threads, replies through the services)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from luntan.search.service import SearchRequest, search_posts
from luntan.threads.posting import Trust
from luntan.threads.services import PostInput, reply
from luntan.threads.tests.factories import make_board, make_thread, make_user

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    """A fixed time ``days`` before :data:`NOW`."""
    return NOW - timedelta(days=days)


def find(q: str, user=None, **filters) -> list:
    """Post ids found for ``q`` (first page) by an anonymous viewer unless ``user``."""
    from django.contrib.auth.models import AnonymousUser

    page = search_posts(SearchRequest(q=q, **filters), user or AnonymousUser(), now=NOW)
    return [hit.post.pk for hit in page.hits]


def thread_ids(q: str, **filters) -> list[int]:
    """Thread ids (in result order, first occurrence) found for ``q``."""
    from luntan.threads.models import Post

    ids = find(q, **filters)
    by_post = dict(Post.objects.filter(pk__in=ids).values_list("pk", "thread_id"))
    out: list[int] = []
    for pid in ids:
        if by_post[pid] not in out:
            out.append(by_post[pid])
    return out


def add_reply(thread, text: str, author=None, now=None):
    """Reply to ``thread`` through :func:`luntan.threads.services.reply`."""
    return reply(
        trust=Trust.MODERATOR,
        thread=thread,
        author=author or make_user(),
        body=PostInput(text),
        now=now,
    )


__all__ = [
    "NOW",
    "add_reply",
    "days_ago",
    "find",
    "make_board",
    "make_thread",
    "make_user",
    "thread_ids",
]
