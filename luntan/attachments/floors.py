"""Attachments on thread-page floors (a floor extra, registered in
:class:`luntan.attachments.apps.AttachmentsConfig.ready`): inline ``[attach]N[/attach]``
and the 附件 box under the post.

One query for the whole page, none when no post on it has attachments (the page's posts
query carries ``has_attachments``, added through :meth:`AttachmentsExtra.annotations`).
A floor whose body the viewer does not see (deleted, 屏蔽) gets nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef
from django.utils.safestring import mark_safe

from luntan.attachments.models import Attachment
from luntan.attachments.queries import attachments_for_posts
from luntan.attachments.rendering import inline_attachments, render_list
from luntan.threads.extras import FloorExtra
from luntan.threads.page import Floor, ThreadPage


class AttachmentsExtra(FloorExtra):
    """Inline attachments and the 附件 box of each floor."""

    name = "attachments"
    order = 50  # after moderation (a 屏蔽 body is not decorated)

    def annotations(self) -> dict:
        """``has_attachments``: an EXISTS that lets a page without any skip the query."""
        return {"has_attachments": Exists(Attachment.objects.filter(post=OuterRef("pk")))}

    def decorate(self, page: ThreadPage, floors: Sequence[Floor]) -> None:
        """Replace placeholders in ``floor.html``, set ``floor.files`` to the attachments not
        used inline and add their 附件 box to ``floor.below``."""
        shown = [f for f in floors if f.visible]
        found = attachments_for_posts([f.post for f in shown])
        if not found:
            return
        for f in shown:
            files = found.get(f.pk)
            if not files:
                continue
            html, rest = inline_attachments(f.html, files)
            f.html = mark_safe(html)  # noqa: S308 - sanitised post HTML + escaped markup
            f.files = rest
            box = render_list(rest)
            if box:
                f.below.append(mark_safe(box))  # noqa: S308 - every value escaped
