"""Helpers for the plain-text form of a post (snippets, search, quote excerpts)."""

from __future__ import annotations

import re

_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def tidy_plain(text: str) -> str:
    """Collapse runs of blank lines to one blank line and trim ASCII white space at both
    ends (Discuz!'s ``trim()``: U+3000 paragraph indents are kept)."""
    return _BLANK_RUNS.sub("\n\n", text).strip(" \t\n\r\x0b")


def display_width(char: str) -> int:
    """Width of one character as Discuz!'s ``cutstr()`` counts it (UTF-8 sites): printable
    ASCII, tab and line feed 1, other ASCII controls 0, everything else (CJK …) 2."""
    code = ord(char)
    if code in (9, 10) or 32 <= code <= 126:
        return 1
    return 2 if code > 127 else 0


def cut_width(text: str, width: int, dot: str = " ...") -> str:
    """Cut ``text`` to at most ``width`` display units and append ``dot`` if anything was
    cut — ``cutstr()`` in Discuz!'s ``source/function/function_core.php``.

    Unlike Discuz!, which appends ``dot`` whenever the UTF-8 byte length exceeds
    ``width`` (so a 40-character Chinese line got " ..." without losing anything), the
    dots here mean that text really was cut.
    """
    total = 0
    for index, char in enumerate(text):
        total += display_width(char)
        if total > width:
            return text[:index] + dot
    return text
