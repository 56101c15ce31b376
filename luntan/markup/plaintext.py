"""Helpers for the plain-text form of a post (snippets, search, quote excerpts)."""

from __future__ import annotations

import re

import regex

_GRAPHEME = regex.compile(r"\X")
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
    dots here mean that text really was cut. The cut falls between grapheme clusters
    (Unicode UAX #29 via ``regex``'s ``\\X``), never inside an emoji sequence such as
    👨‍👩‍👧, a flag or a letter with its combining marks; a cluster is as wide as its
    first character.
    """
    total = 0
    index = 0
    for cluster in _GRAPHEME.findall(text) if not text.isascii() else text:
        total += display_width(cluster[0])
        if total > width:
            return text[:index] + dot
        index += len(cluster)
    return text


def excerpt(text: str, length: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``length`` grapheme clusters, ``ellipsis`` included, like
    Django's ``truncatechars`` but never splitting a user-perceived character (an emoji
    ZWJ sequence, a flag, a letter with combining marks).

    Args: ``text``; ``length`` clusters (≥ 1); ``ellipsis`` appended when cut.
    Returns ``text`` unchanged when it has at most ``length`` clusters."""
    if len(text) <= length:
        return text
    clusters = _GRAPHEME.findall(text)
    if len(clusters) <= length:
        return text
    return "".join(clusters[: max(length - len(ellipsis), 0)]) + ellipsis


def snap_to_graphemes(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` moved to grapheme cluster boundaries of ``text``: ``start`` back
    to the beginning of its cluster, ``end`` back to the end of the last whole cluster
    before it (a cut never splits 👨‍👩‍👧); unchanged for ASCII text. ``0 <= start <= end
    <= len(text)`` is assumed and kept."""
    if text.isascii():
        return start, end
    new_start, new_end = 0, 0
    for match in _GRAPHEME.finditer(text):
        if match.start() <= start:
            new_start = match.start()
        if match.end() <= end:
            new_end = match.end()
        else:
            break
    return new_start, max(new_end, new_start)
