"""The editor's preview (预览), rate limited like posting.

A preview renders markup as a post would, so it costs what a post costs; it is allowed
once per ``LUNTAN_PREVIEW_INTERVAL`` seconds (setting, default 2; 0 turns the limit off)
per member, staff included, counted with ``cache.add`` so concurrent requests on a shared
cache (Redis) agree. (The byte cap and the render budget are :mod:`luntan.markup`'s.)
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from luntan import markup
from luntan.core.cache import shared as cache  # one count for every worker
from luntan.threads.models import Post

DEFAULT_INTERVAL = 2


def preview_interval() -> int:
    """The configured interval in seconds (``LUNTAN_PREVIEW_INTERVAL``)."""
    return int(getattr(settings, "LUNTAN_PREVIEW_INTERVAL", DEFAULT_INTERVAL))


def allow_preview(user) -> bool:
    """Record a preview by ``user`` (a member); False when their previous one was less
    than :func:`preview_interval` seconds ago."""
    interval = preview_interval()
    if interval <= 0:
        return True
    joined = getattr(user, "date_joined", None)
    stamp = int(joined.timestamp()) if joined else 0
    return cache.add(f"luntan:preview-rate:{user.pk}:{stamp}", 1, timeout=interval)


def refusal_message() -> str:
    """The message shown instead of a refused preview."""
    return _("预览太频繁，请 %(n)d 秒后再试。") % {"n": preview_interval()}


def render_preview(user, source: str, fmt: str) -> str | None:
    """The sanitised HTML ``source`` (in ``fmt``; an unknown format counts as BBCode)
    would show as a post — or the refusal of :func:`luntan.markup.render_preview` when
    it is over a markup cap (checked before parsing) — or ``None`` when ``user``
    previews too often (:func:`allow_preview`)."""
    if fmt not in Post.Format.values:
        fmt = Post.Format.BBCODE
    if not allow_preview(user):
        return None
    return markup.render_preview(source or "", fmt)
