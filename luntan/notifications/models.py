"""Notifications (提醒): one row per member and event (Discuz! ``home_notification``).

A :class:`Notification` tells ``recipient`` that ``actor`` wrote ``post`` in ``thread``:
a reply to the recipient's thread (``reply``, Discuz! ``type = 'post'``), a reply quoting
the recipient (``quote``), an @mention (``mention``, Discuz! ``at``) or a reply to a
thread the recipient follows (``follow``), or sent them a private message (``pm``: no
thread; ``url`` is the conversation). One post gives a member at most one row (the
most specific kind). ``read_at`` is ``None`` until the member marks it read; times UTC.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One notice for ``recipient`` (see the module docstring)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("回复了您的主题")
        QUOTE = "quote", _("引用了您的帖子")
        MENTION = "mention", _("提到了您")
        FOLLOW = "follow", _("回复了您订阅的主题")
        PM = "pm", _("给您发送了短消息")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("用户名"), max_length=32, blank=True)
    thread = models.ForeignKey(
        "threads.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    #: Where a notice about no thread leads (a ``pm``: the conversation page).
    url = models.CharField(max_length=200, blank=True)
    post = models.ForeignKey(
        "threads.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    discuz_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_recipient_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=Q(post__isnull=False),
                name="notification_once_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} ← {self.kind} p{self.post_id}"
