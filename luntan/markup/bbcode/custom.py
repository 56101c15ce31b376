"""Site-defined BBCode tags (Discuz!'s 自定义代码, ``forum_bbcode``).

A Discuz! custom tag is a name, a number of parameters (1: ``[tag]{1}[/tag]``; 2 or 3:
``[tag={2},{3}]{1}[/tag]``) and an HTML ``replacement`` with ``{1}``…``{3}``
(``source/function/function_discuzcode.php``, the ``$_G['cache']['bbcodes']`` loop).
luntan never trusts that HTML: :func:`check_replacement` accepts a replacement only when
every parameter sits in text (never inside a tag or an attribute) and the sanitiser of
:mod:`luntan.markup.sanitize` leaves the HTML unchanged; such a tag renders as its
replacement. Any other enabled tag is *readable text*: its content is shown as the
post's text with the tag itself removed. Built-in tags always win over a custom tag of
the same name.

The app owning the table registers a provider with :func:`set_provider`
(``luntan.core``); without one there are no custom tags.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from luntan.markup.bbcode.htmlutil import esc
from luntan.markup.bbcode.nodes import INVALID, Element, RenderChildren, TagSpec

_PARAM = re.compile(r"\{([1-3])\}")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_MARK = "luntanparam{}x"

SAFE = "safe"
TEXT = "text"


@dataclass(frozen=True)
class CustomTag:
    """One site tag: ``name`` (lower case), ``params`` (1–3), ``replacement`` (HTML)."""

    name: str
    params: int
    replacement: str


def check_replacement(replacement: str, params: int) -> str:
    """``"safe"`` when ``replacement`` can be used as HTML (parameters only in text, the
    sanitised HTML unchanged), else ``"text"`` (the tag's content is shown as text)."""
    from luntan.markup.sanitize import sanitize_html  # sanitize imports nothing of ours

    if not replacement.strip():
        return TEXT
    for tag in re.findall(r"<[^>]*>", replacement):
        if _PARAM.search(tag):
            return TEXT  # a parameter inside a tag or an attribute value
    marked = _PARAM.sub(lambda m: _MARK.format(m.group(1)), replacement)
    if int(max(_PARAM.findall(replacement) or ["1"])) > max(params, 1):
        return TEXT
    cleaned = sanitize_html(marked)
    return SAFE if _normal(cleaned) == _normal(marked) else TEXT


def _normal(html: str) -> str:
    return re.sub(r"\s+", "", html.replace("'", '"')).lower()


def _parse_arg(params: int) -> Callable[[str | None], Any]:
    def parse(arg: str | None) -> Any:
        if params <= 1:
            return None if arg is None else INVALID
        if arg is None:
            return INVALID
        values = arg.split(",", params - 2) if params > 2 else [arg]
        return tuple(v.strip() for v in values)

    return parse


def _render_safe(tag: CustomTag) -> Callable[[Element, RenderChildren], str]:
    def render(el: Element, children: RenderChildren) -> str:
        values = {"1": children(el.children)}
        for i, value in enumerate(el.arg or (), start=2):
            values[str(i)] = esc(value)
        return _PARAM.sub(lambda m: values.get(m.group(1), ""), tag.replacement)

    return render


def _render_text(el: Element, children: RenderChildren) -> str:
    return children(el.children)


def make_specs(tags: Iterable[CustomTag]) -> dict[str, TagSpec]:
    """TagSpecs for the enabled custom ``tags`` (invalid names are skipped)."""
    specs: dict[str, TagSpec] = {}
    for tag in tags:
        name = tag.name.lower()
        if not _NAME.match(name):
            continue
        safe = check_replacement(tag.replacement, tag.params) == SAFE
        specs[name] = TagSpec(
            name,
            _render_safe(tag) if safe else _render_text,
            parse_arg=_parse_arg(tag.params),
        )
    return specs


logger = logging.getLogger(__name__)
_provider: Callable[[], Mapping[str, TagSpec]] | None = None
_memo: tuple[float, Mapping[str, TagSpec]] | None = None
MEMO_SECONDS = 2.0


def set_provider(provider: Callable[[], Mapping[str, TagSpec]] | None) -> None:
    """Register the function returning ``{name: TagSpec}`` of the site's custom tags."""
    global _provider
    _provider = provider
    forget()


def pin(specs: Mapping[str, TagSpec]) -> None:
    """Use ``specs`` in this process until :func:`forget` (tests start with an empty
    one, so that rendering never queries behind a pinned query count)."""
    global _memo
    _memo = (float("inf"), specs)


def forget() -> None:
    """Drop this process's copy of the custom tags (after they changed)."""
    global _memo
    _memo = None


def current_specs() -> Mapping[str, TagSpec]:
    """The site's custom tag specs (empty without a provider)."""
    global _memo
    if _provider is None:
        return {}
    now = time.monotonic()
    if _memo is not None and now < _memo[0]:
        return _memo[1]
    try:
        specs = _provider()
    except Exception:  # no database (a test without one, a broken connection): no table
        logger.debug("markup: the site table is not available", exc_info=True)
        specs = {}
    _memo = (now + MEMO_SECONDS, specs)
    return specs
