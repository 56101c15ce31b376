"""Background tasks (django-tasks API) that keep the search index current.

Enqueue them from ``transaction.on_commit`` so they see committed rows; with the
``ImmediateBackend`` they run at once, with a database or Redis Queue backend a worker
runs them. Arguments are lists of integer ids (JSON-serialisable).
"""

from __future__ import annotations

from django_tasks import task

from luntan.search import indexing


@task()
def index_posts_task(post_ids: list[int]) -> int:
    """Index or re-index ``post_ids`` (removing those that no longer qualify)."""
    return indexing.index_posts(post_ids)


@task()
def index_threads_task(thread_ids: list[int]) -> int:
    """Re-index every post of ``thread_ids``."""
    return indexing.index_threads(thread_ids)


@task()
def remove_posts_task(post_ids: list[int]) -> None:
    """Remove ``post_ids`` from the index."""
    indexing.remove_posts(post_ids)
