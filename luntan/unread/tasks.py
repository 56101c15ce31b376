"""Background task of unread tracking (django-tasks, ``default`` queue)."""

from __future__ import annotations

from django_tasks import task

from luntan.unread import services


@task()
def prune_unread_task() -> int:
    """:func:`luntan.unread.services.prune` (what ``luntan prune_unread`` does); returns
    the number of thread rows deleted. Enqueued daily by ``luntan run_periodic``."""
    return services.prune()
