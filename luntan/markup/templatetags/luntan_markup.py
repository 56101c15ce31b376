"""Template filters of the markup app: ``{% load luntan_markup %}``."""

from __future__ import annotations

from django import template

from luntan.markup.plaintext import excerpt as _excerpt

register = template.Library()


@register.filter(is_safe=True)
def excerpt(value: object, length: int) -> str:
    """``{{ subject|excerpt:26 }}``: like ``truncatechars`` (at most ``length``
    characters, ``…`` included) but counting and cutting grapheme clusters, so an emoji
    sequence such as 👨‍👩‍👧 is kept whole or left out whole."""
    try:
        length = int(length)
    except (TypeError, ValueError):
        return str(value)
    return _excerpt(str(value), max(length, 1))
