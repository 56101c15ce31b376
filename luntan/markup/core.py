"""render() and render_plain(): a post's stored source → safe HTML / plain text."""

from __future__ import annotations

import logging
import re
from html import escape

from luntan.markup import limits
from luntan.markup.bbcode import bbcode_counts, bbcode_plain, bbcode_to_html
from luntan.markup.limits import BudgetExceeded, MarkupLimitError
from luntan.markup.markdown import markdown_counts, markdown_plain, markdown_to_html
from luntan.markup.plaintext import tidy_plain
from luntan.markup.sanitize import sanitize_html

logger = logging.getLogger(__name__)

#: Version of the HTML that :func:`render` produces. Bump it whenever the output for some
#: input changes (a tag added, markup or sanitiser rules changed); posts store the version
#: they were rendered with, and the re-render command refreshes older ones.
RENDERER_VERSION = 4

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


def _as_text(text: str) -> str:
    """The plain-text fallback: escaped text with ``<br>`` line breaks (linear time)."""
    return escape(text).replace("\n", "<br>")


def _degraded(text: str) -> str:
    """A source over the render budget: the notice, then the source as escaped text."""
    return f'<div class="markup-notice">{escape(limits.DEGRADED_NOTICE)}</div>{_as_text(text)}'


def render(source: str, fmt: str = BBCODE) -> str:
    """Render a post's stored ``source`` to sanitised HTML.

    Args: ``source`` the text as stored; ``fmt`` ``"bbcode"`` (Discuz! X3.4 tag set, see
    ``docs/markup.md``) or ``"markdown"`` (CommonMark + tables + strikethrough).
    Returns: an HTML fragment (``str``) that passed the nh3 allow-list of
    :mod:`luntan.markup.sanitize`, ready for ``mark_safe`` in a template. Line breaks
    become ``<br>``; unknown or unbalanced tags stay as escaped text.
    Work is bounded by :func:`luntan.markup.limits.render_budget`: a source over the
    budget (bytes, elements, or HTML size) comes back as escaped plain text under
    :data:`~luntan.markup.limits.DEGRADED_NOTICE` — this function refuses nothing;
    inputs are refused earlier by :func:`check_input`.
    Raises: ``ValueError`` for an unknown ``fmt``; ``TypeError`` if ``source`` is not a
    ``str``. Never raises for any ``str`` source (a renderer bug is logged and the text is
    shown escaped instead).
    Rules follow Discuz!'s ``source/function/function_discuzcode.php`` (``discuzcode()``).
    """
    check_format(fmt)
    budget = limits.render_budget()
    if len(source) * 4 > budget.max_source_bytes and (
        limits.utf8_size(source) > budget.max_source_bytes
    ):
        return _degraded(prepare_source(source))
    text = prepare_source(source)
    try:
        if fmt == BBCODE:
            html = bbcode_to_html(text, budget.max_elements)
        else:
            html = markdown_to_html(text, budget.max_elements)
        if len(html) > budget.max_html_chars:
            return _degraded(text)
        html = sanitize_html(html)
    except BudgetExceeded:
        return _degraded(text)
    except Exception:
        logger.exception("markup: rendering a %s post failed; showing it as text", fmt)
        return _as_text(text)
    return _degraded(text) if len(html) > budget.max_html_chars else html


def check_input(source: str, fmt: str, kind: str) -> None:
    """Refuse a member's markup input that is over a cap of :mod:`luntan.markup.limits`.

    Args: ``source`` as typed; ``fmt`` ``"bbcode"``/``"markdown"``; ``kind`` one of
    ``"post"`` (new thread, reply, edit), ``"preview"``, ``"signature"``, ``"pm"``.
    The UTF-8 size is checked first, before anything is parsed; then the markup
    elements (at most ``LUNTAN_MARKUP_MAX_ELEMENTS``, parsing stops there), images
    (``LUNTAN_MARKUP_MAX_IMAGES``) and smilies (``LUNTAN_MARKUP_MAX_SMILIES``) are
    counted. The caps hold for everyone, staff included.
    Returns ``None``. Raises :class:`~luntan.markup.limits.MarkupLimitError` (a
    ``ValidationError`` with code ``too_large``, ``too_complex``, ``too_many_images`` or
    ``too_many_smilies`` and a message saying what is counted); ``ValueError`` for an
    unknown ``fmt`` or ``kind``.
    """
    check_format(fmt)
    limits.check_size(source, kind)
    caps = limits.caps_for(kind)
    text = prepare_source(source)
    counts = bbcode_counts if fmt == BBCODE else markdown_counts
    try:
        _elements, images = counts(text, caps.max_elements or None)
    except BudgetExceeded:
        raise limits.count_error("too_complex", caps.max_elements, caps.max_elements) from None
    if caps.max_images and images > caps.max_images:
        raise limits.count_error("too_many_images", images, caps.max_images)
    if caps.max_smilies:
        smilies = limits.count_smilies(text)
        if smilies > caps.max_smilies:
            raise limits.count_error("too_many_smilies", smilies, caps.max_smilies)


def render_preview(source: str, fmt: str = BBCODE) -> str:
    """HTML for the editor's 预览: :func:`render` of ``source`` when it passes
    :func:`check_input` (kind ``"preview"``), else the refusal's message in a
    ``<div class="markup-refused">`` — nothing over the caps is parsed.

    Raises ``ValueError`` for an unknown ``fmt``; never raises for a ``str`` source."""
    try:
        check_input(source, fmt, limits.PREVIEW)
    except MarkupLimitError as error:
        message = " ".join(str(m) for m in error.messages)
        return f'<div class="markup-refused">{escape(message)}</div>'
    return render(source, fmt)


def render_plain(source: str, fmt: str = BBCODE) -> str:
    """Plain text of a post for snippets and search.

    Args: as :func:`render`. Returns the text with all markup removed, quoted posts left
    out, ``[hide]`` content replaced by ``**** 本内容被作者隐藏 ****`` (never revealed),
    Discuz!'s edit notice (``[i=s] 本帖最后由 … 编辑 [/i]``) dropped, a password post
    (``[password]…[/password]``) empty, runs of blank lines
    collapsed and ASCII white space trimmed at both ends (U+3000 indents are kept).
    Follows ``messagecutstr()`` in Discuz!'s ``source/function/function_post.php``, except
    that code, tables and links keep their text here. Raises like :func:`render`; never
    raises for a ``str`` source.
    """
    check_format(fmt)
    text = prepare_source(source)
    if fmt == BBCODE and "[/password]" in text.lower():
        return ""  # 密码帖: locked content never reaches search, snippets or quotes
    try:
        if fmt == BBCODE:
            return bbcode_plain(text)
        return tidy_plain(markdown_plain(text))
    except Exception:
        logger.exception("markup: plain text of a %s post failed; using the source", fmt)
        return tidy_plain(text)
