"""Who may see which posts in search results.

One function, :func:`filter_searchable_posts`, holds the rule until the central
permissions module exists; it can then be replaced by (or delegate to) that module's
``filter_posts_queryset``. Every search backend only returns posts from the queryset it
gets after this filter.
"""

from __future__ import annotations

from django.db.models import QuerySet

from luntan.threads.models import Post, Thread


def filter_searchable_posts(queryset: QuerySet[Post], user) -> QuerySet[Post]:
    """Narrow ``queryset`` (of :class:`Post`) to the posts ``user`` may find by searching.

    For now, for every viewer (``user`` may be anonymous): visible posts
    (``Post.State.VISIBLE``) of normal threads (``Thread.State.NORMAL``, not recycled or
    pending) in boards that are not ``is_hidden``. [hide] content is never indexed at all
    (see :func:`luntan.search.text.plain_text`).
    """
    return queryset.filter(
        state=Post.State.VISIBLE,
        thread__state=Thread.State.NORMAL,
        thread__board__is_hidden=False,
    )


def indexable_posts() -> QuerySet[Post]:
    """Posts worth keeping in the index: visible posts of normal threads (any board).

    Hidden boards are indexed (visibility is checked at query time, so a board turning
    visible needs no rebuild); deleted and pending posts are removed from the index.
    """
    return Post.objects.filter(state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL)
