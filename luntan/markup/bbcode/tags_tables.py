"""Structured tags: list (with [*] items) and table / tr / td.

Follows ``discuzcode()`` (list) and ``parsetable()``/``parsetrtd()`` in Discuz!'s
``source/function/function_discuzcode.php``: ``[list=1]``/``[list=a]`` are ordered lists;
``[table=width,bgcolor]``, ``[tr=bgcolor]``, ``[td=colspan,rowspan,width]`` or
``[td=width]``; a ``[table]`` without ``[tr]`` is read as rows of ``|``-separated cells.
Text between the structural tags that is only white space is dropped; other stray
content gets an item/row/cell of its own so it stays visible.
"""

from __future__ import annotations

import re
from typing import Any

from luntan.markup.bbcode.htmlutil import attrs
from luntan.markup.bbcode.nodes import (
    INVALID,
    Element,
    Node,
    PlainChildren,
    RenderChildren,
    TagSpec,
    Text,
    merge_text,
)
from luntan.markup.bbcode.tags_text import parse_color


def _strip_edges(nodes: list[Node]) -> list[Node]:
    nodes = merge_text(nodes)
    if nodes and isinstance(nodes[0], Text):
        nodes[0] = Text(nodes[0].value.lstrip(" \t\n"))
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].value.rstrip(" \t\n"))
    return [n for n in nodes if not (isinstance(n, Text) and not n.value)]


def _groups(el: Element, item: str) -> list[tuple[Element | None, list[Node]]]:
    """Split children into (item element, its children) pairs; stray non-blank content
    between items becomes a group with no element."""
    groups: list[tuple[Element | None, list[Node]]] = []
    stray: list[Node] = []

    def flush_stray() -> None:
        if any(not isinstance(n, Text) or n.value.strip() for n in stray):
            groups.append((None, list(stray)))
        stray.clear()

    for node in el.children:
        if isinstance(node, Element) and node.name == item:
            flush_stray()
            groups.append((node, node.children))
        else:
            stray.append(node)
    flush_stray()
    return groups


# -- list ----------------------------------------------------------------------------------

_LIST_TYPES = {"1": "1", "a": "a", "A": "A", "i": "i", "I": "I"}


def _parse_list(arg: str | None) -> Any:
    if arg is None:
        return None
    return _LIST_TYPES.get(arg, INVALID)


def _render_list(el: Element, children: RenderChildren) -> str:
    items = "".join(f"<li>{children(_strip_edges(kids))}</li>" for _, kids in _groups(el, "*"))
    if el.arg is None:
        return f"<ul>{items}</ul>"
    return f"<ol{attrs(type=el.arg)}>{items}</ol>"


def _plain_list(el: Element, children: PlainChildren, for_quote: bool) -> str:
    return "\n".join(children(_strip_edges(kids)).strip("\n") for _, kids in _groups(el, "*"))


# -- table ---------------------------------------------------------------------------------

_WIDTH = re.compile(r"(\d{1,4})(%?)")
_TABLE_ARG = re.compile(r"(\d{1,4}%?)(?:\s*,\s*(.+))?")
_TD_SPANS = re.compile(r"(\d{1,2}),(\d{1,2})(?:,(\d{1,4}%?))?")


def _width(raw: str | None, max_px: int) -> str | None:
    """Discuz!'s rule: percentages up to 98%, pixels up to ``max_px`` (else 98%)."""
    m = _WIDTH.fullmatch(raw or "")
    if not m or int(m.group(1)) == 0:
        return None
    value = int(m.group(1))
    if m.group(2):
        return f"{min(value, 98)}%"
    return str(value) if value <= max_px else "98%"


def _parse_table(arg: str | None) -> Any:
    if arg is None:
        return (None, None)
    m = _TABLE_ARG.fullmatch(arg)
    if not m:
        return INVALID
    color = parse_color(m.group(2).strip()) if m.group(2) else None
    return (_width(m.group(1), 560), None if color is INVALID else color)


def _parse_tr(arg: str | None) -> Any:
    if arg is None:
        return None
    color = parse_color(arg)
    return None if color is INVALID else color


def _parse_td(arg: str | None) -> Any:
    if arg is None:
        return (1, 1, None)
    if m := _TD_SPANS.fullmatch(arg):
        return (int(m.group(1)), int(m.group(2)), _width(m.group(3), 560))
    if _WIDTH.fullmatch(arg):
        return (1, 1, _width(arg, 560))
    return INVALID


def _cell(kids: list[Node], children: RenderChildren, arg: Any = (1, 1, None)) -> str:
    colspan, rowspan, width = arg
    spans = attrs(
        colspan=colspan if colspan > 1 else None,
        rowspan=rowspan if rowspan > 1 else None,
        width=width,
    )
    return f"<td{spans}>{children(_strip_edges(kids))}</td>"


def _pipe_rows(nodes: list[Node]) -> list[list[list[Node]]]:
    """Discuz!'s simple table: one row per line, cells split at ``|`` (``\\|`` is a bar)."""
    rows: list[list[list[Node]]] = [[[]]]
    for node in _strip_edges(nodes):
        if not isinstance(node, Text):
            rows[-1][-1].append(node)
            continue
        for ln, line in enumerate(node.value.split("\n")):
            if ln:
                rows.append([[]])
            for cn, cell in enumerate(re.split(r"(?<!\\)\|", line)):
                if cn:
                    rows[-1].append([])
                if cell:
                    rows[-1][-1].append(Text(cell.replace("\\|", "|")))
    return rows


def _render_table(el: Element, children: RenderChildren) -> str:
    width, bgcolor = el.arg
    rows = []
    groups = _groups(el, "tr")
    if not any(tr is not None for tr, _ in groups):
        for row in _pipe_rows(el.children):
            rows.append("<tr>" + "".join(_cell(kids, children) for kids in row) + "</tr>")
    else:
        for tr, kids in groups:
            if tr is None:
                rows.append(f"<tr>{_cell(kids, children)}</tr>")
                continue
            style = f"background-color: {tr.arg}" if tr.arg else None
            cells = [
                _cell(td_kids, children, td.arg if td else (1, 1, None))
                for td, td_kids in _groups(tr, "td")
            ]
            rows.append(f"<tr{attrs(style=style)}>{''.join(cells)}</tr>")
    style = f"background-color: {bgcolor}" if bgcolor else None
    return (
        f'<table class="bbcode-table"{attrs(width=width, style=style)}>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _plain_table(el: Element, children: PlainChildren, for_quote: bool) -> str:
    if for_quote:  # messagecutstr() drops tables
        return ""
    groups = _groups(el, "tr")
    if not any(tr is not None for tr, _ in groups):
        rows = _pipe_rows(el.children)
        return "\n".join(" ".join(children(kids) for kids in row) for row in rows)
    lines = []
    for tr, kids in groups:
        cells = _groups(tr, "td") if tr is not None else [(None, kids)]
        lines.append(" ".join(children(_strip_edges(k)) for _, k in cells))
    return "\n".join(lines)


def _render_direct(el: Element, children: RenderChildren) -> str:  # pragma: no cover
    # [*], [tr] and [td] are rendered by their parent; this only runs on a spec bug.
    return children(el.children)


TAGS = [
    TagSpec("list", _render_list, parse_arg=_parse_list, block=True, plain=_plain_list),
    TagSpec("*", _render_direct, parents=frozenset({"list"}), auto_close=True),
    TagSpec("table", _render_table, parse_arg=_parse_table, block=True, plain=_plain_table),
    TagSpec("tr", _render_direct, parse_arg=_parse_tr, parents=frozenset({"table"})),
    TagSpec("td", _render_direct, parse_arg=_parse_td, parents=frozenset({"tr"})),
]
