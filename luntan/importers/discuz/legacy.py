"""Resolve Discuz! ids of imported rows (for the legacy-URL redirects).

``forum.php?mod=viewthread&tid=N`` and ``forum.php?mod=redirect&goto=findpost&pid=P``
links keep working after an import when the page code looks the target up here.
"""

from __future__ import annotations

from luntan.attachments.models import Attachment
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


def discuz_aid(value: str | None) -> int | None:
    """The attachment id of a Discuz! ``forum.php?mod=attachment&aid=…`` link, or ``None``.

    Discuz! X3.4 writes ``aid`` either as the number or encoded by ``aidencode()``
    (source/function/function_core.php): ``base64("<aid>|<hash>|<time>|<uid>|<tid>")``,
    URL-encoded. Only the leading aid is used; the hash needs the old site's ``authkey``
    and would only say who once viewed the link, so luntan's own permission check on the
    attachment decides instead.
    """
    import base64
    import binascii

    text = (value or "").strip()
    if text.isdigit():
        return int(text) if len(text) <= 10 else None
    try:
        decoded = base64.b64decode(text + "=" * (-len(text) % 4), validate=False)
    except (binascii.Error, ValueError):
        return None
    head = decoded.split(b"|", 1)[0]
    return int(head) if head.isdigit() and len(head) <= 10 else None


def attachment_url_for_aid(value: str | None) -> str | None:
    """The download URL of the imported attachment a ``mod=attachment&aid=…`` value names
    (see :func:`discuz_aid`), or ``None``."""

    aid = discuz_aid(value)
    if aid is None:
        return None
    found = Attachment.objects.filter(discuz_aid=aid).only("pk").first()
    return found.get_absolute_url() if found is not None else None
