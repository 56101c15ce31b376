"""Link-like tags: url email img attach media audio flash swf.

Follows ``parseurl``, ``parseemail``, ``parseimg``, ``bbcodeurl`` and ``parsemedia`` in
Discuz!'s ``source/function/function_discuzcode.php``, with every URL checked by
:func:`luntan.markup.urls.safe_url`. A URL that fails the check is shown as text (or, for
``[url=…]text[/url]``, the text without a link). Media players are not embedded: media,
audio and flash render as a plain link.
"""

from __future__ import annotations

import re
from typing import Any

from luntan.markup.bbcode.htmlutil import attrs, esc, literal, text_html
from luntan.markup.bbcode.nodes import (
    CHILDREN,
    INVALID,
    SIMPLE,
    Element,
    PlainChildren,
    RenderChildren,
    TagSpec,
    no_arg,
)
from luntan.markup.urls import IMAGE_SCHEMES, safe_url

LINKS = frozenset({"url", "email"})
_EMAIL = re.compile(r"[A-Za-z0-9\-_.+]+@[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_.]+")
_SHORTEN_AT = 65  # Discuz! shortens the shown text of long bare URLs


def _simple_without_arg(arg: Any) -> str:
    return SIMPLE if arg is None else CHILDREN


def _any_arg(arg: str | None) -> Any:
    if arg is None:
        return None
    return arg or INVALID


def _shorten(url: str) -> str:
    if len(url) <= _SHORTEN_AT:
        return url
    return url[: _SHORTEN_AT // 2] + " ... " + url[-int(_SHORTEN_AT * 0.3) :]


def _render_url(el: Element, children: RenderChildren) -> str:
    if el.arg is None:
        target = el.content.strip()
        href = safe_url(target)
        if href is None:
            return text_html(el.content)
        return f"<a{attrs(href=href)}>{esc(_shorten(target))}</a>"
    inner = children(el.children)
    href = safe_url(el.arg)
    if href is None:
        return inner
    return f"<a{attrs(href=href)}>{inner or esc(_shorten(el.arg))}</a>"


def _plain_url(el: Element, children: PlainChildren, for_quote: bool) -> str:
    if el.arg is None:
        return el.content.strip()
    return children(el.children) or el.arg


def _parse_email(arg: str | None) -> Any:
    if arg is None:
        return None
    return arg if _EMAIL.fullmatch(arg) else INVALID


def _render_email(el: Element, children: RenderChildren) -> str:
    if el.arg is None:
        address = el.content.strip()
        if not _EMAIL.fullmatch(address):
            return text_html(el.content)
        return f"<a{attrs(href='mailto:' + address)}>{esc(address)}</a>"
    return f"<a{attrs(href='mailto:' + el.arg)}>{children(el.children) or esc(el.arg)}</a>"


def _plain_email(el: Element, children: PlainChildren, for_quote: bool) -> str:
    if for_quote:  # messagecutstr() drops [email] with its text
        return ""
    return el.content.strip() if el.arg is None else children(el.children)


_IMG_SIZE = re.compile(r"(\d{1,4})[x,](\d{1,4})", re.IGNORECASE)


def _parse_img(arg: str | None) -> Any:
    """``[img]`` or ``[img=width,height]`` (also ``WxH``, as Discuz! accepts)."""
    if arg is None:
        return None
    m = _IMG_SIZE.fullmatch(arg)
    return (int(m.group(1)), int(m.group(2))) if m else INVALID


#: Largest ``width``/``height`` attributes an ``[img=w,h]`` gets, in CSS px; bigger sizes
#: are scaled down keeping the aspect ratio (Discuz!'s ``imagemaxwidth`` defaults to 600).
#: The stylesheet then fits images to the content width (``.t_f img { max-width: 100% }``).
IMG_MAX_WIDTH = 600
IMG_MAX_HEIGHT = 2400


def clamp_image_size(width: int, height: int) -> tuple[int, int]:
    """``(width, height)`` in px (0: not given) scaled down to at most
    :data:`IMG_MAX_WIDTH` × :data:`IMG_MAX_HEIGHT`, keeping the ratio; a given size never
    drops below 1."""
    for limit, index in ((IMG_MAX_WIDTH, 0), (IMG_MAX_HEIGHT, 1)):
        size = (width, height)[index]
        if size > limit:
            scale = limit / size
            width = max(1, round(width * scale)) if width else 0
            height = max(1, round(height * scale)) if height else 0
    return width, height


def _render_img(el: Element, children: RenderChildren) -> str:
    src = safe_url(el.content, schemes=IMAGE_SCHEMES)
    if src is None:
        return text_html(el.content)
    width, height = clamp_image_size(*(el.arg or (0, 0)))
    return f"<img{attrs(src=src, alt='', width=width or None, height=height or None)}>"


def _drop(el: Element, children: PlainChildren, for_quote: bool) -> str:
    return ""


def _render_attach(el: Element, children: RenderChildren) -> str:
    aid = el.content.strip()
    if not (aid.isascii() and aid.isdigit() and len(aid) <= 10):
        return literal(el)
    aid = str(int(aid))
    return f'<span class="attach-placeholder"{attrs(data_aid=aid)}>附件 {aid}</span>'


def _render_media_link(el: Element, children: RenderChildren) -> str:
    url = el.content.strip()
    href = safe_url(url)
    if href is None:
        return text_html(el.content)
    return f"<a{attrs(href=href)}>{esc(_shorten(url))}</a>"


_MEDIA_ARG = re.compile(r"[\w%,]{1,64}")
_FLASH_ARG = re.compile(r"\d{1,4},\d{1,4}")


def _matching(pattern: re.Pattern[str], optional: bool = False):
    def parse(arg: str | None) -> Any:
        if arg is None:
            return None if optional else INVALID
        return arg if pattern.fullmatch(arg) else INVALID

    return parse


def _parse_audio(arg: str | None) -> Any:
    return arg if arg in (None, "1") else INVALID


def _simple(arg: Any) -> str:
    return SIMPLE


TAGS = [
    TagSpec(
        "url",
        _render_url,
        parse_arg=_any_arg,
        content=_simple_without_arg,
        plain=_plain_url,
        excludes=LINKS,
    ),
    TagSpec(
        "email",
        _render_email,
        parse_arg=_parse_email,
        content=_simple_without_arg,
        plain=_plain_email,
        excludes=LINKS,
    ),
    TagSpec("img", _render_img, parse_arg=_parse_img, content=_simple, plain=_drop),
    TagSpec("attach", _render_attach, parse_arg=no_arg, content=_simple, plain=_drop),
    TagSpec(
        "media",
        _render_media_link,
        parse_arg=_matching(_MEDIA_ARG),
        content=_simple,
        plain=_drop,
    ),
    TagSpec("audio", _render_media_link, parse_arg=_parse_audio, content=_simple, plain=_drop),
    TagSpec(
        "flash",
        _render_media_link,
        parse_arg=_matching(_FLASH_ARG, optional=True),
        content=_simple,
        plain=_drop,
    ),
    TagSpec("swf", _render_media_link, parse_arg=no_arg, content=_simple, plain=_drop),
]
