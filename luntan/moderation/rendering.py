"""Query pieces for 屏蔽 (banned) and 警告 (warned) posts: the annotations the thread
page's posts query carries (:func:`post_flags`, added through the floor extra in
:mod:`luntan.moderation.floors`) and the filter that keeps banned posts out of quotes,
search and the archiver (:func:`unbanned`).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from luntan.moderation.models import BannedPost, Warning


def post_flags() -> dict:
    """Annotations for a :class:`~luntan.threads.models.Post` queryset: ``is_banned`` and
    ``is_warned`` (two EXISTS subqueries on indexed columns; no extra query)."""

    return {
        "is_banned": Exists(BannedPost.objects.filter(post=OuterRef("pk"))),
        "is_warned": Exists(Warning.objects.filter(post=OuterRef("pk"))),
    }


def unbanned(queryset):
    """``queryset`` (of posts) without the 屏蔽 ones: they are neither quoted nor indexed
    for search, so their content can't leak past the notice."""

    return queryset.filter(~Exists(BannedPost.objects.filter(post=OuterRef("pk"))))
