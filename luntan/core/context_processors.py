"""Template context shared by every page."""

from __future__ import annotations

from django.utils import timezone

from luntan.core.models import get_site_settings


def utc_offset_label(now=None) -> str:
    """Return the viewer's UTC offset in Discuz!'s footer form: ``GMT+8``, ``GMT-5:30``."""
    now = timezone.localtime(now)
    offset = now.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


def site(request) -> dict:
    """Add ``site`` (:class:`~luntan.core.models.SiteSettings`), ``now`` (aware, UTC) and
    ``tz_label`` (e.g. ``GMT+8``) to every template."""
    now = timezone.now()
    return {"site": get_site_settings(), "now": now, "tz_label": utc_offset_label(now)}


def extras(request) -> dict:
    """Add ``extras`` (:class:`luntan.core.extras.SiteExtras`, lazy: no cache read until a
    template uses it): the navigation and friend links and the announcements, with
    ``announcements`` the ones running now."""
    from django.utils.functional import SimpleLazyObject

    from luntan.core.extras import site_extras

    def running():
        return site_extras().running()

    return {"extras": SimpleLazyObject(site_extras), "announcements": SimpleLazyObject(running)}
