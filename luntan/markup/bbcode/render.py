"""Walk a parsed BBCode tree into HTML or plain text."""

from __future__ import annotations

from luntan.markup.bbcode.htmlutil import text_html
from luntan.markup.bbcode.nodes import Element, Node, Text, merge_text
from luntan.markup.bbcode.registry import all_tags
from luntan.markup.smilies import current_table, split_smilies


def _is_block(node: Node | None) -> bool:
    return isinstance(node, Element) and all_tags()[node.name].block


def _texts_around_blocks(nodes: list[Node]) -> list[Node]:
    """Drop the one line break right before and right after each block element, as
    Discuz!'s ``\\s?[quote]…[/quote]\\s?`` does: the block already starts a new line."""
    nodes = merge_text(nodes)
    out: list[Node] = []
    for i, node in enumerate(nodes):
        if isinstance(node, Text):
            value = node.value
            if i > 0 and _is_block(nodes[i - 1]) and value.startswith("\n"):
                value = value[1:]
            if i + 1 < len(nodes) and _is_block(nodes[i + 1]) and value.endswith("\n"):
                value = value[:-1]
            if value:
                out.append(Text(value))
        else:
            out.append(node)
    return out


def render_children(nodes: list[Node], line_start: bool = True) -> str:
    """HTML for a list of sibling nodes; ``line_start`` says whether the first one begins
    a line (true inside blocks, false inside inline elements)."""
    parts = []
    previous: Node | None = None
    smilies = current_table()
    for node in _texts_around_blocks(nodes):
        if isinstance(node, Text):
            starts = line_start if previous is None else _is_block(previous)
            if smilies:
                for is_smiley, piece in split_smilies(node.value, smilies):
                    parts.append(piece if is_smiley else text_html(piece, starts))
                    starts = piece.endswith("\n") if not is_smiley else False
            else:
                parts.append(text_html(node.value, starts))
        else:
            spec = all_tags()[node.name]
            parts.append(spec.render(node, render_children if spec.block else _inline_children))
        previous = node
    return "".join(parts)


def _inline_children(nodes: list[Node]) -> str:
    return render_children(nodes, line_start=False)


def plain_children(nodes: list[Node], for_quote: bool = False) -> str:
    """Plain text for a list of sibling nodes; block elements sit on their own lines."""

    def walk(children: list[Node]) -> str:
        parts = []
        for node in _texts_around_blocks(children):
            if isinstance(node, Text):
                parts.append(node.value)
                continue
            spec = all_tags()[node.name]
            text = spec.plain(node, walk, for_quote) if spec.plain else walk(node.children)
            if spec.block:  # on lines of its own; a dropped block still ends the line
                starts_line = not parts or parts[-1].endswith("\n")
                text = ("" if starts_line else "\n") + (text + "\n" if text else "")
            parts.append(text)
        return "".join(parts)

    return walk(nodes)
