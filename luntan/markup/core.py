"""render() and render_plain(): a post's stored source → safe HTML / plain text."""

from __future__ import annotations

import logging
import re
from html import escape

from luntan.markup.bbcode import bbcode_plain, bbcode_to_html
from luntan.markup.markdown import markdown_plain, markdown_to_html
from luntan.markup.plaintext import tidy_plain
from luntan.markup.sanitize import sanitize_html

logger = logging.getLogger(__name__)

#: Version of the HTML that :func:`render` produces. Bump it whenever the output for some
#: input changes (a tag added, markup or sanitiser rules changed); posts store the version
#: they were rendered with, and the re-render command refreshes older ones.
RENDERER_VERSION = 2

BBCODE = "bbcode"
MARKDOWN = "markdown"
FORMATS = (BBCODE, MARKDOWN)

# Discuz! keeps a special thread's extra data after three NUL bytes in the OP's message
# (viewthread.php / messagecutstr()); it is not part of the text.
_SPECIAL_DATA_MARK = "\x00\x00\x00"
# C0/C1 controls other than tab and line feed, and the noncharacters U+FDD0–U+FDEF
# (never valid in interchanged text; the renderers use them as internal stand-ins).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown markup format {fmt!r}; expected one of {FORMATS}")


def prepare_source(source: str) -> str:
    """Normalise stored source before parsing: drop Discuz!'s special-thread data, turn
    CR LF and CR into LF, remove control characters (but tab and LF) and Unicode
    noncharacters, and replace unpaired surrogates, which cannot be encoded, by U+FFFD."""
    if not isinstance(source, str):
        raise TypeError(f"post source must be str, not {type(source).__name__}")
    cut = source.find(_SPECIAL_DATA_MARK)
    if cut >= 0:
        source = source[:cut]
    source = _SURROGATE.sub("\ufffd", source)
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", source)


def render(source: str, fmt: str = BBCODE) -> str:
    """Render a post's stored ``source`` to sanitised HTML.

    Args: ``source`` the text as stored; ``fmt`` ``"bbcode"`` (Discuz! X3.4 tag set, see
    ``docs/markup.md``) or ``"markdown"`` (CommonMark + tables + strikethrough).
    Returns: an HTML fragment (``str``) that passed the nh3 allow-list of
    :mod:`luntan.markup.sanitize`, ready for ``mark_safe`` in a template. Line breaks
    become ``<br>``; unknown or unbalanced tags stay as escaped text.
    Raises: ``ValueError`` for an unknown ``fmt``; ``TypeError`` if ``source`` is not a
    ``str``. Never raises for any ``str`` source (a renderer bug is logged and the text is
    shown escaped instead).
    Rules follow Discuz!'s ``source/function/function_discuzcode.php`` (``discuzcode()``).
    """
    check_format(fmt)
    text = prepare_source(source)
    try:
        html = bbcode_to_html(text) if fmt == BBCODE else markdown_to_html(text)
        return sanitize_html(html)
    except Exception:
        logger.exception("markup: rendering a %s post failed; showing it as text", fmt)
        return escape(text).replace("\n", "<br>")


def render_plain(source: str, fmt: str = BBCODE) -> str:
    """Plain text of a post for snippets and search.

    Args: as :func:`render`. Returns the text with all markup removed, quoted posts left
    out, ``[hide]`` content replaced by ``**** 本内容被作者隐藏 ****`` (never revealed),
    Discuz!'s edit notice (``[i=s] 本帖最后由 … 编辑 [/i]``) dropped, runs of blank lines
    collapsed and ASCII white space trimmed at both ends (U+3000 indents are kept).
    Follows ``messagecutstr()`` in Discuz!'s ``source/function/function_post.php``, except
    that code, tables and links keep their text here. Raises like :func:`render`; never
    raises for a ``str`` source.
    """
    check_format(fmt)
    text = prepare_source(source)
    try:
        if fmt == BBCODE:
            return bbcode_plain(text)
        return tidy_plain(markdown_plain(text))
    except Exception:
        logger.exception("markup: plain text of a %s post failed; using the source", fmt)
        return tidy_plain(text)
