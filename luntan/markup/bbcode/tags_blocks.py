"""Block tags: quote (with Discuz!'s quote header), code, hide, free.

Follows ``discuzcode()`` in Discuz!'s ``source/function/function_discuzcode.php``
(``tpl_quote``, ``codedisp``, ``tpl_hide_*``, ``tpl_free``) and, for plain text,
``messagecutstr()`` in ``source/function/function_post.php``: quotes are left out,
hidden content is replaced by a notice and never shown.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from luntan.markup.bbcode.htmlutil import attrs, esc
from luntan.markup.bbcode.nodes import (
    INVALID,
    RAW,
    Element,
    Node,
    PlainChildren,
    RenderChildren,
    TagSpec,
    Text,
    merge_text,
)
from luntan.markup.reveal import REVEAL
from luntan.markup.urls import safe_url

HIDE_BOX_TEXT = "本帖隐藏的内容"
# What Discuz!'s messagecutstr() puts in place of [hide] (lang forum/misc post_hidden).
HIDDEN_PLAIN_TEXT = "**** 本内容被作者隐藏 ****"
QUOTE_HEADER_MARKERS = ("发表于", "發表於")
_HEADER_WRAPPERS = frozenset({"size", "url", "color", "font", "b"})
#: Quotes nested this deep are shown as boxes inside boxes; the ones below them go into
#: one collapsed 展开更多引用 box, one after the other instead of ever deeper (a 500-deep
#: chain was an 87,698 px page on a phone).
QUOTE_COLLAPSE_DEPTH = 3
QUOTE_MORE_TEXT = "展开更多引用"
_quote_depth: ContextVar[int] = ContextVar("luntan_quote_depth", default=0)


# -- quote ---------------------------------------------------------------------------------


def _meaningful(nodes: list[Node]) -> list[Node]:
    return [n for n in nodes if not (isinstance(n, Text) and not n.value.strip())]


def split_quote_header(nodes: list[Node]) -> tuple[str | None, str | None, list[Node]]:
    """Find Discuz!'s quote header at the start of a quote's children.

    Discuz! writes ``[size=2][url=forum.php?mod=redirect&goto=findpost&pid=P&ptid=T]
    [color=#999999]NAME 发表于 TIME[/color][/url][/size]`` (mobile: only the colour) as the
    first line (``post_newreply.php``). Returns ``(header_text, link_or_None, rest)``, or
    ``(None, None, nodes)`` when there is no header.
    """
    nodes = merge_text(nodes)
    index = 0
    if nodes and isinstance(nodes[0], Text) and not nodes[0].value.strip("\n"):
        index = 1
    if index >= len(nodes) or not isinstance(nodes[index], Element):
        return None, None, nodes
    node: Node = nodes[index]
    link = None
    while isinstance(node, Element) and node.name in _HEADER_WRAPPERS:
        if node.name == "url":
            if node.arg is None:
                return None, None, nodes
            link = node.arg
        inner = _meaningful(merge_text(node.children))
        if len(inner) != 1:
            return None, None, nodes
        node = inner[0]
    if not isinstance(node, Text):
        return None, None, nodes
    header = " ".join(node.value.split())
    if not any(marker in header for marker in QUOTE_HEADER_MARKERS):
        return None, None, nodes
    rest = list(nodes[index + 1 :])
    if rest and isinstance(rest[0], Text):
        rest[0] = Text(rest[0].value.lstrip("\n"))
    return header, link, rest


def _strip_edges(nodes: list[Node]) -> list[Node]:
    """Drop line breaks at the start and end of a block's content (``[\\n\\r]*``)."""
    nodes = list(nodes)
    if nodes and isinstance(nodes[0], Text):
        nodes[0] = Text(nodes[0].value.lstrip("\n"))
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].value.rstrip("\n"))
    return nodes


def _quote_box(el: Element, children: RenderChildren, nested: bool) -> str:
    """One quote box: the header, then the content; with ``nested`` False the quotes
    directly inside are left out of the box (the caller puts them after it)."""
    header, link, rest = split_quote_header(el.children)
    head = ""
    if header is not None:
        href = safe_url(link) if link else None
        shown = f"<a{attrs(href=href)}>{esc(header)}</a>" if href else esc(header)
        head = f'<div class="quote-header">{shown}</div>'
    if not nested:
        rest = [n for n in rest if not (isinstance(n, Element) and n.name == "quote")]
    return f'<blockquote class="quote">{head}{children(_strip_edges(rest))}</blockquote>'


def _flat_quotes(el: Element, children: RenderChildren) -> str:
    """``el`` and every quote directly inside it, at any depth, as boxes one after the
    other (outermost first)."""
    parts = []
    pending = [el]
    while pending:
        quote = pending.pop()
        parts.append(_quote_box(quote, children, nested=False))
        inner = [n for n in quote.children if isinstance(n, Element) and n.name == "quote"]
        pending.extend(reversed(inner))
    return "".join(parts)


def _render_quote(el: Element, children: RenderChildren) -> str:
    depth = _quote_depth.get()
    token = _quote_depth.set(depth + 1)
    try:
        if depth < QUOTE_COLLAPSE_DEPTH:
            return _quote_box(el, children, nested=True)
        flat = _flat_quotes(el, children)
    finally:
        _quote_depth.reset(token)
    if depth > QUOTE_COLLAPSE_DEPTH:  # a quote inside other markup inside the box
        return flat
    return f'<details class="quote-more"><summary>{QUOTE_MORE_TEXT}</summary>{flat}</details>'


def _plain_nothing(el: Element, children: PlainChildren, for_quote: bool) -> str:
    return ""


# -- code ----------------------------------------------------------------------------------


def _render_code(el: Element, children: RenderChildren) -> str:
    return f"<pre><code>{esc(el.content.strip(chr(10)))}</code></pre>"


def _plain_code(el: Element, children: PlainChildren, for_quote: bool) -> str:
    # messagecutstr() drops code from quotes; search and snippets keep it.
    return "" if for_quote else el.content.strip("\n")


# -- hide ----------------------------------------------------------------------------------


def _parse_hide(arg: str | None) -> Any:
    """``[hide]`` (reply to see), ``[hide=N]`` (credits), ``[hide=dDAYS,N]`` (expiring)."""
    if arg is None:
        return None
    if arg.isascii() and arg.replace(",", "").replace("d", "", 1).isdigit() and len(arg) <= 20:
        return arg
    return INVALID


def _render_hide(el: Element, children: RenderChildren) -> str:
    # Stored HTML never holds the hidden content; a page re-renders the post inside
    # luntan.markup.reveal.render_revealed for a viewer Discuz!'s rule lets see it.

    allows = REVEAL.get()
    if allows is not None and allows(el.arg if isinstance(el.arg, str) else None):
        inner = children(_strip_edges(el.children))
        return f'<div class="hide-box"><div class="quote-header">{HIDE_BOX_TEXT}</div>{inner}</div>'
    return f'<div class="hide-box">{HIDE_BOX_TEXT}</div>'


def _plain_hide(el: Element, children: PlainChildren, for_quote: bool) -> str:
    return HIDDEN_PLAIN_TEXT


TAGS = [
    TagSpec("quote", _render_quote, block=True, plain=_plain_nothing),
    TagSpec("code", _render_code, content=lambda arg: RAW, block=True, plain=_plain_code),
    TagSpec("hide", _render_hide, parse_arg=_parse_hide, block=True, plain=_plain_hide),
    TagSpec(
        "free",
        lambda el, children: children(el.children),
        plain=lambda el, children, for_quote: "" if for_quote else children(el.children),
    ),
]
