"""@mentions (@用户名): turn mentions of existing members into profile links in the source.

Discuz! X3.4 (``post_newthread.php``/``post_newreply.php`` with ``$_G['group']['allowat']``)
finds ``@name`` followed by white space, keeps the names that are members, and rewrites
each as ``[url=home.php?mod=space&uid=N]@name[/url]`` in the stored message. luntan stores
the same shape with its own profile URL:

- BBCode: ``[url=/u/<id>/]@name[/url]``
- Markdown: ``[@name](/u/<id>/)``

Chinese text rarely puts a space after a name (``@张三你好``), so a mention is the longest
run of name characters after ``@`` whose *longest existing prefix* is a member
(``@张三你好`` → ``@张三`` when 张三 exists and 张三你好 does not). Unknown names stay text.
A prefix only counts where a name can end (:func:`_can_end`): at the end of the run, before
trailing ``.``/``-`` punctuation only (``@bob.``), or where a wide (CJK) character meets
another character (``@张三abc``, ``@bob你好``). Two Latin letters, digits or ``_`` next to
each other never split: ``@alice2``, ``@alicex`` and ``@bob_`` link nobody.
Mentions inside code, quotes, links, images and bare URLs are left alone, and so is an
``@`` right after a Latin letter, digit, ``_``, ``/``, ``.``, ``-`` or ``@`` (e-mail
addresses, URL paths); after a CJK character it starts a mention (``问@bob``).
At most :data:`MAX_MENTIONS` distinct names are linked per post (Discuz! ``atlimit``);
one query looks all candidates up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from luntan.accounts.models import User

MAX_MENTIONS = 30
NAME_MAX = 15  # User.username max_length (Discuz! usernames are 3–15 characters)

# A name is letters/digits (any script), "_", "." or "-" (the username validator's set).
# The whole run is taken (not only 15 characters), so that a name longer than any member's
# does not link its prefix.
# An "@" right after "@", "/", "." or "-" (or a narrow letter or digit, see _scan_plain)
# is part of an address or path.
_MENTION = re.compile(r"(?<![@/.\-])@([\w.\-]+)")
_TRAILING_PUNCTUATION = ".-"
_BARE_URL = re.compile(r"(?:https?|ftp)://[^\s\[\]<>\"']+|www\.[^\s\[\]<>\"']+", re.I)

# BBCode tags whose content is never scanned (code, quotes, links, images, e-mail links).
_PROTECTED_TAGS = frozenset(
    {"code", "php", "quote", "url", "img", "email", "attach", "media", "audio", "flash"}
)
_BB_TAG = re.compile(r"\[(/?)([A-Za-z]+)(?:=[^\[\]\n]*)?\]")

# Markdown spans never scanned: code spans, images and links, autolinks, raw HTML tags.
_MD_SPAN = re.compile(
    r"(`+)(?:.|\n)*?(?<!`)\1(?!`)"  # code span
    r"|!?\[[^\]\n]*\]\([^)\n]*\)"  # link or image
    r"|!?\[[^\]\n]*\]\[[^\]\n]*\]"  # reference link
    r"|<[^>\n]+>"  # autolink or raw HTML
)
_MD_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _wide(char: str) -> bool:
    """True for wide/full-width characters (CJK ideographs, kana, Hangul …): scripts
    written without spaces, where a name may be followed directly by other text."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _can_end(run: str, n: int) -> bool:
    """Whether a member's name may end after ``run[:n]`` (``0 < n <= len(run)``): at the
    end of the run, before nothing but ``.``/``-`` (sentence punctuation: ``@bob.``), or
    where one of the two characters meeting there is wide (``@张三你好``, ``@bob你好``)."""
    if not run[n:].strip(_TRAILING_PUNCTUATION):
        return True
    return _wide(run[n - 1]) or _wide(run[n])


def _candidates(run: str) -> list[str]:
    """The prefixes of the ``@`` run ``run`` that could be a whole name (at most
    :data:`NAME_MAX` characters, ending where :func:`_can_end` allows), longest first."""
    return [run[:n] for n in range(min(len(run), NAME_MAX), 0, -1) if _can_end(run, n)]


def _scan(text: str, found: list[tuple[int, int, str]], offset: int) -> None:
    """Collect ``(start, end, raw name run)`` of mentions in ``text`` outside bare URLs."""
    pos = 0
    for url in _BARE_URL.finditer(text):
        _scan_plain(text[pos : url.start()], found, offset + pos)
        pos = url.end()
    _scan_plain(text[pos:], found, offset + pos)


def _scan_plain(text: str, found: list[tuple[int, int, str]], offset: int) -> None:
    for m in _MENTION.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if before and (before.isalnum() or before == "_") and not _wide(before):
            continue  # mail@bob.example, x@bob
        found.append((offset + m.start(), offset + m.end(), m.group(1)))


def _bbcode_open_spans(source: str) -> list[tuple[int, int]]:
    """Spans of ``source`` outside protected BBCode tags (nesting-aware)."""
    spans: list[tuple[int, int]] = []
    depth: dict[str, int] = {}
    start = 0
    inside_code: str | None = None  # [code] content is raw: only its own end tag counts
    for tag in _BB_TAG.finditer(source):
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if inside_code is not None:
            if closing and name == inside_code:
                inside_code = None
                depth[name] = 0
                start = tag.end()
            continue
        if name not in _PROTECTED_TAGS:
            continue
        protected_before = any(depth.values())
        if closing:
            if depth.get(name):
                depth[name] -= 1
                if protected_before and not any(depth.values()):
                    start = tag.end()
        else:
            if not protected_before:
                spans.append((start, tag.start()))
            depth[name] = depth.get(name, 0) + 1
            if name in ("code", "php"):
                inside_code = name
    if not any(depth.values()) and inside_code is None:
        spans.append((start, len(source)))
    return spans


def _markdown_open_spans(source: str) -> list[tuple[int, int]]:
    """Spans of ``source`` outside code blocks, block quotes, indented code and the
    inline spans of :data:`_MD_SPAN`."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    pos = 0
    for line in source.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        opener = _MD_FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        if line.lstrip(" ").startswith(">") or line.startswith(("    ", "\t")):
            continue
        cut = line_start
        for span in _MD_SPAN.finditer(line):
            spans.append((cut, line_start + span.start()))
            cut = line_start + span.end()
        spans.append((cut, pos))
    return spans


def find_mentions(source: str, fmt: str) -> list[tuple[int, int, str]]:
    """Every ``(start, end, name run)`` of a possible mention in ``source`` (``fmt``
    ``"bbcode"`` or ``"markdown"``) outside code, quotes, links and URLs, in order."""
    if "@" not in source:
        return []
    open_spans = _markdown_open_spans(source) if fmt == "markdown" else _bbcode_open_spans(source)
    found: list[tuple[int, int, str]] = []
    for start, end in open_spans:
        if "@" in source[start:end]:
            _scan(source[start:end], found, start)
    return found


def link_mentions(source: str, fmt: str, lookup: Callable[[Iterable[str]], dict[str, int]]) -> str:
    """Return ``source`` with mentions of existing members written as links.

    ``lookup(names)`` returns ``{username: user id}`` for the names that exist (one
    query; see :func:`lookup_usernames`). The longest existing prefix of each ``@`` run
    wins; the rest of the run stays text after the link. Distinct names beyond
    :data:`MAX_MENTIONS` stay text. Never raises for a ``str`` source.
    """
    found = find_mentions(source, fmt)
    if not found:
        return source
    wanted: set[str] = set()
    for _start, _end, run in found:
        wanted.update(_candidates(run))
    known = lookup(wanted)
    if not known:
        return source
    out: list[str] = []
    pos = 0
    linked: set[str] = set()
    for start, _end, run in found:
        name = next((c for c in _candidates(run) if c in known), None)
        if name is None or (name not in linked and len(linked) >= MAX_MENTIONS):
            continue
        linked.add(name)
        uid = known[name]
        link = f"[@{name}](/u/{uid}/)" if fmt == "markdown" else f"[url=/u/{uid}/]@{name}[/url]"
        out.append(source[pos:start])
        out.append(link)
        pos = start + 1 + len(name)
    out.append(source[pos:])
    return "".join(out)


def lookup_usernames(names: Iterable[str]) -> dict[str, int]:
    """``{username: id}`` of the active members among ``names`` (one query, exact names)."""

    names = list(names)
    if not names:
        return {}
    return dict(
        User.objects.filter(username__in=names, is_active=True).values_list("username", "pk")
    )
