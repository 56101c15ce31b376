"""Who may see which posts in search results.

One function, :func:`filter_searchable_posts`, applies the rule; it delegates to the
central permissions module (:mod:`luntan.permissions`). Every search backend only returns
posts from the queryset it gets after this filter.
"""

from __future__ import annotations

from django.db.models import QuerySet

from luntan.permissions import filter_posts_queryset
from luntan.threads.models import Post, Thread
from luntan.threads.posting import hooks


def filter_searchable_posts(queryset: QuerySet[Post], user) -> QuerySet[Post]:
    """Narrow ``queryset`` (of :class:`Post`) to the posts ``user`` may find by searching.

    Delegates to :func:`luntan.permissions.filter_posts_queryset`: visible posts
    (``Post.State.VISIBLE``) of normal threads in boards the viewer may see (no hidden
    board, category or parent board, except for administrators and super moderators);
    ``user`` may be anonymous. [hide] content is never indexed at all (see
    :func:`luntan.search.text.plain_text`).
    """

    return filter_posts_queryset(queryset, user)


def indexable_posts() -> QuerySet[Post]:
    """Posts worth keeping in the index: visible posts of normal threads (any board).

    Hidden boards are indexed (visibility is checked at query time, so a board turning
    visible needs no rebuild); deleted and pending posts are removed from the index.
    """
    # 屏蔽 (withheld) content is not indexed: the quote filters moderation registers.
    return hooks.shown_in_full(
        Post.objects.filter(state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL)
    )
