"""Template filters for thread and post display, following Discuz! X3.4's formats.

Load with ``{% load luntan_threads %}``. Every filter is a plain function too, so views
and tests call them directly. They do no queries and read no settings.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luntan.iplocation import format_region

register = template.Library()

_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@register.filter
def floor_label(floor: int) -> str:
    """Return the label of floor number ``floor`` (1-based): 楼主, 沙发, 板凳, 地板, then ``N#``.

    Discuz! X3.4 names the first floors with the ``postnocustom`` site setting
    (``common_setting``, default ``楼主 / 沙发 / 板凳 / 地板`` in the install data) and the
    rest with ``postno`` (default ``#``) after the number: ``5#``. A non-number gives ``""``.
    """
    try:
        floor = int(floor)
    except (TypeError, ValueError):
        return ""
    if floor == 1:
        return _("楼主")
    if floor == 2:
        return _("沙发")
    if floor == 3:
        return _("板凳")
    if floor == 4:
        return _("地板")
    return f"{floor}#"


def _local(value: datetime, tz: tzinfo | None = None) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(tz or timezone.get_current_timezone())


@register.filter
def discuz_time(value: datetime | None, tz: tzinfo | None = None) -> str:
    """Format an aware datetime in the viewer's time zone as Discuz! does: ``2011-6-10 13:53:51``.

    Year, month and day are not zero-padded; hours, minutes and seconds are (Discuz!
    ``dgmdate($dateline, 'Y-n-j H:i:s')``). ``None`` gives ``""``. ``tz`` overrides the
    viewer's zone (Python callers pass it to skip the per-call lookup).
    """
    if value is None:
        return ""
    t = _local(value, tz)
    return f"{t.year}-{t.month}-{t.day} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


@register.filter
def discuz_minute(value: datetime | None) -> str:
    """Like :func:`discuz_time` without seconds: ``2011-6-10 13:56`` (quote headers, lists)."""
    if value is None:
        return ""
    t = _local(value)
    return f"{t.year}-{t.month}-{t.day} {t.hour:02d}:{t.minute:02d}"


@register.filter
def discuz_date(value: datetime | None) -> str:
    """The date part only, in the viewer's time zone: ``2011-6-10``."""
    if value is None:
        return ""
    t = _local(value)
    return f"{t.year}-{t.month}-{t.day}"


@register.filter
def post_time(
    value: datetime | None, now: datetime | None = None, tz: tzinfo | None = None
) -> SafeString | str:
    """Return a post's time as HTML: ``N 分钟前`` under one hour, else :func:`discuz_time`.

    Recent times are wrapped as ``<span title="2011-6-10 13:53:51">5 分钟前</span>`` (Discuz!
    shows recent times the same way); under one minute reads ``刚刚``. ``now`` (aware)
    defaults to the current time; ``tz`` as for :func:`discuz_time`. ``None`` gives ``""``.
    """
    if value is None:
        return ""
    full = discuz_time(value, tz)
    seconds = ((now or timezone.now()) - value).total_seconds()
    if 0 <= seconds < 3600:
        minutes = int(seconds // 60)
        if minutes == 0:
            text = _("刚刚")
        else:
            text = ngettext("%(n)d 分钟前", "%(n)d 分钟前", minutes) % {"n": minutes}
        return format_html('<span title="{}">{}</span>', full, text)
    return full


@register.filter
def region(ip_region: str, level: str) -> str:
    """The 来自 … text of a stored ip2region answer at ``level`` (``city``/``province``/``off``).

    See :func:`luntan.iplocation.format_region`.
    """
    return format_region(ip_region or "", level or "off")


@register.filter
def safe_color(value: str) -> str:
    """Return ``value`` if it is a CSS hex colour (``#f00`` or ``#ff0000``), else ``""``.

    Used for thread highlight and usergroup colours put into ``style`` attributes.
    """
    if value and _COLOR_RE.match(value):
        return value
    return ""
