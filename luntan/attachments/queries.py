"""Read queries for pages that show attachments."""

from __future__ import annotations

from collections.abc import Iterable

from luntan.attachments.models import Attachment

#: Columns the floor renderer needs (no storage names: pages never reveal them).
LIST_FIELDS = (
    "id",
    "post_id",
    "filename",
    "size",
    "is_image",
    "width",
    "height",
    "thumbnail_name",
    "downloads",
    "discuz_aid",
)


def attachments_for_posts(posts: Iterable) -> dict[int, list[Attachment]]:
    """Return ``{post id: [attachments in upload order]}`` for ``posts``, in ONE query.

    ``posts`` are :class:`~luntan.threads.models.Post` rows (or ids). When the posts carry
    a ``has_attachments`` annotation (see :func:`luntan.threads.queries`), only those
    marked are asked for, and a page without attachments costs no query at all.
    """
    ids = []
    for post in posts:
        if isinstance(post, int):
            ids.append(post)
        elif getattr(post, "has_attachments", True):
            ids.append(post.pk)
    if not ids:
        return {}
    result: dict[int, list[Attachment]] = {}
    rows = Attachment.objects.filter(post_id__in=ids).only(*LIST_FIELDS).order_by("pk")
    for row in rows:
        if row.post_id is None:  # post_id__in never matches NULL
            raise AssertionError(f"attachment {row.pk} matched post_id__in without a post")
        result.setdefault(row.post_id, []).append(row)
    return result
