"""Resolve Discuz! ids of imported rows (for the legacy-URL redirects).

``forum.php?mod=viewthread&tid=N`` and ``forum.php?mod=redirect&goto=findpost&pid=P``
links keep working after an import when the page code looks the target up here.
"""

from __future__ import annotations

from luntan.threads.models import Post, Thread

from .models import MovedThreadStub


def thread_for_discuz_tid(tid: int) -> Thread | None:
    """Return the imported thread of Discuz! ``forum_thread.tid`` ``tid``, or ``None``.

    A moved-thread stub's tid (``forum_thread.closed`` > 1, not imported) resolves to the
    thread it points at.
    """
    found = Thread.objects.filter(discuz_tid=tid).first()
    if found is not None:
        return found
    stub = MovedThreadStub.objects.filter(discuz_tid=tid).first()
    if stub is None:
        return None
    return Thread.objects.filter(discuz_tid=stub.target_discuz_tid).first()


def post_for_discuz_pid(pid: int) -> Post | None:
    """Return the imported post of Discuz! ``forum_post.pid`` ``pid``, or ``None``."""
    return Post.objects.filter(discuz_pid=pid).select_related("thread").first()
