"""Markdown posts: CommonMark with tables and strikethrough, via markdown-it-py.

Raw HTML is escaped (``html: False``), single line breaks become ``<br>`` (``breaks``,
like BBCode posts), and link/image destinations must pass
:func:`luntan.markup.urls.safe_url` (otherwise the link text, or the image's alt text, is
shown without a link). The HTML then goes through the same sanitiser as BBCode.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from luntan.markup.limits import BudgetExceeded
from luntan.markup.urls import IMAGE_SCHEMES, safe_url


def _unlink_unsafe(state: StateCore) -> None:
    """Core rule: a link whose destination fails ``safe_url`` keeps its text but loses
    the link; such an image becomes its alt text (as BBCode's ``[url=javascript:…]``)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        dropping = False
        for token in block.children:
            if token.type == "link_open":
                dropping = safe_url(str(token.attrGet("href") or "")) is None
                if dropping:
                    continue
            elif token.type == "link_close" and dropping:
                dropping = False
                continue
            elif token.type == "image":
                src = str(token.attrGet("src") or "")
                if safe_url(src, schemes=IMAGE_SCHEMES) is None:
                    token = Token("text", "", 0, content=token.content)
            children.append(token)
        block.children = children


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    md.enable(["table", "strikethrough"])
    # Accept every destination while parsing, so a bad one doesn't turn the Markdown
    # syntax into visible text; _unlink_unsafe then removes the unsafe links.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.push("luntan_unlink_unsafe", _unlink_unsafe)
    return md


_md = _make_parser()

# CommonMark strips Unicode white space, U+3000 included, from the start of a paragraph;
# Chinese posts indent paragraphs with it. Indents are swapped for a noncharacter (which
# prepare_source() removes from posts) while parsing and put back afterwards.
_INDENT = "\u3000"
_INDENT_STAND_IN = "\ufdd2"
_LEADING_INDENTS = re.compile(r"^[ \t]{0,3}\u3000+", re.MULTILINE)


def _protect_indents(source: str) -> str:
    source = source.replace(_INDENT_STAND_IN, "")
    return _LEADING_INDENTS.sub(lambda m: m.group(0).replace(_INDENT, _INDENT_STAND_IN), source)


def _restore_indents(text: str) -> str:
    return text.replace(_INDENT_STAND_IN, _INDENT)


def _parse(source: str, max_elements: int | None) -> tuple[list[Token], int, int]:
    """Tokens of ``source`` and ``(elements, images)``: block tokens plus inline tokens
    other than text (markdown-it-py's own work is linear). Raises ``BudgetExceeded``
    when there are more than ``max_elements``."""
    tokens = _md.parse(_protect_indents(source))
    elements = images = 0
    for token in tokens:
        elements += 1
        for child in token.children or ():
            if child.type != "text":
                elements += 1
                images += child.type == "image"
        if max_elements is not None and elements > max_elements:
            raise BudgetExceeded(elements)
    return tokens, elements, images


def markdown_to_html(source: str, max_elements: int | None = None) -> str:
    """Unsanitised HTML for Markdown ``source``. Raises
    :class:`~luntan.markup.limits.BudgetExceeded` past ``max_elements`` tokens."""
    tokens, _elements, _images = _parse(source, max_elements)
    return _restore_indents(_md.renderer.render(tokens, _md.options, {}))


def markdown_counts(source: str, max_elements: int | None = None) -> tuple[int, int]:
    """``(elements, images)`` of Markdown ``source`` (see :func:`_parse`)."""
    _tokens, elements, images = _parse(source, max_elements)
    return elements, images


_BLOCK_ENDS = frozenset({"paragraph_close", "heading_close", "list_item_close", "tr_close", "hr"})


def _inline_text(children: Sequence[Token] | None) -> str:
    parts = []
    for token in children or ():
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def markdown_plain(source: str) -> str:
    """Plain text of Markdown ``source``: markup removed, block quotes and images left
    out, code kept; blocks separated by line breaks (not yet tidied)."""
    parts: list[str] = []
    quote_depth = 0
    for token in _md.parse(_protect_indents(source)):
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif quote_depth:
            continue
        elif token.type == "inline":
            parts.append(_inline_text(token.children))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content.rstrip("\n") + "\n")
        elif token.type in ("th_close", "td_close"):
            parts.append(" ")
        elif token.type in _BLOCK_ENDS:
            parts.append("\n\n" if token.type != "tr_close" else "\n")
    return _restore_indents("".join(parts))
