"""Notifications (提醒): one row per member and event (Discuz! ``home_notification``).

A :class:`Notification` tells ``recipient`` that ``actor`` wrote ``post`` in ``thread``:
a reply to the recipient's thread (``reply``, Discuz! ``type = 'post'``), a reply quoting
the recipient (``quote``), an @mention (``mention``, Discuz! ``at``) or a reply to a
thread the recipient follows (``follow``). One post gives a member at most one row (the
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

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("用户名"), max_length=32, blank=True)
    thread = models.ForeignKey("threads.Thread", on_delete=models.CASCADE, related_name="+")
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
