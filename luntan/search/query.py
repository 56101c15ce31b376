"""Parse what a visitor typed into a backend-neutral query tree.

Syntax (after :func:`luntan.search.text.fold`): words separated by spaces must all match
(AND); ``"quoted text"`` (also “…”, 「…」, 『…』) matches those characters in order;
a leading ``-`` excludes a word or a quoted phrase. A word is segmented with rjieba
(precise mode) and every resulting word must be present:

- a dictionary word of ≥ 2 CJK characters, a Latin word or a number → :class:`Word`
  (one index token); a dictionary word of ≥ 4 characters may also match as all of its
  subwords (``注意安全`` → 注意 AND 安全); letters+digits (``rtx4070``) match as
  consecutive tokens (``RTX 4070``);
- a word rjieba's dictionary lacks (found by its HMM, e.g. ``评警``) → ``Word`` *or* the
  same characters in order (:class:`Chars`), because the HMM may cut it differently
  inside a longer text;
- consecutive single CJK characters → :class:`Chars` (a phrase of characters), so a
  one-character query such as ``警`` works; one-character function words (的, 了 …) are
  dropped when the term has other words.

Trees are plain frozen dataclasses; backends compile them (with proper escaping) into
FTS5 ``MATCH`` strings or PostgreSQL ``tsquery`` text passed as query parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luntan.search.text import (
    char_tokens,
    fold,
    is_cjk,
    is_dictionary_word,
    query_words,
    search_words,
)

MAX_QUERY_LENGTH = 100  # characters; longer input is cut
MAX_CLAUSES = 12  # words and phrases kept from one query

STOP_CHARS = frozenset("的了是在和与及或之也就都而我你他她它们吗呢吧啊")

_QUOTES = re.compile(r'"([^"]*)"?|“([^”]*)”?|「([^」]*)」?|『([^』]*)』?')


@dataclass(frozen=True)
class Word:
    """One index token (folded), matched anywhere in the field."""

    token: str


@dataclass(frozen=True)
class Chars:
    """Tokens of the character stream that must appear consecutively (a phrase)."""

    tokens: tuple[str, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one of ``parts`` matches (OR)."""

    parts: tuple[Clause, ...]


@dataclass(frozen=True)
class AllOf:
    """Every one of ``parts`` matches (AND)."""

    parts: tuple[Clause, ...]


Clause = Word | Chars | AnyOf | AllOf


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: ``include`` must all match, no ``exclude`` may match.

    ``highlight`` holds the folded strings to mark in snippets (longest first).
    """

    include: tuple[Clause, ...] = ()
    exclude: tuple[Clause, ...] = ()
    highlight: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when nothing positive is left to search for."""
        return not self.include


def _term_clause(term: str) -> Clause | None:
    """Clause for one unquoted, folded term, or None when it holds no letters/digits."""
    words = query_words(term)
    parts: list[Clause] = []
    run: list[str] = []
    has_long = any(len(w) > 1 or not is_cjk(w) for w in words)

    def flush() -> None:
        if not run:
            return
        if has_long and all(ch in STOP_CHARS for ch in run):
            run.clear()
            return
        parts.append(Chars(tuple(run)))
        run.clear()

    for w in words:
        if len(w) == 1 and is_cjk(w):
            run.append(w)
            continue
        flush()
        parts.append(_word_clause(w))
    flush()
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _subword_cover(word: str) -> list[str] | None:
    """Split a long dictionary word into its search-mode subwords (``注意安全`` → 注意, 安全).

    Greedy longest-first, non-overlapping; None unless subwords of ≥ 2 characters cover
    every character (``研究生`` has only ``研究``, so it stays whole).
    """
    subwords = {s for s in search_words(word) if s != word and len(s) > 1}
    cover: list[str] = []
    pos = 0
    while pos < len(word):
        best = max((s for s in subwords if word.startswith(s, pos)), key=len, default=None)
        if best is None:
            return None
        cover.append(best)
        pos += len(best)
    return cover if len(cover) > 1 else None


def _word_clause(word: str) -> Clause:
    """Clause for one segmented query word (not a lone CJK character)."""
    if not is_cjk(word):
        pieces = char_tokens(word)
        # ``rtx4070`` must also find ``RTX 4070``: letters and digits as consecutive tokens.
        return Chars(tuple(pieces)) if len(pieces) > 1 else Word(word)
    if not is_dictionary_word(word):
        return AnyOf((Word(word), Chars(tuple(char_tokens(word)))))
    cover = _subword_cover(word) if len(word) >= 4 else None
    if cover:
        return AnyOf((Word(word), AllOf(tuple(Word(s) for s in cover))))
    return Word(word)


def _phrase_clause(text: str) -> Clause | None:
    tokens = tuple(char_tokens(text))
    if not tokens:
        return None
    return Chars(tokens)


def _phrase_display(tokens: list[str]) -> str:
    """How a phrase looks in folded text: CJK characters joined, other tokens spaced."""
    out = ""
    for token in tokens:
        if out and not (is_cjk(token[0]) and is_cjk(out[-1])):
            out += " "
        out += token
    return out


def parse_query(raw: str) -> ParsedQuery:
    """Parse ``raw`` (what the visitor typed) into a :class:`ParsedQuery`.

    At most :data:`MAX_QUERY_LENGTH` characters and :data:`MAX_CLAUSES` words/phrases are
    used. Never raises: unparseable input gives an empty query (``is_empty``).
    """
    text = fold(raw or "")[:MAX_QUERY_LENGTH]
    pieces: list[tuple[bool, bool, str]] = []  # (negated, is_phrase, text)
    pos = 0
    for match in _QUOTES.finditer(text):
        before = text[pos : match.start()]
        negate_phrase = before.endswith("-") and (len(before) == 1 or before[-2].isspace())
        if negate_phrase:
            before = before[:-1]
        pieces.extend(_split_terms(before))
        phrase = next(g for g in match.groups() if g is not None)
        pieces.append((negate_phrase, True, phrase))
        pos = match.end()
    pieces.extend(_split_terms(text[pos:]))

    include: list[Clause] = []
    exclude: list[Clause] = []
    highlight: list[str] = []
    for negated, is_phrase, piece in pieces[: MAX_CLAUSES * 2]:
        clause = _phrase_clause(piece) if is_phrase else _term_clause(piece)
        if clause is None:
            continue
        if negated:
            exclude.append(clause)
        else:
            include.append(clause)
            if is_phrase:
                highlight.append(_phrase_display(char_tokens(piece)))
            else:
                highlight.extend(_highlight_strings(clause))
    unique = sorted(set(h for h in highlight if h), key=lambda s: (-len(s), s))
    return ParsedQuery(tuple(include[:MAX_CLAUSES]), tuple(exclude[:MAX_CLAUSES]), tuple(unique))


def _split_terms(text: str) -> list[tuple[bool, bool, str]]:
    out = []
    for term in text.split():
        negated = term.startswith("-") and len(term) > 1
        out.append((negated, False, term[1:] if negated else term))
    return out


def _highlight_strings(clause: Clause) -> list[str]:
    if isinstance(clause, Word):
        return [clause.token]
    if isinstance(clause, Chars):
        return [_phrase_display(list(clause.tokens))]
    strings: list[str] = []
    for part in clause.parts:
        strings.extend(_highlight_strings(part))
    return strings
