"""Small HTML-writing helpers shared by the BBCode tag modules."""

from __future__ import annotations

import re
from html import escape

from luntan.markup.bbcode.nodes import Element

# Leading spaces of a line, runs of two or more spaces, and tabs would collapse in HTML;
# Discuz! turns them into &nbsp; (the nl2br(str_replace(["\t", "   ", "  "], …)) at the end
# of discuzcode()). U+3000 ideographic spaces don't collapse and are kept as they are.
_SPACES = re.compile(r"^ +| {2,}|\t", re.MULTILINE)
NBSP = "\u00a0"


def esc(value: str) -> str:
    """HTML-escape ``value`` for text or a double-quoted attribute."""
    return escape(value, quote=True)


def text_html(value: str, line_start: bool = True) -> str:
    """Escape literal text and keep its layout: each ``\\n`` becomes ``<br>``, spaces at
    the start of a line and runs of spaces become no-break spaces. ``line_start`` says
    whether ``value`` begins a line (it doesn't when it follows an inline element)."""
    if not value:
        return ""

    def keep(match: re.Match[str]) -> str:
        run, start = match.group(0), match.start()
        if run == "\t":
            return NBSP * 4
        if (start == 0 and line_start) or (start > 0 and value[start - 1] == "\n"):
            return NBSP * len(run)
        if len(run) == 1:
            return run
        return NBSP * (len(run) - 1) + " "

    text = escape(_SPACES.sub(keep, value), quote=False)
    return text.replace(NBSP, "&nbsp;").replace("\n", "<br>")


def attrs(**values: str | int | None) -> str:
    """`` name="value"`` pairs for the values that are not None (``class_`` → ``class``)."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        parts.append(f' {name.rstrip("_").replace("_", "-")}="{esc(str(value))}"')
    return "".join(parts)


def literal(element: Element, inner_html: str = "") -> str:
    """Show ``element`` as the BBCode it was written as (escaped)."""
    return (
        esc(element.open_raw) + (inner_html or text_html(element.content)) + esc(element.close_raw)
    )


def strip_newlines(value: str) -> str:
    return value.strip("\n")
