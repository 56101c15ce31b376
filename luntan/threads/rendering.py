"""Re-render stored post HTML when the renderer changes (``luntan rerender_posts``).

Posts keep their source and the HTML made by :func:`luntan.markup.render` together with
``markup.RENDERER_VERSION`` (Discourse's raw/cooked with ``cook_method``; Misago's
``parseposts``). Bumping the version and running the command refreshes every post.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from luntan import markup
from luntan.threads.models import Post


def posts_to_rerender(*, everything: bool = False) -> int:
    """How many posts :func:`rerender_posts` with the same ``everything`` would render
    (the total of a progress bar)."""
    rows = Post.objects.all()
    if not everything:
        rows = rows.exclude(renderer_version=markup.RENDERER_VERSION)
    return rows.count()


def rerender_posts(
    *, batch: int = 500, everything: bool = False, progress: Callable[[int], None] | None = None
) -> int:
    """Re-render posts whose ``renderer_version`` differs from the current one.

    ``batch``: posts per transaction; ``everything``: re-render all posts regardless of
    version; ``progress(done)`` is called after each batch (:func:`posts_to_rerender`
    gives the total to expect). Returns the number of posts
    re-rendered. Walks by primary key, so memory stays bounded on millions of posts.
    """
    done = 0
    last_pk = 0
    while True:
        rows = Post.objects.filter(pk__gt=last_pk).order_by("pk")
        if not everything:
            rows = rows.exclude(renderer_version=markup.RENDERER_VERSION)
        page = list(rows.only("pk", "source", "format")[:batch])
        if not page:
            return done
        for post in page:
            post.html = markup.render(post.source, post.format)
            post.renderer_version = markup.RENDERER_VERSION
        with transaction.atomic():
            Post.objects.bulk_update(page, ["html", "renderer_version"])
        done += len(page)
        last_pk = page[-1].pk
        if progress:
            progress(done)
