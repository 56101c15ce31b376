"""Smiley codes.

Posts keep smiley codes in their source (``:)``, ``{:3_44:}``). When the site has a
smiley table (Discuz!'s ``common_smiley``, imported into
:class:`luntan.core.models.Smiley`), :func:`luntan.markup.render` shows each code found
in the text of a BBCode post as its image, or as the readable Unicode emoji kept beside
it when the image is missing — the way Discuz!'s ``discuzcode()`` replaces
``$_G['cache']['smilies']['searcharray']`` outside ``[code]``. Without a table (a new
site) codes stay readable text. Quote excerpts drop the numbered ``{:2_25:}`` codes,
which mean nothing without their image, as Discuz!'s ``messagecutstr()`` drops smilies.

This module holds no models: the app that owns the table registers a provider with
:func:`set_provider` (``luntan.core`` does, in ``CoreConfig.ready``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape

NUMBERED_SMILEY = re.compile(r"\{:\d{1,4}_\d{1,6}:\}")

#: Discuz! X3.4's default set (``static/image/smiley/default``) by image file name, as
#: readable Unicode emoji: shown when a smiley's image is missing.
DEFAULT_EMOJI: dict[str, str] = {
    "smile.gif": "🙂",
    "sad.gif": "🙁",
    "biggrin.gif": "😀",
    "cry.gif": "😢",
    "huffy.gif": "😤",
    "shocked.gif": "😲",
    "tongue.gif": "😛",
    "shy.gif": "😊",
    "titter.gif": "🤭",
    "sweat.gif": "😓",
    "mad.gif": "😠",
    "lol.gif": "😂",
    "loveliness.gif": "🥰",
    "funk.gif": "😱",
    "curse.gif": "🤬",
    "dizzy.gif": "😵",
    "shutup.gif": "🤐",
    "sleepy.gif": "😪",
    "hug.gif": "🤗",
    "victory.gif": "✌️",
    "time.gif": "⏰",
    "kiss.gif": "😘",
    "handshake.gif": "🤝",
    "call.gif": "📞",
}
#: The emoji for a smiley of another set whose image is missing.
GENERIC_EMOJI = "🙂"


def fallback_emoji(filename: str) -> str:
    """The readable Unicode emoji for a Discuz! smiley image ``filename`` (``smile.gif``
    → 🙂; a file of another set → :data:`GENERIC_EMOJI`)."""
    return DEFAULT_EMOJI.get(filename.rsplit("/", 1)[-1].lower(), GENERIC_EMOJI)


@dataclass(frozen=True)
class SmileyTable:
    """The site's smilies: ``html`` maps each code to the HTML shown for it (an
    ``<img class="smiley">`` or escaped emoji text). Build with :func:`make_table`."""

    html: Mapping[str, str] = field(default_factory=dict)
    pattern: re.Pattern[str] | None = None
    first_chars: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.html)


EMPTY = SmileyTable()


def smiley_img(code: str, url: str) -> str:
    """The ``<img>`` for smiley ``code`` whose image is at ``url`` (site-relative or
    http(s)); the sanitiser checks ``src`` again."""
    label = escape(code, quote=True)
    return f'<img class="smiley" src="{escape(url, quote=True)}" alt="{label}" title="{label}">'


def make_table(entries: Mapping[str, str]) -> SmileyTable:
    """A :class:`SmileyTable` from ``{code: html}`` (empty codes are ignored). Longer
    codes win over their prefixes (``:lol`` before ``:l``)."""
    html = {code: value for code, value in entries.items() if code}
    if not html:
        return EMPTY
    codes = sorted(html, key=lambda c: (-len(c), c))
    pattern = re.compile("|".join(re.escape(c) for c in codes))
    return SmileyTable(html, pattern, frozenset(c[0] for c in codes))


logger = logging.getLogger(__name__)
_provider: Callable[[], SmileyTable] | None = None
_memo: tuple[float, SmileyTable] | None = None
#: Seconds a process keeps the provider's table before asking again (the provider
#: itself caches in the shared cache; this spares a cache round trip per post rendered).
MEMO_SECONDS = 2.0


def set_provider(provider: Callable[[], SmileyTable] | None) -> None:
    """Register the function that returns the site's :class:`SmileyTable`."""
    global _provider
    _provider = provider
    forget()


def pin(table: SmileyTable) -> None:
    """Use ``table`` in this process until :func:`forget` (tests start with an empty
    one, so that rendering never queries behind a pinned query count)."""
    global _memo
    _memo = (float("inf"), table)


def forget() -> None:
    """Drop this process's copy of the table (after the smilies changed)."""
    global _memo
    _memo = None


def current_table() -> SmileyTable:
    """The site's smiley table (:data:`EMPTY` when no provider is registered)."""
    global _memo
    if _provider is None:
        return EMPTY
    now = time.monotonic()
    if _memo is not None and now < _memo[0]:
        return _memo[1]
    try:
        table = _provider()
    except Exception:  # no database (a test without one, a broken connection): no table
        logger.debug("markup: the site table is not available", exc_info=True)
        table = EMPTY
    _memo = (now + MEMO_SECONDS, table)
    return table


def split_smilies(value: str, table: SmileyTable) -> list[tuple[bool, str]]:
    """``value`` cut into ``(is_smiley, text)`` pieces: literal text, and the HTML of
    each smiley code found (left to right, longest code first)."""
    if not table or table.pattern is None or not (table.first_chars & set(value)):
        return [(False, value)]
    out: list[tuple[bool, str]] = []
    last = 0
    for match in table.pattern.finditer(value):
        if match.start() > last:
            out.append((False, value[last : match.start()]))
        out.append((True, table.html[match.group(0)]))
        last = match.end()
    if last < len(value):
        out.append((False, value[last:]))
    return out


def strip_numbered_smilies(text: str) -> str:
    """Remove ``{:TYPE_ID:}`` smiley codes from ``text``."""
    return NUMBERED_SMILEY.sub("", text)
