"""Attachments in rendered posts: inline ``[attach]N[/attach]`` and the 附件 box.

Stored post HTML never contains attachment markup: the BBCode renderer turns
``[attach]N[/attach]`` into the placeholder
``<span class="attach-placeholder" data-aid="N">附件 N</span>`` (see
``luntan/markup/bbcode/tags_links.py``), which stays correct whatever happens to the
attachment later (renamed, deleted, download count changed). At display time
:func:`render_post_attachments` replaces each placeholder whose ``N`` is one of *that
post's own* attachments with the image thumbnail or download link, and lists the
attachments not used inline under the post. A placeholder for a missing or foreign id
stays as its text. Pure functions on already-loaded rows: no queries, no settings reads
beyond the thumbnail width.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from django.utils.translation import gettext as _

from luntan.attachments import conf
from luntan.attachments.conf import format_size
from luntan.attachments.images import THUMB_MAX_RATIO

PLACEHOLDER = re.compile(r'<span class="attach-placeholder" data-aid="([0-9]{1,10})">[^<]*</span>')


def _thumb_size(a) -> tuple[int, int]:
    """The thumbnail's size in pixels, as :func:`luntan.attachments.images.process_image`
    makes it (fits ``thumb_width`` × ``thumb_width * THUMB_MAX_RATIO``); (0, 0) if unknown."""
    width = conf.thumb_width()
    if not a.width or not a.height:
        return 0, 0
    scale = min(1.0, width / a.width, width * THUMB_MAX_RATIO / a.height)
    return max(1, round(a.width * scale)), max(1, round(a.height * scale))


def _img(a) -> str:
    w, h = _thumb_size(a)
    dims = f' width="{w}" height="{h}"' if w else ""
    name = escape(a.filename)
    return (
        f'<a class="attach-img" href="{escape(a.get_absolute_url())}" target="_blank"'
        f' rel="noopener" title="{name}"><img src="{escape(a.thumbnail_url)}" alt="{name}"{dims}'
        f' loading="lazy"></a>'
    )


def _file(a, prefix: str = "") -> str:
    meta = escape(
        _("(%(size)s, 下载次数: %(n)d)") % {"size": format_size(a.size), "n": a.downloads}
    )
    return (
        f'<span class="attach-file">{prefix}<a href="{escape(a.get_absolute_url())}"'
        f' rel="nofollow">{escape(a.filename)}</a> <em>{meta}</em></span>'
    )


def render_inline(a) -> str:
    """The HTML that replaces ``[attach]N[/attach]``: a thumbnail linking to the full image,
    or the file's download link with its size and download count."""
    return _img(a) if a.is_image else _file(a)


def render_list(attachments: Sequence) -> str:
    """The 附件 box listed under a post (``""`` for no attachments): image thumbnails,
    then ``附件: NAME (23.4 KB, 下载次数: 3)`` lines for the other files."""
    if not attachments:
        return ""
    images = [a for a in attachments if a.is_image]
    files = [a for a in attachments if not a.is_image]
    label = escape(_("附件"))
    parts = [f'<div class="attachments"><h4>{label}</h4>']
    if images:
        parts.append('<ul class="attach-images">')
        for a in images:
            size = escape(format_size(a.size))
            parts.append(
                f'<li>{_img(a)}<span class="attach-name">{escape(a.filename)}'
                f" <em>({size})</em></span></li>"
            )
        parts.append("</ul>")
    if files:
        parts.append('<ul class="attach-files">')
        prefix = escape(_("附件: "))
        for a in files:
            parts.append(f"<li>{_file(a, prefix)}</li>")
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def inline_attachments(html: str, attachments: Sequence) -> tuple[str, list]:
    """Return ``(html with inline attachments, the attachments not used inline)`` for one
    post: ``html`` is the post's stored, sanitised HTML; ``attachments`` are the post's
    own :class:`~luntan.attachments.models.Attachment` rows (``[attach]N[/attach]``
    matches ``attachment.ref``: the id, or Discuz!'s aid for imported ones)."""
    by_ref = {a.ref: a for a in attachments}
    used: set[int] = set()

    def replace(m: re.Match[str]) -> str:
        a = by_ref.get(int(m.group(1)))
        if a is None:
            return m.group(0)
        used.add(a.pk)
        return render_inline(a)

    if "attach-placeholder" in html:
        html = PLACEHOLDER.sub(replace, html)
    return html, [a for a in attachments if a.pk not in used]


def render_post_attachments(html: str, attachments: Sequence) -> tuple[str, str]:
    """Return ``(html with inline attachments, 附件 box HTML)`` for one post
    (:func:`inline_attachments`; attachments used inline are not repeated in the box).
    Every value put into HTML is escaped.
    """
    if not attachments:
        return html, ""
    html, rest = inline_attachments(html, attachments)
    return html, render_list(rest)
