"""Notifications (提醒): one row per member and event (Discuz! ``home_notification``).

A :class:`Notification` tells ``recipient`` that ``actor`` wrote ``post`` in ``thread``:
a reply to the recipient's thread (``reply``, Discuz! ``type = 'post'``), a reply quoting
the recipient (``quote``), an @mention (``mention``, Discuz! ``at``) or a reply to a
thread the recipient follows (``follow``). One post gives a member at most one row (the
most specific kind). Besides posts: a rating of the recipient's post (``rate``, Discuz!
``type = 'post'`` rate notices), a moderator's action on their content (``moderation``:
moved, closed, deleted, 屏蔽, warned, with the reason; Discuz! ``type = 'system'``) and a
private message (``pm``, Discuz! ``type = 'pm'``; ``thread`` is then empty and ``url``
points at the conversation). ``read_at`` is ``None`` until the member marks it read;
``emailed_at`` is set once the notice went out by e-mail (alone or in a digest); times UTC.

:class:`NotificationSettings` holds a member's choices: a channel per kind (site / e-mail
/ off), immediate mail or a daily digest, and the language of the mail.
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
        RATE = "rate", _("评分了您的帖子")
        MODERATION = "moderation", _("处理了您的内容")
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
    post = models.ForeignKey(
        "threads.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    #: Kind-specific facts shown with the notice: ``rate`` → ``{"credit": name, "score":
    #: int, "reason": str}``; ``moderation`` → ``{"action": Action value, "reason": str,
    #: "board": name (move)}``; ``pm`` → ``{"subject": str}`` (may be empty).
    extra = models.JSONField(default=dict, blank=True)
    #: Where a notice without a thread leads (a PM conversation), a site path ("/pm/3/").
    url = models.CharField(max_length=200, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
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
        ]  # the digest reads the unmailed ones of a few members: recipient_idx serves it
        constraints = [
            # One notice per member and post for the post kinds; ratings and moderation
            # notices may repeat a post (two raters, a warning then a 屏蔽).
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=Q(post__isnull=False, kind__in=["reply", "quote", "mention", "follow"]),
                name="notification_once_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} ← {self.kind} p{self.post_id}"

    def group_key(self) -> str:
        """What the notices page groups by: ``"t<thread id>"``, else ``"u<url>"`` (a PM
        conversation), else ``"n<id>"`` (alone)."""
        if self.thread_id:
            return f"t{self.thread_id}"
        if self.url:
            return f"u{self.url}"
        return f"n{self.pk}"


class Channel(models.TextChoices):
    """Where a kind of notice goes (per member, per kind)."""

    SITE = "site", _("站内")
    EMAIL = "email", _("站内和邮件")
    OFF = "off", _("关闭")


class Digest(models.TextChoices):
    """How e-mailed notices are sent."""

    IMMEDIATE = "immediate", _("立即发送")
    DAILY = "daily", _("每日汇总")


class NotificationSettings(models.Model):
    """One member's notice preferences; no row means the defaults (every kind ``site``,
    ``immediate``, Simplified Chinese). ``channels`` maps a
    :class:`Notification.Kind` value to a :class:`Channel` value (kinds left out are
    ``site``). ``language`` is the language of the mail (``zh-hans`` or ``en``);
    ``last_digest_at`` when the last daily digest was sent (UTC)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    channels = models.JSONField(default=dict, blank=True)
    digest = models.CharField(
        _("邮件方式"), max_length=10, choices=Digest.choices, default=Digest.IMMEDIATE
    )
    language = models.CharField(_("邮件语言"), max_length=10, default="zh-hans")
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channels} {self.digest}"

    def channel(self, kind: str) -> str:
        """The :class:`Channel` value for ``kind`` (``site`` when not chosen)."""
        value = (self.channels or {}).get(kind, Channel.SITE)
        return value if value in Channel.values else Channel.SITE
