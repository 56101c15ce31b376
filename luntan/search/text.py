"""Text folding and Chinese word segmentation for the search index and queries.

Every string that enters the index or a query goes through :func:`fold` first:
Unicode NFKC (full-width ``ＡＢＣ１２`` → ``ABC12``, compatibility forms), ``casefold``
(``ABC`` → ``abc``) and OpenCC's traditional → simplified conversion (``評警`` → ``评警``).

The folded text is then turned into *index tokens* by :func:`index_tokens`, which returns
one space-separated token string made of two streams:

- **words**: rjieba's search-mode segmentation (``中华人民共和国`` also yields ``中华``,
  ``人民``, ``共和国`` …) keeping only tokens of two or more CJK characters plus Latin
  words and numbers (``abc123``, ``2011``);
- **characters**: every CJK character on its own, in text order, with the Latin words and
  numbers between them (letters and digits split apart), so a quoted phrase or a one-character query (``警``) can be
  matched as a phrase of consecutive characters (an exact substring, after folding).

Both index backends (SQLite FTS5 with the ``unicode61`` tokenizer, PostgreSQL's
``simple`` configuration) split the token string on spaces only, because tokens contain
nothing but letters and digits. rjieba (a Rust binding of jieba-rs with jieba's
dictionary) was chosen over jieba: start-up 0.13 s vs 0.65 s and 12× faster search-mode
segmentation (7.6 M vs 0.63 M characters/s) on this machine (``python -m bench --only search`` prints both).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
import rjieba

from luntan import markup

# CJK ideographs (basic, extension A, compatibility, extensions B–G) and kana: matched one
# character per token in the character stream.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Letters and digits (no underscore): the only characters a token may hold.
_ALNUM_RUN = re.compile(r"[^\W_]+")
# One token of the character stream: a CJK character, a run of other letters, or a run of
# digits (``wifi6`` → ``wifi``, ``6``, so ``wifi`` finds it; the word stream keeps ``wifi6``).
_CHAR_TOKEN = re.compile(f"[{_CJK}]|(?:(?![{_CJK}])[^\\W\\d_])+|\\d+")

# Longest text (characters of folded plain text) indexed per field; the rest is ignored.
MAX_INDEXED_CHARS = 20_000


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """``text`` converted simplified → traditional (used to match stored user names)."""
    return _s2t().convert(text) if text else ""


def fold(text: str) -> str:
    """Return ``text`` width-, case- and script-folded: NFKC, casefold, traditional → simplified.

    >>> fold("ＡＢＣ 評警")
    'abc 评警'
    """
    if not text:
        return ""
    return _t2s().convert(unicodedata.normalize("NFKC", text).casefold())


def fold_char(ch: str) -> str:
    """Fold one character as :func:`fold` does (the result may be 0–n characters long)."""
    return fold(ch)


def is_cjk(token: str) -> bool:
    """True when ``token`` contains a CJK character (ideograph or kana)."""
    return bool(_CJK_CHAR.search(token))


def _clean(tokens: list[str]) -> list[str]:
    """Split segmenter output into letter/digit runs (drops spaces and punctuation)."""
    out: list[str] = []
    for token in tokens:
        out.extend(_ALNUM_RUN.findall(token))
    return out


def word_tokens(folded: str) -> list[str]:
    """Search-mode words of ``folded`` text: CJK words of ≥ 2 characters, Latin words, numbers."""
    return [
        t for t in _clean(rjieba.cut_for_search(folded)) if len(t) > 1 or not _CJK_CHAR.match(t)
    ]


def char_tokens(folded: str) -> list[str]:
    """The character stream of ``folded`` text: each CJK character, other alnum runs whole."""
    return _CHAR_TOKEN.findall(folded)


def index_tokens(text: str) -> str:
    """Return the space-separated index tokens (words, then characters) of raw ``text``.

    ``text`` is plain text (markup already removed); it is folded here and cut to
    :data:`MAX_INDEXED_CHARS`. Returns ``""`` for text without letters or digits.
    """
    folded = fold(text)[:MAX_INDEXED_CHARS]
    words = word_tokens(folded)
    chars = char_tokens(folded)
    return " ".join(words + chars)


def query_words(folded: str) -> list[str]:
    """Precise-mode words of a folded query term (CJK single characters kept)."""
    return _clean(rjieba.cut(folded))


def search_words(folded: str) -> list[str]:
    """Search-mode words of ``folded`` (all dictionary subwords), cleaned of punctuation."""
    return _clean(rjieba.cut_for_search(folded))


def is_dictionary_word(word: str) -> bool:
    """True when rjieba's dictionary holds ``word`` (so the index segments it the same way)."""
    return bool(rjieba.has_word(word))


HIDE_BLOCK = re.compile(r"\[hide(?:=[^\]]*)?\].*?\[/hide\]", re.IGNORECASE | re.DOTALL)
HIDE_OPEN = re.compile(r"\[hide(?:=[^\]]*)?\].*", re.IGNORECASE | re.DOTALL)


def strip_hidden(source: str) -> str:
    """Remove ``[hide]…[/hide]`` content (and an unclosed ``[hide]`` to the end) from BBCode.

    Innermost blocks go first, so nested hide boxes are removed whole.
    """
    previous = None
    while previous != source:
        previous = source
        source = HIDE_BLOCK.sub(" ", source)
    return HIDE_OPEN.sub(" ", source)


def plain_text(source: str, fmt: str) -> str:
    """Plain text of a post for indexing and snippets: [hide] content removed, markup stripped.

    Uses :func:`luntan.markup.render_plain`, which renders no hide-box content either.
    """

    return markup.render_plain(strip_hidden(source), fmt)
