"""quote_source(): the BBCode stored when a member quotes a post (引用)."""

from __future__ import annotations

import re

from luntan.markup.bbcode import bbcode_plain
from luntan.markup.bbcode.registry import TAGS
from luntan.markup.core import BBCODE, check_format, prepare_source
from luntan.markup.markdown import markdown_plain
from luntan.markup.plaintext import cut_width, tidy_plain
from luntan.markup.smilies import strip_numbered_smilies

EXCERPT_WIDTH = 100  # messagecutstr($message, 100) in post_newreply.php
EXCERPT_LINES = 3  # array_slice(explode("\n", $message), 0, 3)
DOTS = " ..."
QUOTE_HEADER_COLOR = "#999999"

_TAG_TOKEN = re.compile(r"\[(/?)([A-Za-z][A-Za-z0-9]{0,15}|\*)(=[^\[\]\n]*)?\]")


def _defuse(text: str) -> str:
    """Make tags that were literal text in the quoted post stay literal inside the quote
    (a stray ``[/quote]`` would otherwise end it early): their ``[`` becomes ``［``."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        return "［" + token[1:] if match.group(2).lower() in TAGS else token

    return _TAG_TOKEN.sub(replace, text)


def quote_excerpt(source: str, fmt: str) -> str:
    """The quoted post's text as Discuz! puts it into a quote: plain text without nested
    quotes, hidden content, edit notice, code, tables or images, numbered smilies
    removed, cut to 100 display units (a CJK character counts 2) with ``" ..."``, at most
    three lines (``post_newreply.php`` with ``messagecutstr()`` and ``cutstr()``).
    A password post (密码帖, ``[password]…[/password]``) gives ``""``: its protected
    content never reaches a quote (as :func:`luntan.markup.render_plain`)."""
    check_format(fmt)
    text = prepare_source(source)
    if fmt == BBCODE and "[/password]" in text.lower():
        return ""
    plain = bbcode_plain(text, for_quote=True) if fmt == BBCODE else markdown_plain(text)
    plain = tidy_plain(strip_numbered_smilies(plain))
    cut = cut_width(plain, EXCERPT_WIDTH, DOTS)
    lines = cut.split("\n")
    if len(lines) > EXCERPT_LINES:
        lines = lines[:EXCERPT_LINES]
        if not lines[-1].endswith(DOTS):
            lines[-1] += DOTS
    return "\n".join(line.rstrip() for line in lines)


def quote_source(
    author_name: str, created_local_text: str, post_url: str, source: str, fmt: str
) -> str:
    """BBCode for quoting a post, in Discuz! X3.4's format (``post_newreply.php``)::

        [quote][size=2][url={post_url}][color=#999999]{author_name} 发表于 {created_local_text}[/color][/url][/size]
        {excerpt}[/quote]

    followed by a line break. Args: ``author_name`` as shown; ``created_local_text`` the
    quoted post's time in the site's zone as Discuz! formats it (``2011-6-10 13:56``);
    ``post_url`` the quoted post's permalink (luntan writes ``/p/<id>/``); ``source`` and
    ``fmt`` (``"bbcode"``/``"markdown"``) the quoted post. The excerpt is
    :func:`quote_excerpt`; tags that were literal text there are defused so they can't
    close the quote. ``render()`` shows the header as a grey link line.
    Raises ``ValueError`` for an unknown ``fmt``.
    """
    excerpt = _defuse(quote_excerpt(source, fmt))
    name = _defuse(" ".join(author_name.split()))
    when = _defuse(" ".join(created_local_text.split()))
    url = "".join(post_url.split()).replace("[", "%5B").replace("]", "%5D")
    return (
        f"[quote][size=2][url={url}][color={QUOTE_HEADER_COLOR}]{name} 发表于 {when}"
        f"[/color][/url][/size]\n{excerpt}[/quote]\n"
    )
