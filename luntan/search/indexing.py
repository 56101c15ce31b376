"""Turning posts into index documents and keeping the index in step with the posts.

All functions here work synchronously on the default database; the task wrappers in
:mod:`luntan.search.tasks` run them in the background after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.db import transaction

from luntan.search.backends import get_backend
from luntan.search.backends.base import IndexDoc
from luntan.search.permissions import indexable_posts
from luntan.search.text import index_tokens, plain_text
from luntan.threads.models import Post

BATCH_SIZE = 1000


def document_for(post: Post) -> IndexDoc:
    """The index document of ``post`` (its ``thread`` loaded): OP carries the subject."""
    title = index_tokens(post.thread.subject) if post.floor == 1 else ""
    return IndexDoc(post.pk, title, index_tokens(plain_text(post.source, post.format)))


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _load(ids: list[int]) -> list[Post]:
    return list(
        indexable_posts()
        .filter(pk__in=ids)
        .select_related("thread")
        .only("id", "floor", "source", "format", "thread__subject")
    )


def index_posts(post_ids: Iterable[int], *, batch_size: int = BATCH_SIZE) -> int:
    """Index (or re-index) the posts ``post_ids``; returns how many are now in the index.

    Posts that no longer qualify (deleted, pending, in a recycled thread) or no longer exist
    are removed from the index, so this one call serves new, edited, moved, deleted and
    restored posts alike. Call it after the writing transaction committed.
    """
    backend = get_backend()
    indexed = 0
    for chunk in _chunks(sorted({int(i) for i in post_ids}), batch_size):
        posts = _load(chunk)
        docs = [document_for(p) for p in posts]
        gone = set(chunk) - {p.pk for p in posts}
        with transaction.atomic():
            backend.upsert(docs)
            backend.remove(gone)
        indexed += len(docs)
    return indexed


def index_post_rows(rows: Iterable[tuple[int, int, str, str, str]]) -> int:
    """Index posts whose text the caller already holds, inside the caller's transaction.

    ``rows``: ``(post pk, floor, thread subject, source, format)`` per post, e.g. a
    bulk loader's batch just written. Same result as :func:`index_posts` for those
    posts (those that do not qualify, see :func:`indexable_posts`, are removed), without
    loading the posts again: one ``SELECT`` of the pks that qualify, then the backend's
    bulk write. Called inside the writing transaction, the index entries commit or roll
    back with the posts, so a killed bulk load never leaves posts out of the index.
    Returns how many of ``rows`` are in the index afterwards.
    """
    rows = list(rows)
    if not rows:
        return 0
    backend = get_backend()
    indexed = 0
    for start in range(0, len(rows), BATCH_SIZE):
        chunk = rows[start : start + BATCH_SIZE]
        pks = [row[0] for row in chunk]
        keep = set(indexable_posts().filter(pk__in=pks).values_list("pk", flat=True))
        docs = [
            IndexDoc(
                pk,
                index_tokens(subject) if floor == 1 else "",
                index_tokens(plain_text(source, fmt)),
            )
            for pk, floor, subject, source, fmt in chunk
            if pk in keep
        ]
        with transaction.atomic():
            backend.upsert(docs)
            backend.remove(set(pks) - keep)
        indexed += len(docs)
    return indexed


def index_threads(thread_ids: Iterable[int], *, batch_size: int = BATCH_SIZE) -> int:
    """Re-index every post of the threads ``thread_ids`` (e.g. after a subject change).

    Returns how many posts are now in the index.
    """
    ids = list(Post.objects.filter(thread_id__in=list(thread_ids)).values_list("pk", flat=True))
    return index_posts(ids, batch_size=batch_size)


def remove_posts(post_ids: Iterable[int]) -> None:
    """Remove the posts ``post_ids`` from the index (e.g. before a hard delete)."""
    get_backend().remove(post_ids)


def rebuild(
    *, batch_size: int = BATCH_SIZE, progress: Callable[[int, int], None] | None = None
) -> int:
    """Empty the index and index every indexable post in batches of ``batch_size``.

    ``progress(done, total)`` is called after each batch. Returns the posts indexed.
    """
    backend = get_backend()
    backend.clear()
    queryset = indexable_posts().order_by("pk")
    total = queryset.count()
    done = 0
    last_id = 0
    if progress:
        progress(0, total)
    while True:
        posts = list(
            queryset.filter(pk__gt=last_id)
            .select_related("thread")
            .only("id", "floor", "source", "format", "thread__subject")[:batch_size]
        )
        if not posts:
            break
        with transaction.atomic():
            backend.upsert([document_for(p) for p in posts])
        done += len(posts)
        last_id = posts[-1].pk
        if progress:
            progress(done, total)
    return done
