"""Site-wide template tags: pagination links.

Load with ``{% load luntan_core %}``.
"""

from __future__ import annotations

from django import template

register = template.Library()


def page_window(current: int, total: int, width: int = 2) -> list[int | None]:
    """Return the page numbers to link, with ``None`` where a gap (…) goes.

    Always shows the first and last page and ``width`` pages either side of ``current``:
    ``page_window(7, 20)`` → ``[1, None, 5, 6, 7, 8, 9, None, 20]``. ``total`` < 1 is
    treated as 1 and ``current`` is clamped to ``1..total``.
    """
    total = max(1, total)
    current = min(max(1, current), total)
    shown = {1, total, *range(max(1, current - width), min(total, current + width) + 1)}
    out: list[int | None] = []
    previous = 0
    for n in sorted(shown):
        if n - previous > 1:
            out.append(n - 1 if n - previous == 2 else None)
        out.append(n)
        previous = n
    return out


@register.inclusion_tag("core/pagination.html")
def pagination(current: int, total: int, prefix: str, anchor: str = "") -> dict:
    """Render page links ``1 … 5 6 [7] 8 9 … 20  下一页`` and a page-jump form.

    ``prefix`` is the link up to the page number, e.g. ``"?author=3&page="`` (already
    URL-encoded); ``anchor`` is appended to each link (``"#pid12"``) when given.
    Renders nothing when there is a single page.
    """
    return {
        "current": current,
        "total": total,
        "pages": page_window(current, total) if total > 1 else [],
        "prefix": prefix,
        "anchor": anchor,
        "previous": current - 1 if current > 1 else None,
        "next": current + 1 if current < total else None,
        "hidden": _hidden_fields(prefix),
    }


def _hidden_fields(prefix: str) -> list[tuple[str, str]]:
    """The query parameters of ``prefix`` other than ``page``, for the jump form."""
    from urllib.parse import parse_qsl

    query = prefix.lstrip("?")
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "page"]
