"""Snippets with the matched words marked, built from escaped text only.

The text is folded character by character (:func:`luntan.search.text.fold`) keeping a map
from folded offsets back to the original text, so a match found in folded text (``abc``
in ``ＡＢＣ``, ``评警`` in ``評警``) marks the original characters. Every piece of text is
passed through :func:`django.utils.html.escape` before ``<mark>`` tags are added, so
search terms or post text such as ``<script>`` come out as text, never as markup.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from luntan.markup.plaintext import snap_to_graphemes
from luntan.search.text import fold

SNIPPET_CHARS = 120  # visible characters around the first match


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """Folded ``text`` and, for each folded character, the index of its source character."""
    pieces: list[str] = []
    owners: list[int] = []
    for index, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).casefold()
        pieces.append(folded)
        owners.extend([index] * len(folded))
    joined = "".join(pieces)
    simplified = fold(joined) if joined else ""
    if len(simplified) != len(joined):  # OpenCC changed the length: convert one by one
        simplified = "".join(fold(c) if len(fold(c)) == 1 else c for c in joined)
    return simplified, owners


def _spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Non-overlapping ``(start, end)`` spans of ``text`` (original offsets) matching terms."""
    terms = tuple(t for t in terms if t)
    if not terms or not text:
        return []
    folded, owners = _fold_with_map(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    spans = []
    for match in pattern.finditer(folded):
        if match.end() > match.start():
            spans.append((owners[match.start()], owners[match.end() - 1] + 1))
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    pos = start
    for s, e in spans:
        if e <= pos or s >= end:
            continue
        s, e = max(s, pos), min(e, end)
        out.append(escape(text[pos:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, terms: tuple[str, ...]) -> SafeString:
    """All of ``text``, escaped, with every match of the folded ``terms`` in ``<mark>``."""
    return mark_safe(_render(text, _spans(text, terms), 0, len(text)))  # noqa: S308 (escaped)


def snippet(text: str, terms: tuple[str, ...], size: int = SNIPPET_CHARS) -> SafeString:
    """About ``size`` characters of ``text`` around the first match, escaped and marked.

    Whitespace runs are collapsed; ``…`` marks cut ends, which fall between grapheme
    clusters. Without a match the snippet is the start of the text.
    """
    text = " ".join(text.split())
    spans = _spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - size // 3)
    end = min(len(text), start + size)
    start = max(0, min(start, end - size))
    start, end = snap_to_graphemes(text, start, end)  # never split 👨‍👩‍👧
    body = _render(text, spans, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308 (built from escaped pieces)
