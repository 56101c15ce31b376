"""Assertions shared by the security and property tests: is this rendered HTML safe?"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote

from luntan.markup.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS

ALWAYS_ALLOWED_ATTRIBUTES = {"class", "rel", "loading"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
_INVISIBLE = re.compile(
    r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\s]+"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def decoded_url(value: str) -> str:
    for _ in range(3):
        value = _INVISIBLE.sub("", unquote(html.unescape(value)))
    return value.lower()


def assert_safe_url(value: str) -> None:
    url = decoded_url(value)
    assert not url.startswith(("javascript:", "data:", "vbscript:")), value
    assert not url.startswith(("//", "/\\", "\\")), value
    assert url.startswith(SAFE_SCHEMES) or url.startswith(("/", "#")), value


def assert_safe_html(output: str) -> None:
    """No script, no event handler, no unsafe URL, only allow-listed tags/attributes.

    Attributes are read with an HTML parser, not searched for in the raw string: escaped
    text such as ``&lt;a href="javascript:…"&gt;`` or ``" onmouseover="`` is harmless
    and may appear in the output (text nodes keep their quotes).
    """
    assert isinstance(output, str)
    assert "<script" not in output.lower()
    parser = _Tags()
    parser.feed(output)
    parser.close()
    for tag, attributes in parser.found:
        assert tag in ALLOWED_TAGS, (tag, output)
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALWAYS_ALLOWED_ATTRIBUTES
        for name, value in attributes:
            assert not re.fullmatch(r"on\w+", name), (tag, name, output)
            assert name in allowed, (tag, name, output)
            value = value or ""
            if name in ("href", "src"):
                assert_safe_url(value)
            if name == "class":
                assert set(value.split()) <= ALLOWED_CLASSES.get(tag, set()), (tag, value)
            if name == "style":
                style = value.lower()
                for bad in ("url(", "expression", "javascript", "\\", "position", "@import"):
                    assert bad not in style, (tag, value)
            if name == "rel":
                assert value == "nofollow noopener ugc"
            if name == "loading":
                assert value == "lazy"
