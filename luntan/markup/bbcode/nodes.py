"""The BBCode tree: text and element nodes, and the description of one tag (TagSpec).

The parser builds a tree of :class:`Text` and :class:`Element` nodes from the tag
descriptions in :mod:`luntan.markup.bbcode.registry`; the tag family modules
(``tags_*.py``) turn elements into HTML and plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# How the text between an opening and a closing tag is read.
CHILDREN = "children"  # parsed as BBCode into child nodes ([b], [quote], [url=x] …)
SIMPLE = "simple"  # one line of literal text, directly followed by the closing tag ([img])
RAW = "raw"  # everything up to the closing tag, brackets included ([code])
EMPTY = "empty"  # no content and no closing tag ([hr])


class _Invalid:
    """Returned by ``TagSpec.parse_arg`` when the argument is not acceptable."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@dataclass(slots=True)
class Text:
    """Literal text (not yet HTML-escaped)."""

    value: str


@dataclass(slots=True)
class Element:
    """A recognised tag with its parsed argument.

    ``open_raw``/``close_raw`` keep the tag as written, so an element can be shown as
    literal text again; ``content`` holds the text of SIMPLE and RAW tags.
    """

    name: str
    arg: Any
    open_raw: str
    close_raw: str = ""
    children: list[Text | Element] = field(default_factory=list)
    content: str = ""


Node = Text | Element
RenderChildren = Callable[[list[Node]], str]
PlainChildren = Callable[[list[Node]], str]


def no_arg(arg: str | None) -> Any:
    """``parse_arg`` for tags that take no ``=argument``."""
    return None if arg is None else INVALID


def children_mode(_arg: Any) -> str:
    return CHILDREN


@dataclass(frozen=True, slots=True)
class TagSpec:
    """What one BBCode tag accepts and how it renders.

    ``parse_arg(arg)`` gets the text after ``=`` (stripped) or ``None`` and returns the
    parsed value or ``INVALID`` (then the tag stays literal text). ``content(parsed_arg)``
    is one of CHILDREN/SIMPLE/RAW/EMPTY. ``render(element, render_children)`` returns
    HTML; ``plain(element, plain_children, for_quote)`` returns plain text (default: the
    children's text). ``block`` tags swallow one line break before and after them, as
    Discuz!'s ``\\s?\\[quote\\]…\\[/quote\\]\\s?`` patterns do. ``parents`` limits the
    direct parent ([tr] only in [table]); ``excludes`` lists tags that may not appear
    anywhere inside (no link inside a link). ``auto_close`` tags ([*]) end at the next
    sibling of the same name or when their parent closes. ``simple_ok(content)`` checks
    SIMPLE content (default: one non-blank line).
    """

    name: str
    render: Callable[[Element, RenderChildren], str]
    parse_arg: Callable[[str | None], Any] = no_arg
    content: Callable[[Any], str] = children_mode
    plain: Callable[[Element, PlainChildren, bool], str] | None = None
    block: bool = False
    parents: frozenset[str] | None = None
    excludes: frozenset[str] = frozenset()
    auto_close: bool = False
    simple_ok: Callable[[str], bool] = lambda content: bool(content.strip()) and "\n" not in content


def merge_text(nodes: list[Node]) -> list[Node]:
    """Join neighbouring text nodes (the parser may leave them split)."""
    merged: list[Node] = []
    pending: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            pending.append(node.value)
            continue
        if pending:
            merged.append(Text("".join(pending)))
            pending = []
        merged.append(node)
    if pending:
        merged.append(Text("".join(pending)))
    return merged
