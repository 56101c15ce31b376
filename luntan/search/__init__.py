"""Chinese full-text search (论坛搜索).

Public entry points (all take integer ids):

- :func:`index_posts` / :func:`index_threads`: index now, synchronously. The Discuz!
  importer calls ``index_threads(imported_thread_ids)`` (or ``index_posts``) after each
  committed batch; ``luntan rebuild_search_index`` rebuilds everything.
- :func:`reindex_post` / :func:`reindex_posts` / :func:`reindex_thread` /
  :func:`remove_post`: enqueue the background task; posting services call them from
  ``transaction.on_commit`` (new, edited, moved, deleted, restored posts: re-indexing a
  post that no longer qualifies removes it).

Searching goes through :func:`luntan.search.service.search_posts`.
"""

from __future__ import annotations

from collections.abc import Iterable


def index_posts(post_ids: Iterable[int]) -> int:
    """Index the posts ``post_ids`` now; returns how many are in the index afterwards."""
    from luntan.search import indexing

    return indexing.index_posts(post_ids)


def index_post_rows(rows: Iterable[tuple[int, int, str, str, str]]) -> int:
    """Index posts from ``(pk, floor, subject, source, format)`` rows the caller holds,
    in the caller's transaction (bulk loaders); returns how many are in the index."""
    from luntan.search import indexing

    return indexing.index_post_rows(rows)


def index_threads(thread_ids: Iterable[int]) -> int:
    """Index every post of the threads ``thread_ids`` now; returns posts in the index."""
    from luntan.search import indexing

    return indexing.index_threads(thread_ids)


def reindex_posts(post_ids: Iterable[int]) -> None:
    """Enqueue re-indexing of ``post_ids`` (call from ``transaction.on_commit``)."""
    from luntan.search.tasks import index_posts_task

    index_posts_task.enqueue([int(i) for i in post_ids])


def reindex_post(post_id: int) -> None:
    """Enqueue re-indexing of one post (new, edited, moved, deleted or restored)."""
    reindex_posts([post_id])


def reindex_thread(thread_id: int) -> None:
    """Enqueue re-indexing of every post of one thread (new thread, subject edit, …)."""
    from luntan.search.tasks import index_threads_task

    index_threads_task.enqueue([int(thread_id)])


def remove_post(post_id: int) -> None:
    """Enqueue removal of one post from the index (e.g. before a hard delete)."""
    from luntan.search.tasks import remove_posts_task

    remove_posts_task.enqueue([int(post_id)])
