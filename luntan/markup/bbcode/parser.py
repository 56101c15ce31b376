"""BBCode tokenizer and stack-based tree builder.

One left-to-right pass over the source. At every ``[`` the tokenizer tries to read one
tag token (``[name]``, ``[name=arg]``, ``[/name]`` or ``[*]``); an argument can't contain
``[``, ``]`` or a line break, so a failed attempt stops at the next ``[`` and the whole
pass stays linear in the input size. Accepted opening tags are pushed on a stack of at
most ``max_depth`` elements; a closing tag closes the nearest open element of that name.
Anything that isn't a well-formed, known, correctly nested tag stays literal text:

* unknown tags, tags with an invalid argument, closing tags with no open partner;
* opening tags in a forbidden place ([tr] outside [table], a link inside a link);
* opening tags with content deeper than ``max_depth`` that are never closed. Those that
  are closed later are dropped together with a closing tag, their content joining the
  element at the limit, so a 500-deep quote chain shows no literal tags; tags without
  content ([img], [code], [hr]) are accepted at any depth;
* elements left open when an outer element closes or the input ends: their opening tag
  becomes text and their children move up into the parent.

Discuz! parses with a chain of regular expressions (``function_discuzcode.php``); the tag
set and arguments follow it, the algorithm does not.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping

from luntan.markup.bbcode.nodes import (
    CHILDREN,
    INVALID,
    RAW,
    SIMPLE,
    Element,
    Node,
    TagSpec,
    Text,
)
from luntan.markup.limits import BudgetExceeded

MAX_DEPTH = 20
MAX_ARG_LENGTH = 512

_TOKEN = re.compile(
    rf"\[(/?)([A-Za-z][A-Za-z0-9]{{0,15}}|\*)(?:=([^\[\]\r\n]{{0,{MAX_ARG_LENGTH}}}))?\]"
)


class _CloseFinder:
    """Finds ``[/name]`` for RAW tags; remembers answers so repeated misses stay linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[str, tuple[re.Match[str] | None, int]] = {}

    def find(self, name: str, pos: int) -> re.Match[str] | None:
        cached = self.cache.get(name)
        if cached is not None:
            match, searched_from = cached
            if match is None or (searched_from <= pos <= match.start()):
                return match
        pattern = re.compile(r"\[/" + re.escape(name) + r"\]", re.IGNORECASE)
        match = pattern.search(self.text, pos)
        self.cache[name] = (match, pos)
        return match


class _Builder:
    def __init__(
        self, text: str, tags: Mapping[str, TagSpec], max_depth: int, max_elements: int | None
    ) -> None:
        self.text = text
        self.max_elements = max_elements
        self.elements = 0
        self.tags = tags
        self.max_depth = max_depth
        self.root = Element(name="", arg=None, open_raw="")
        self.stack: list[Element] = [self.root]
        self.text_start = 0  # start of literal text not yet added to the tree
        self.finder = _CloseFinder(text)
        self.dropped: dict[str, int] = {}  # too-deep opening tags dropped, by name
        self.close_positions: dict[str, list[int]] = {}

    def closes_after(self, name: str, pos: int) -> int:
        """How many ``[/name]`` tokens start at or after ``pos`` (one scan per name)."""
        positions = self.close_positions.get(name)
        if positions is None:
            pattern = re.compile(r"\[/" + re.escape(name) + r"\]", re.IGNORECASE)
            positions = [m.start() for m in pattern.finditer(self.text)]
            self.close_positions[name] = positions
        return len(positions) - bisect_right(positions, pos - 1)

    # -- tree helpers -------------------------------------------------------------------

    def flush(self, end: int) -> None:
        if end > self.text_start:
            self.stack[-1].children.append(Text(self.text[self.text_start : end]))
        self.text_start = end

    def fits(self, node: Element, parent: Element) -> bool:
        parents = self.tags[node.name].parents
        return parents is None or parent.name in parents

    def hoist_into(self, parent: Element, nodes: list[Node]) -> None:
        """Append ``nodes`` to ``parent``, unwrapping elements that can't live there."""
        for node in nodes:
            if isinstance(node, Text) or self.fits(node, parent):
                parent.children.append(node)
            else:
                self.unwrap(node, parent)

    def unwrap(self, node: Element, parent: Element) -> None:
        """Put ``node`` into ``parent`` as literal tags around its children."""
        parent.children.append(Text(node.open_raw))
        if node.content:
            parent.children.append(Text(node.content))
        self.hoist_into(parent, node.children)
        if node.close_raw:
            parent.children.append(Text(node.close_raw))

    def pop_unclosed(self) -> None:
        """Pop the top element, which has no closing tag: keep it only if that's allowed."""
        node = self.stack.pop()
        parent = self.stack[-1]
        if self.tags[node.name].auto_close:
            return
        parent.children.pop()  # the open element is always the parent's last child
        self.unwrap(node, parent)

    def excluded(self, name: str) -> bool:
        return any(name in self.tags[el.name].excludes for el in self.stack[1:])

    # -- tokens -------------------------------------------------------------------------

    def open_tag(self, m: re.Match[str], name: str, spec: TagSpec) -> int | None:
        """Try to accept an opening tag; return the position to continue from, or None."""
        raw_arg = m.group(3)
        arg = spec.parse_arg(raw_arg.strip() if raw_arg is not None else None)
        if arg is INVALID or self.excluded(name):
            return None
        sibling = spec.auto_close and self.stack[-1].name == name
        parent = self.stack[-2] if sibling else self.stack[-1]
        if spec.parents is not None and parent.name not in spec.parents:
            return None
        mode = spec.content(arg)
        depth = len(self.stack) - (2 if sibling else 1)
        if depth >= self.max_depth and mode == CHILDREN:
            # Too deep to nest: dropped with a later closing tag (its content joins the
            # element at the limit), else it stays text.
            dropped = self.dropped.get(name, 0)
            if dropped < self.closes_after(name, m.end()):
                self.flush(m.start())
                self.dropped[name] = dropped + 1
                self.text_start = m.end()
                return m.end()
            return None
        element = Element(name=name, arg=arg, open_raw=m.group(0))
        end = m.end()
        if mode == SIMPLE:
            close_at = self.text.find("[", end)
            close = _TOKEN.match(self.text, close_at) if close_at >= 0 else None
            if not (
                close
                and close.group(1)
                and close.group(3) is None
                and close.group(2).lower() == name
            ):
                return None
            element.content = self.text[end:close_at]
            if not spec.simple_ok(element.content):
                return None
            element.close_raw = close.group(0)
            end = close.end()
        elif mode == RAW:
            close = self.finder.find(name, end)
            if close is None:
                return None
            element.content = self.text[end : close.start()]
            element.close_raw = close.group(0)
            end = close.end()
        self.elements += 1
        if self.max_elements is not None and self.elements > self.max_elements:
            raise BudgetExceeded(self.elements)
        self.flush(m.start())
        if sibling:
            self.stack.pop()
        parent.children.append(element)
        if mode == CHILDREN:
            self.stack.append(element)
        self.text_start = end
        return end

    def close_tag(self, m: re.Match[str], name: str) -> int | None:
        if self.dropped.get(name):
            self.dropped[name] -= 1
            self.flush(m.start())
            self.text_start = m.end()
            return m.end()
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].name == name:
                break
        else:
            return None
        self.flush(m.start())
        while len(self.stack) - 1 > index:
            self.pop_unclosed()
        self.stack[-1].close_raw = m.group(0)
        self.stack.pop()
        self.text_start = m.end()
        return m.end()

    def run(self) -> list[Node]:
        text, pos = self.text, 0
        while True:
            pos = text.find("[", pos)
            if pos < 0:
                break
            m = _TOKEN.match(text, pos)
            if m is None:
                pos += 1
                continue
            name = m.group(2).lower()
            spec = self.tags.get(name)
            if spec is None:
                accepted = None
            elif m.group(1):
                accepted = None if m.group(3) is not None else self.close_tag(m, name)
            else:
                accepted = self.open_tag(m, name, spec)
            pos = m.end() if accepted is None else accepted
        self.flush(len(text))
        while len(self.stack) > 1:
            self.pop_unclosed()
        return self.root.children


def parse(
    text: str,
    tags: Mapping[str, TagSpec],
    max_depth: int = MAX_DEPTH,
    max_elements: int | None = None,
) -> list[Node]:
    """Parse BBCode ``text`` into a list of top-level nodes using the ``tags`` registry.

    Runtime and memory are linear in ``len(text)`` (times the bounded ``max_depth``).
    Raises :class:`~luntan.markup.limits.BudgetExceeded` when more than ``max_elements``
    tags are accepted (``None``: no limit); never raises otherwise for a str input.
    """
    return _Builder(text, tags, max_depth, max_elements).run()
