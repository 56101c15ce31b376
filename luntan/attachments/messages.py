"""Attachments of private messages (短消息): the same upload service, content checks,
size limits and group rights as posts (:func:`luntan.attachments.services.store`),
bound to a :class:`luntan.pms.models.Message` instead of a post.

:data:`PROVIDER` is registered with the posting hooks
(:func:`luntan.threads.posting.hooks.register_message_attachments`) by
:class:`luntan.attachments.apps.AttachmentsConfig`; ``pms`` never imports this app.
Who may fetch a message's file is decided by :func:`may_fetch` (the conversation's
members who still see the message).
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.utils.safestring import mark_safe

from luntan.attachments import services
from luntan.attachments.forms import EXTENSION
from luntan.attachments.models import Attachment
from luntan.attachments.queries import LIST_FIELDS
from luntan.attachments.rendering import inline_attachments, render_list
from luntan.permissions.viewer import ViewerLike, as_viewer


def may_fetch(viewer: ViewerLike, attachment: Attachment) -> bool:
    """May the viewer fetch ``attachment``, bound to a private message? Only a member of
    the message's conversation (a ``Participant`` row: who left has none) for whom the
    message is not deleted (``cleared_before`` below it, not ``hidden_for`` them).
    Guests never; staff no more than anyone (reported messages show no files). One
    query."""
    v = as_viewer(viewer)
    if not v.is_authenticated or attachment.pm_message_id is None:
        return False
    return (
        Attachment.objects.filter(
            pk=attachment.pk,
            pm_message__conversation__participants__user_id=v.pk or 0,
            pm_message__conversation__participants__cleared_before__lt=F("pm_message_id"),
        )
        .exclude(pm_message__hidden_for_id=v.pk)
        .exists()
    )


class MessageAttachmentsProvider:
    """The :class:`luntan.threads.posting.hooks.MessageAttachments` of this app."""

    form_extension = EXTENSION

    def bind(self, message, attachment_ids, user, uploads=()) -> list:
        """:func:`luntan.attachments.services.bind_to_pm`."""
        return services.bind_to_pm(message, attachment_ids, user, uploads)

    def annotations(self) -> dict:
        """``has_attachments`` (an EXISTS), so a page without any costs no query."""
        return {"has_attachments": Exists(Attachment.objects.filter(pm_message=OuterRef("pk")))}

    def decorate(self, messages: list) -> None:
        """Put each message's attachments into it: inline ``[attach]N[/attach]`` in
        ``message.html``, the rest as ``message.files_html`` (the 附件 box). One query for
        all, none when no message has ``has_attachments``."""
        ids = [m.pk for m in messages if getattr(m, "has_attachments", True)]
        if not ids:
            return
        found: dict[int, list[Attachment]] = {}
        rows = (
            Attachment.objects.filter(pm_message_id__in=ids)
            .only(*LIST_FIELDS, "pm_message_id")
            .order_by("pk")
        )
        for row in rows:
            assert row.pm_message_id is not None
            found.setdefault(row.pm_message_id, []).append(row)
        for m in messages:
            files = found.get(m.pk)
            if not files:
                continue
            html, rest = inline_attachments(m.html, files)
            m.html = mark_safe(html)  # noqa: S308 - sanitised message HTML + escaped markup
            m.files_html = mark_safe(render_list(rest))  # noqa: S308 - every value escaped


PROVIDER = MessageAttachmentsProvider()
