"""The board list of the index and category pages, rendered once per content.

Rendering the rows of every board is most of the board index's cost (template variables,
URL reversals, translations for each board). The HTML depends only on what the rows show,
the language and the viewer's time zone, so :func:`board_rows_html` keeps it in the cache
(``CACHES["default"]``: Redis when configured, local memory otherwise) beside a digest
of exactly that content. Nothing has to be invalidated: a new post or an edited board
gives another digest, so the rows are rendered again; unused entries expire
(``FRAGMENT_SECONDS``).
"""

from __future__ import annotations

import hashlib
import os
import re

from django.core.cache import cache
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TEMPLATE = "boardpages/_board_rows.html"
#: How long an unused fragment stays in the cache, seconds.
FRAGMENT_SECONDS = 600

_stamp: str | None = None


def _template_stamp() -> str:
    """The template file's modification time (a deploy that changes it changes the keys)."""
    global _stamp
    if _stamp is None:
        template = get_template(TEMPLATE)
        # A Django-engine template (its app's templates/) knows its file; no other backend's does.
        origin = template.origin.name if isinstance(template, DjangoTemplate) else ""
        try:
            _stamp = str(os.stat(origin).st_mtime_ns)
        except OSError:
            _stamp = "0"
    return _stamp


def _content(categories) -> tuple:
    """Everything ``_board_rows.html`` shows, as a tuple of plain values."""
    shown = []
    for category, rows in categories:
        items = []
        for row in rows:
            b = row.board
            items.append(
                (
                    b.pk,
                    b.name,
                    b.redirect_url,
                    b.description,
                    row.today,
                    row.threads,
                    row.posts,
                    row.last_thread_id,
                    row.last_subject,
                    row.last_post_at.timestamp() if row.last_post_at else None,
                    row.last_poster_name,
                    tuple((s.pk, s.name, s.redirect_url) for s in row.subs),
                )
            )
        shown.append((category.pk if category else None, category.name if category else "", items))
    return tuple(shown)


def board_rows_html(categories) -> SafeString:
    """Return the rendered board list of ``categories`` (``[(category Board | None,
    [BoardRow, …]), …]`` as :func:`luntan.boardpages.queries.index_data` gives them) in the
    active language and time zone, from the cache when the same content was rendered
    before. The HTML is escaped by the template; returned marked safe.

    One cache entry per language, time zone and set of boards listed, holding the digest
    of the content with its HTML: a change of content replaces the entry instead of
    adding one, so the number of entries stays small (a local-memory cache culls when
    full, which would evict other cached answers).
    """
    content = _content(categories)
    listed = tuple(row[0] for _cat, _name, items in content for row in items)
    where = repr((_template_stamp(), translation.get_language(), str(timezone.get_current_timezone()), listed))  # fmt: skip
    key = "luntan:board-rows:" + hashlib.blake2b(where.encode(), digest_size=16).hexdigest()
    digest = hashlib.blake2b(repr(content).encode(), digest_size=20).hexdigest()
    found = cache.get(key)
    if found is not None and found[0] == digest:
        return mark_safe(found[1])  # noqa: S308 - rendered by the autoescaping template
    html = str(get_template(TEMPLATE).render({"categories": categories}))
    cache.set(key, (digest, html), FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the autoescaping template


_NEW_SLOT = re.compile(r"<!--new:([0-9]+):([0-9]*)-->")


def mark_new_boards(html: str, board_ids: set[int]) -> SafeString:
    """Fill the rows' 新 slots (``<!--new:<board>:<last thread>-->``, left in the cached
    fragment) for the member's boards with unread posts (``board_ids``, from
    :func:`luntan.unread.services.unread_board_ids`): a 新 marker linking to the first
    unread floor of the board's last thread. Other slots stay as they are (comments)."""
    if not board_ids:
        return mark_safe(html)  # noqa: S308 - the fragment is rendered by a template

    def fill(match: re.Match) -> str:
        if int(match.group(1)) not in board_ids or not match.group(2):
            return match.group(0)
        return str(
            format_html(
                ' <a class="tag new" href="{}" title="{}">{}</a>',
                reverse("unread:jump", args=[int(match.group(2))]),
                _("跳到第一条未读"),
                _("新"),
            )
        )

    return mark_safe(_NEW_SLOT.sub(fill, html))  # noqa: S308 - format_html escapes the parts
