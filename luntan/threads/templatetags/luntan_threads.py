"""Template filters for thread and post display, following Discuz! X3.4's formats.

Load with ``{% load luntan_threads %}``. Every filter is a plain function too, so views
and tests call them directly. They do no queries and read no settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luntan.attachments.rendering import render_post_attachments
from luntan.credits.rating import may_rate
from luntan.iplocation import format_region
from luntan.moderation.rendering import floor_checkbox, floor_notes, report_link

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


def _floor_strings() -> dict[str, str]:
    """The per-floor words, translated once per page (escaped for HTML)."""
    return {
        k: escape(v)
        for k, v in {
            "floorlink": _("本楼链接"),
            "op": _("楼主"),
            "posted": _("发表于"),
            "only": _("只看该作者"),
            "all": _("显示全部楼层"),
            "asc": _("正序浏览"),
            "desc": _("倒序浏览"),
            "read": _("阅读模式"),
            "deleted": _("该帖已被删除"),
            "anonymous": _("匿名"),
            "reply": _("回复"),
            "quote": _("引用"),
            "edit": _("编辑"),
            "delete": _("删除"),
            "history": _("编辑记录"),
            "credits": _("积分"),
            "rate": _("评分"),
        }.items()
    }


def _floor_actions(p, s: dict[str, str], rights) -> str:
    """The 回复 · 引用 · 编辑 · 删除 links under a visible floor, as ``rights``
    (:class:`luntan.permissions.posting.PostingRights`) allow; no queries."""
    links = []
    pk = p.pk
    tid = p.thread_id
    if rights.can_reply:
        name = "" if p.is_anonymous else escape(p.author_name)
        links.append(
            f'<a class="fl-reply" href="/t/{tid}/reply/?to={pk}" data-mention="{name}">'
            f"{s['reply']}</a>"
        )
        links.append(f'<a class="fl-quote" href="/t/{tid}/reply/?quote={pk}">{s["quote"]}</a>')
    if rights.can_edit(p):
        links.append(f'<a class="fl-edit" href="/p/{pk}/edit/">{s["edit"]}</a>')
    if rights.can_delete(p):
        links.append(f'<a class="fl-delete" href="/p/{pk}/delete/">{s["delete"]}</a>')
    if rights.moderator and p.edited_at:
        links.append(f'<a class="fl-history" href="/p/{pk}/revisions/">{s["history"]}</a>')
    if may_rate(rights.user, p):
        links.append(f'<a class="fl-rate" href="/p/{pk}/rate/">{s["rate"]}</a>')
    report = report_link(p, rights)
    if report:
        links.append(report)
    if not links:
        return ""
    return '<div class="po">' + "".join(links) + "</div>"


def render_floors(
    posts: list,
    *,
    thread_url: str,
    op_author_id: int | None,
    level: str,
    author_filter: bool = False,
    desc: bool = False,
    now: datetime | None = None,
    rights=None,
    attachments: Mapping[int, Sequence] | None = None,
    ratings: Mapping[int, str] | None = None,
) -> SafeString:
    """Render the floors (楼层) of one thread page as HTML, in one pass of Python.

    Each floor is ``<article class="floor" id="pid<post id>">`` with the author and group
    (sidebar), the floor label linking to ``/p/<id>/`` (楼主, 沙发, 板凳, 地板, ``N#``),
    the ``楼主`` badge when ``op_author_id`` wrote a later floor, ``发表于 <time>`` in the
    viewer's time zone, 只看该作者 (or 显示全部楼层 when ``author_filter``), the OP's
    倒序浏览/正序浏览 and 阅读模式 links, ``来自 <place>`` at ``level`` (``city``,
    ``province``, ``off``), the edit note and the post's sanitised ``html`` — or
    该帖已被删除 for a deleted post. ``posts`` are :class:`~luntan.threads.models.Post`
    rows with ``author`` and ``author.group`` loaded. ``rights`` (the viewer's
    :class:`~luntan.permissions.posting.PostingRights`, ``None`` for guests) adds the
    回复 · 引用 · 编辑 · 删除 links under each visible floor, decided without queries.

    This is a template tag in Python rather than a template loop because the thread page
    must render 20 floors in about a millisecond (the page's budget is ~5 ms of Python);
    every dynamic value is escaped here.

    ``attachments`` maps post ids to their :class:`~luntan.attachments.models.Attachment`
    rows (:func:`luntan.attachments.queries.attachments_for_posts`): ``[attach]N[/attach]``
    placeholders become thumbnails/links and the rest are listed under the post
    (:func:`luntan.attachments.rendering.render_post_attachments`).

    ``ratings`` maps post ids to the escaped HTML of their rating log (评分), shown under
    the post (:func:`luntan.credits.display.ratings_for_posts`).
    """
    from luntan.threads.models import Post

    s = _floor_strings()
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    url = escape(thread_url)
    out: list[str] = []
    for p in posts:
        pk = p.pk
        is_op = p.floor == 1
        deleted = p.state != Post.State.VISIBLE
        # sidebar: author and group
        if p.is_anonymous:
            side = f'<span class="author">{s["anonymous"]}</span>'
            can_filter = False
        elif p.author_id and p.author is not None:
            group = p.author.group
            color = safe_color(group.color)
            style = f' style="color:{color}"' if color else ""
            side = (
                f'<a class="author" href="/u/{p.author_id}/">{escape(p.author.username)}</a>'
                f'<span class="group"{style}>{escape(group.name)}</span>'
                f'<span class="credits">{s["credits"]} {p.author.credits}</span>'
            )
            can_filter = True
        else:
            side = f'<span class="author">{escape(p.author_name)}</span>'
            can_filter = False
        label = s["op"] if is_op else f"<em>{floor_label(p.floor)}</em>"
        badge = ""
        if (
            not is_op
            and not p.is_anonymous
            and op_author_id is not None
            and p.author_id == op_author_id
        ):
            badge = f'<span class="opbadge">{s["op"]}</span><span class="pipe">|</span> '
        links = ""
        if author_filter:
            links = f'<span class="pipe">|</span><a href="{url}">{s["all"]}</a>'
        elif can_filter:
            links = f'<span class="pipe">|</span><a href="?author={p.author_id}">{s["only"]}</a>'
        if is_op:
            order = (
                f'<a href="{url}">{s["asc"]}</a>'
                if desc
                else f'<a href="?order=desc">{s["desc"]}</a>'
            )
            links += (
                f'<span class="pipe">|</span>{order}'
                f'<span class="pipe">|</span><a href="{url}read/">{s["read"]}</a>'
            )
        links += floor_checkbox(pk, rights)
        place = "" if deleted else format_region(p.ip_region, level)
        origin = ""
        if place:
            origin = ' <span class="from">{}</span>'.format(
                escape(_("来自 %(place)s") % {"place": place})
            )
        if deleted:
            body = f'<div class="pct deleted"><div class="locked">{s["deleted"]}</div></div>'
        else:
            note = ""
            if p.edited_at:
                note = '<i class="pstatus">{}</i>'.format(
                    escape(
                        _("本帖最后由 %(name)s 于 %(time)s 编辑")
                        % {
                            "name": p.edited_by_name or p.author_name,
                            "time": discuz_time(p.edited_at, tz),
                        }
                    )
                )
            html, files = p.html, ""
            html, note = floor_notes(p, html, note, rights)
            if attachments and pk in attachments:
                html, files = render_post_attachments(html, attachments[pk])
            body = f'<div class="pct">{note}<div class="t_f">{html}</div>{files}</div>'
            if ratings and pk in ratings:
                body += ratings[pk]
            if rights is not None:
                body += _floor_actions(p, s, rights)
        out.append(
            f'<article class="floor{" op" if is_op else ""}" id="pid{pk}">\n'
            f'<aside class="pls">{side}</aside>\n<div class="plc">\n'
            f'<div class="pi"><a class="floorno" href="/p/{pk}/" title="{s["floorlink"]}">{label}</a>\n'
            f'<div class="authi">{badge}<span class="posttime">{s["posted"]} '
            f"{post_time(p.created, now, tz)}</span>{links}{origin}</div></div>\n"
            f"{body}\n</div>\n</article>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped; html is sanitised
