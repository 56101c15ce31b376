"""Discuz! X3.4 BBCode: parse to a tree, render to HTML or plain text.

The HTML is not yet sanitised; :func:`luntan.markup.render` passes it through
:mod:`luntan.markup.sanitize`.
"""

from __future__ import annotations

from luntan.markup.bbcode.nodes import Element, Node
from luntan.markup.bbcode.parser import MAX_DEPTH, parse
from luntan.markup.bbcode.registry import all_tags
from luntan.markup.bbcode.render import plain_children, render_children
from luntan.markup.plaintext import tidy_plain

__all__ = ["MAX_DEPTH", "bbcode_counts", "bbcode_plain", "bbcode_to_html"]


def bbcode_to_html(source: str, max_elements: int | None = None) -> str:
    """Unsanitised HTML for BBCode ``source`` (line breaks already normalised to ``\\n``).

    Raises :class:`~luntan.markup.limits.BudgetExceeded` past ``max_elements`` tags."""
    return render_children(parse(source, all_tags(), max_elements=max_elements))


def bbcode_counts(source: str, max_elements: int | None = None) -> tuple[int, int]:
    """``(elements, images)`` of BBCode ``source``: the tags that parse as tags and the
    ``[img]`` among them. Raises ``BudgetExceeded`` past ``max_elements`` tags."""
    elements = images = 0
    pending: list[Node] = list(parse(source, all_tags(), max_elements=max_elements))
    while pending:
        node = pending.pop()
        if isinstance(node, Element):
            elements += 1
            images += node.name == "img"
            pending.extend(node.children)
    return elements, images


def bbcode_plain(source: str, *, for_quote: bool = False) -> str:
    """Plain text of BBCode ``source``: tags removed, quotes left out, hidden content
    replaced by a notice. ``for_quote`` also drops code, tables, e-mail links and free
    blocks, as Discuz!'s ``messagecutstr()`` does for quote excerpts."""
    return tidy_plain(plain_children(parse(source, all_tags()), for_quote=for_quote))
