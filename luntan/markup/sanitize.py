"""The last step of every render: nh3 (ammonia) with an explicit allow-list.

Whatever the BBCode or Markdown renderer produced, only these tags, attributes, classes
and style properties reach the page; ``href``/``src`` are checked again by
:func:`luntan.markup.urls.safe_url`; links get ``rel="nofollow noopener ugc"`` and images
``loading="lazy"``. Scripts, styles, frames, objects, SVG, forms and every ``on*``
attribute are never allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from html import escape, unescape
from typing import TypedDict

import nh3

from luntan.markup.urls import IMAGE_SCHEMES, LINK_SCHEMES, safe_url

ALLOWED_TAGS = frozenset(
    {
        "a", "b", "blockquote", "br", "code", "del", "details", "div", "em", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "u",
        "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "span": {"style", "data-aid"},
    "div": {"style"},
    "p": {"style"},
    "ol": {"start", "type"},
    "table": {"width", "style"},
    "tr": {"style"},
    "td": {"colspan", "rowspan", "width", "style"},
    "th": {"colspan", "rowspan", "style"},
}
ALLOWED_CLASSES = {
    "blockquote": {"quote", "indent"},
    "details": {"quote-more"},
    "div": {"quote-header", "hide-box", "markup-notice", "markup-refused"},
    "span": {"attach-placeholder", "float-left", "float-right", "password-lock"},
    "i": {"pstatus"},
    "img": {"smiley"},
    "table": {"bbcode-table"},
}
ALLOWED_STYLE_PROPERTIES = frozenset(
    {"color", "background-color", "font-size", "font-family", "text-align"}
)
URL_SCHEMES = LINK_SCHEMES
LINK_REL = "nofollow noopener ugc"
# Removed together with their content (everything else unknown is unwrapped).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "template",
     "noscript", "textarea", "select", "title", "xmp", "noembed", "noframes"}
)  # fmt: skip


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return safe_url(value)
    if attribute == "src":
        return safe_url(value, schemes=IMAGE_SCHEMES)
    if attribute == "data-aid":
        return value if value.isascii() and value.isdigit() else None
    if attribute in ("alt", "title"):
        # Serialised attribute values keep < and >; nobody needs markup in a tooltip.
        return value.replace("<", "").replace(">", "")
    return value


class _CleanerOptions(TypedDict):
    """The keyword arguments luntan gives ``nh3.Cleaner`` (and ``nh3.clean``)."""

    tags: AbstractSet[str]
    clean_content_tags: AbstractSet[str]
    attributes: Mapping[str, AbstractSet[str]]
    attribute_filter: Callable[[str, str, str], str | None]
    strip_comments: bool
    link_rel: str
    url_schemes: AbstractSet[str]
    allowed_classes: Mapping[str, AbstractSet[str]]
    filter_style_properties: AbstractSet[str]
    set_tag_attribute_values: Mapping[str, Mapping[str, str]]


def _make_cleaner() -> Callable[[str], str]:
    options = _CleanerOptions(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        filter_style_properties=set(ALLOWED_STYLE_PROPERTIES),
        set_tag_attribute_values={"img": {"loading": "lazy"}},
    )
    if hasattr(nh3, "Cleaner"):  # nh3 ≥ 0.3: build the allow-list once
        return nh3.Cleaner(**options).clean
    return lambda html: nh3.clean(html, **options)  # pragma: no cover - older nh3


_clean = _make_cleaner()

# html5ever (inside nh3) takes time quadratic in the length of a text run when it holds
# many "&", "<" or U+0080–U+00BF characters (0.5 s for 200 000 "·"). Text between tags
# can't contain markup, so it crosses nh3 as numbered placeholders made of Unicode
# noncharacters (removed from the input first) and is put back afterwards, fully
# re-escaped; nh3 only sees the tags.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
_TAG = re.compile(r"(<[^<>]*>)")
_PLACEHOLDER = re.compile(_OPEN + r"(\d+)" + _CLOSE)


def _escaped_text(text: str) -> str:
    """``text`` (HTML text, possibly with entities) re-escaped so that it can't end an
    attribute or start a tag wherever it is put back: no raw ``<>"'``."""
    return escape(unescape(text), quote=True).replace("\xa0", "&nbsp;")


def sanitize_html(html: str) -> str:
    """Return ``html`` cleaned to luntan's allow-list (see the module docstring).

    Text runs are set aside during cleaning and put back re-escaped (quotes as
    ``&quot;``/``&#x27;``, U+00A0 as ``&nbsp;``).
    """
    html = html.replace(_OPEN, "").replace(_CLOSE, "")
    parts = _TAG.split(html)
    texts: list[str] = []
    for i in range(0, len(parts), 2):  # even indexes: text between tags
        text = parts[i]
        if text and "<" not in text:
            parts[i] = f"{_OPEN}{len(texts)}{_CLOSE}"
            texts.append(_escaped_text(text))
    cleaned = _clean("".join(parts))
    return _PLACEHOLDER.sub(lambda m: texts[int(m.group(1))], cleaned)
