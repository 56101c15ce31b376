"""Moderation's pieces of every thread-page floor (a floor extra, registered in
:class:`luntan.moderation.apps.ModerationConfig.ready`).

No queries: the page's posts query carries ``is_banned`` and ``is_warned``
(:func:`luntan.moderation.rendering.post_flags`, added through :meth:`annotations`).

- 屏蔽: a banned post's body is replaced by "提示: 该帖被管理员或版主屏蔽" except for the
  board's moderators, who see the notice above the content (as Discuz! X3.4 does:
  ``viewthread_procpost`` with ``$post['status'] & 1``); the floor is marked
  ``withheld`` (reading mode 404s) and, for others, ``body_hidden`` (no attachments).
- 警告: "该帖作者被警告" above the body.
- moderators get a 选择 checkbox on every floor, bound to the ``modposts`` form.
- members get a 举报 link under others' floors.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.translation import gettext as _

from luntan.moderation.rendering import post_flags
from luntan.threads.extras import FloorExtra
from luntan.threads.page import Floor, ThreadPage, url_maker


class ModerationExtra(FloorExtra):
    """屏蔽/警告 notices, the moderator's 选择 checkbox and the 举报 link."""

    name = "moderation"
    order = 10  # before extras that decorate the body: a banned body is replaced first

    def annotations(self) -> dict:
        """``is_banned`` and ``is_warned`` (two EXISTS on the page's posts query)."""
        return post_flags()

    def decorate(self, page: ThreadPage, floors: Sequence[Floor]) -> None:
        """Add the notices, checkboxes and report links to ``floors``; no query."""
        moderator = page.moderator
        if moderator:
            label = _("选择")
            for f in floors:
                f.tools.append(
                    format_html(
                        '<label class="modsel"><input type="checkbox" form="modposts"'
                        ' name="post" value="{}"> {}</label>',
                        f.pk,
                        label,
                    )
                )
        banned_text = _("提示: 该帖被管理员或版主屏蔽")
        for f in floors:
            if f.deleted:
                continue
            if getattr(f.post, "is_warned", False):
                f.notices.append(
                    format_html('<div class="warned-notice">{}</div>', _("该帖作者被警告"))
                )
            if getattr(f.post, "is_banned", False):
                f.withheld = True
                if moderator:
                    f.notices.append(
                        format_html('<div class="banned-notice">{}</div>', banned_text)
                    )
                else:
                    f.body_hidden = True
                    f.html = format_html('<div class="locked banned-notice">{}</div>', banned_text)
        user = page.user
        if page.rights is None or user is None or not user.is_authenticated:
            return
        report = url_maker("mod:report")
        text = _("举报")
        for f in floors:
            if not f.deleted and f.post.author_id != user.pk:
                f.actions.append(
                    format_html('<a class="fl-report" href="{}">{}</a>', report(f.pk), text)
                )
