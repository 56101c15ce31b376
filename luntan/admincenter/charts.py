"""Charts drawn on the server as inline SVG (no JavaScript, no third-party library).

Each function returns a :class:`~django.utils.safestring.SafeString` holding one
``<svg>`` element with ``role="img"``, an ``aria-label`` and a ``<title>`` per bar (the
browser's tooltip); every text is escaped. The SVG scales to its container's width
(``viewBox`` with ``width="100%"``), so it fits a 375 px phone.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#369"
BAR_ALT = "#c46a1c"


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (at least 1): the y axis top."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= value:
                return step * top
        top *= 10


def column_chart(
    points: Sequence[tuple[str, int]], *, label: str, width: int = 600, height: int = 180
) -> SafeString:
    """A column chart of ``points`` (``(x label, value)`` in order, e.g. one per day).

    ``label`` is the chart's accessible name. The x axis shows the first, middle and last
    labels; the y axis 0 and its top (1, 2 or 5 × 10ⁿ). Sizes are SVG user units."""
    left, bottom, top_pad = 44, 22, 8
    plot_w, plot_h = width - left - 6, height - bottom - top_pad
    top = _nice_max(max((v for _x, v in points), default=0))
    n = max(len(points), 1)
    step = plot_w / n
    bar_w = max(step * 0.8, 1.0)
    parts = [
        f'<svg class="ac-chart" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 6}" y2="{top_pad + plot_h}" '
        f'stroke="#999" stroke-width="1"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{width - 6}" y2="{top_pad}" '
        f'stroke="#e3e3e3" stroke-width="1"/>',
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" font-size="11" '
        f'fill="#666">{top}</text>',
        f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end" font-size="11" '
        f'fill="#666">0</text>',
    ]
    for i, (x_label, value) in enumerate(points):
        h = plot_h * value / top if top else 0
        x = left + i * step + (step - bar_w) / 2
        y = top_pad + plot_h - h
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{BAR}" data-value="{value}"><title>{escape(x_label)}: {value}</title></rect>'
        )
    if points:
        marks = sorted({0, len(points) // 2, len(points) - 1})
        for i in marks:
            anchor = "start" if i == 0 else ("end" if i == len(points) - 1 else "middle")
            x = left + i * step + (step / 2 if anchor == "middle" else 0)
            if anchor == "end":
                x = left + (i + 1) * step
            parts.append(
                f'<text x="{x:.1f}" y="{height - 6}" text-anchor="{anchor}" font-size="11" '
                f'fill="#666">{escape(points[i][0])}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def bar_chart(
    rows: Sequence[tuple[str, int]], *, label: str, width: int = 480, row_h: int = 24
) -> SafeString:
    """A horizontal bar chart of ``rows`` (``(name, value)``, largest first), e.g. the
    busiest boards; each name is written above its bar, the value after it."""
    top = max((v for _n, v in rows), default=0) or 1
    height = max(len(rows), 1) * (row_h + 14) + 4
    parts = [
        f'<svg class="ac-chart" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, value) in enumerate(rows):
        y = i * (row_h + 14) + 14
        w = (width - 80) * value / top
        parts.append(
            f'<text x="0" y="{y - 2}" font-size="13" fill="#333">{escape(name)}</text>'
            f'<rect class="bar" x="0" y="{y}" width="{w:.1f}" height="{row_h - 10}" '
            f'fill="{BAR_ALT}" data-value="{value}"><title>{escape(name)}: {value}</title></rect>'
            f'<text x="{w + 6:.1f}" y="{y + row_h - 12}" font-size="12" fill="#333">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
