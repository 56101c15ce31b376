"""Text formatting tags: b i u s color backcolor size font align indent hr p float.

Semantics follow the ``str_replace``/``preg_replace`` table in Discuz!'s
``source/function/function_discuzcode.php`` (``discuzcode()``); arguments that Discuz!
wouldn't match leave the tag as literal text. Colours, sizes and fonts become inline
``style`` declarations built only from validated values (the sanitiser filters ``style``
down to color, background-color, font-size, font-family and text-align again).
"""

from __future__ import annotations

import re
from typing import Any

import webcolors

from luntan.markup.bbcode.htmlutil import attrs
from luntan.markup.bbcode.nodes import (
    EMPTY,
    INVALID,
    Element,
    PlainChildren,
    RenderChildren,
    TagSpec,
    no_arg,
)

# -- argument parsers ----------------------------------------------------------------------

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_NAMED = re.compile(r"[A-Za-z]{1,30}")
#: CSS colour keywords (CSS Color Module Level 3 via ``webcolors``, plus Level 4's
#: ``rebeccapurple``); ``transparent``, ``currentcolor`` and the CSS-wide keywords are not
#: colours a post may choose.
COLOR_NAMES = frozenset(webcolors.names("css3")) | {"rebeccapurple"}
_RGB = re.compile(
    r"(rgba?)\(\s*(\d{1,3}%?)\s*,\s*(\d{1,3}%?)\s*,\s*(\d{1,3}%?)\s*"
    r"(?:,\s*(0|1|0?\.\d{1,3})\s*)?\)",
    re.IGNORECASE,
)


def parse_color(arg: str | None) -> Any:
    """``#999`` or ``#999999`` (``999999`` too: Discuz! posts often omit the ``#``), a CSS
    colour name of :data:`COLOR_NAMES` (``Red``, ``DarkOrange``), ``rgb(1, 2, 3)`` or
    ``rgba(…, 0.5)`` (Discuz!'s colour picker writes these) → a CSS colour, lower case;
    anything else → INVALID."""
    if not arg:
        return INVALID
    if m := _HEX.fullmatch(arg):
        return "#" + m.group(1).lower()
    if _NAMED.fullmatch(arg):
        return arg.lower() if arg.lower() in COLOR_NAMES else INVALID
    if m := _RGB.fullmatch(arg):
        channels = ", ".join(m.group(i) for i in (2, 3, 4))
        if m.group(5) is not None:
            return f"rgba({channels}, {m.group(5)})"
        return f"rgb({channels})"
    return INVALID


# [size=1..7] is HTML's <font size>; these are the browsers' default sizes for it.
FONT_SIZES_PX = {1: 10, 2: 13, 3: 16, 4: 18, 5: 24, 6: 32, 7: 48}
PX_RANGE = (8, 72)
PT_RANGE = (6, 54)
_SIZE_UNIT = re.compile(r"(\d{1,3})(\.\d{1,5})?(px|pt)", re.IGNORECASE)


def parse_size(arg: str | None) -> Any:
    """``1``..``7`` (clamped; up to two digits as Discuz! accepts) or ``12px``/``10.5pt``
    (clamped to 8–72px / 6–54pt) → a CSS font-size."""
    if arg is None:
        return INVALID
    if arg.isascii() and arg.isdigit() and len(arg) <= 2:
        return f"{FONT_SIZES_PX[min(max(int(arg), 1), 7)]}px"
    if m := _SIZE_UNIT.fullmatch(arg):
        unit = m.group(3).lower()
        low, high = PX_RANGE if unit == "px" else PT_RANGE
        value = float(m.group(1) + (m.group(2) or ""))
        value = min(max(value, low), high)
        return f"{value:g}{unit}"
    return INVALID


def parse_text_color(arg: str | None) -> Any:
    """``[color=…]``/``[backcolor=…]``: :func:`parse_color`, except that a word that is no
    CSS colour (``[color=notacolor]``) is ``None``: the content is shown unstyled rather
    than as literal tags. Anything else that is no colour (CSS syntax) → INVALID."""
    color = parse_color(arg)
    if color is INVALID and arg and _NAMED.fullmatch(arg):
        return None
    return color


#: ``[font=…]`` families a post may use: the editor's list in Discuz! X3.4
#: (``static/js/editor.js`` fontoptions: 仿宋_GB2312 黑体 楷体_GB2312 宋体 新宋体 微软雅黑
#: Trebuchet MS Tahoma Arial Impact Verdana Times New Roman), their short CJK names and
#: the Latin names of the same Windows/macOS fonts, and CSS generic families. Matched
#: case-insensitively; the spelling here is what the page gets.
FONT_FAMILIES = (
    "宋体", "新宋体", "黑体", "微软雅黑", "楷体", "仿宋", "楷体_GB2312", "仿宋_GB2312",
    "隶书", "幼圆", "微软正黑体", "华文黑体", "华文楷体", "华文宋体", "华文仿宋", "苹方",
    "SimSun", "NSimSun", "SimHei", "Microsoft YaHei", "KaiTi", "FangSong", "KaiTi_GB2312",
    "FangSong_GB2312", "LiSu", "YouYuan", "Microsoft JhengHei", "PingFang SC",
    "STHeiti", "STKaiti", "STSong", "STFangsong",
    "Arial", "Arial Black", "Tahoma", "Verdana", "Trebuchet MS", "Impact",
    "Times New Roman", "Georgia", "Courier New", "Helvetica", "Comic Sans MS",
    "serif", "sans-serif", "monospace", "cursive",
)  # fmt: skip
_FONT_BY_KEY = {name.casefold(): name for name in FONT_FAMILIES}
_FONT = re.compile(r"[\w\- ,.]{1,64}")


def parse_font(arg: str | None) -> Any:
    """A family of :data:`FONT_FAMILIES` (any case, white space collapsed) → its name as
    listed; another well-formed name (letters incl. CJK, digits, space, ``-``, ``,``,
    ``.``) → ``None``: the content is shown in the default font; CSS syntax → INVALID
    (the tag stays text)."""
    if not (arg and _FONT.fullmatch(arg) and any(ch.isalpha() for ch in arg)):
        return INVALID
    return _FONT_BY_KEY.get(" ".join(arg.split()).casefold())


def _one_of(*choices: str):
    def parse(arg: str | None) -> Any:
        if arg is not None and arg.lower() in choices:
            return arg.lower()
        return INVALID

    return parse


_P_ARG = re.compile(r"(\d{1,2}|null)\s*,\s*(\d{1,2}|null)\s*,\s*(left|center|right)", re.I)


def parse_p(arg: str | None) -> Any:
    """``[p]`` or Discuz!'s ``[p=line-height, text-indent, align]`` → the alignment."""
    if arg is None:
        return None
    m = _P_ARG.fullmatch(arg)
    return m.group(3).lower() if m else INVALID


def parse_i(arg: str | None) -> Any:
    """``[i]`` is italics; ``[i=s]`` is Discuz!'s edit notice (本帖最后由 … 编辑)."""
    if arg is None:
        return None
    return "s" if arg.lower() == "s" else INVALID


# -- renderers -----------------------------------------------------------------------------


def _wrap(tag: str, **attributes: str | None):
    def render(el: Element, children: RenderChildren) -> str:
        return f"<{tag}{attrs(**attributes)}>{children(el.children)}</{tag}>"

    return render


def _styled(tag: str, prop: str):
    def render(el: Element, children: RenderChildren) -> str:
        if el.arg is None:  # a colour or font we don't know: the content, unstyled
            return children(el.children)
        return f"<{tag}{attrs(style=f'{prop}: {el.arg}')}>{children(el.children)}</{tag}>"

    return render


def _render_i(el: Element, children: RenderChildren) -> str:
    if el.arg == "s":
        return f'<i class="pstatus">{children(el.children)}</i>'
    return f"<em>{children(el.children)}</em>"


def _plain_i(el: Element, children: PlainChildren, for_quote: bool) -> str:
    # The edit notice is not part of what the author wrote (Discuz!'s post_edit_regexp).
    return "" if el.arg == "s" else children(el.children)


def _render_p(el: Element, children: RenderChildren) -> str:
    style = f"text-align: {el.arg}" if el.arg else None
    return f"<p{attrs(style=style)}>{children(el.children)}</p>"


def _render_float(el: Element, children: RenderChildren) -> str:
    return f'<span class="float-{el.arg}">{children(el.children)}</span>'


TAGS = [
    TagSpec("b", _wrap("strong")),
    TagSpec("i", _render_i, parse_arg=parse_i, plain=_plain_i),
    TagSpec("u", _wrap("u")),
    TagSpec("s", _wrap("s")),
    TagSpec("color", _styled("span", "color"), parse_arg=parse_text_color),
    TagSpec("backcolor", _styled("span", "background-color"), parse_arg=parse_text_color),
    TagSpec("size", _styled("span", "font-size"), parse_arg=parse_size),
    TagSpec("font", _styled("span", "font-family"), parse_arg=parse_font),
    TagSpec(
        "align",
        _styled("div", "text-align"),
        parse_arg=_one_of("left", "center", "right"),
        block=True,
    ),
    TagSpec("indent", _wrap("blockquote", class_="indent"), block=True),
    TagSpec("p", _render_p, parse_arg=parse_p, block=True),
    TagSpec("float", _render_float, parse_arg=_one_of("left", "right")),
    TagSpec(
        "hr",
        lambda el, children: "<hr>",
        parse_arg=no_arg,
        content=lambda arg: EMPTY,
        block=True,
        plain=lambda el, children, for_quote: "",
    ),
]
