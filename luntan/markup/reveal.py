"""Showing ``[hide]`` content to a viewer who may see it.

Stored post HTML never holds hidden content: :func:`luntan.markup.render` turns every
``[hide]…[/hide]`` into the notice box "本帖隐藏的内容". When a page shows the post to
someone Discuz!'s rule lets see it (:func:`luntan.permissions.hidden.hide_checker`), the
post is rendered again with :func:`render_revealed`, whose ``allows`` callback decides
each ``[hide]`` block (they may carry different arguments) while the renderer runs.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

#: ``allows(arg)`` for the render in progress: ``arg`` is the ``[hide=…]`` argument
#: (``None`` for a plain ``[hide]``); ``None`` outside :func:`render_revealed`.
REVEAL: ContextVar[Callable[[str | None], bool] | None] = ContextVar("luntan_reveal", default=None)


def render_revealed(source: str, fmt: str, allows: Callable[[str | None], bool]) -> str:
    """Render ``source`` like :func:`luntan.markup.render`, showing the content of each
    ``[hide]`` block for which ``allows(arg)`` is true (under the 本帖隐藏的内容 heading).
    Returns sanitised HTML; never stored (it depends on the viewer)."""
    from luntan.markup import render

    token = REVEAL.set(allows)
    try:
        return str(render(source, fmt))
    finally:
        REVEAL.reset(token)
