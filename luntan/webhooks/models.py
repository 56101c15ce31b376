"""A registered webhook and the log of its deliveries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The events a webhook may subscribe to (name → description).
EVENTS = {
    "thread.created": _("发表新主题"),
    "post.created": _("发表回复"),
    "post.edited": _("编辑帖子"),
    "post.deleted": _("删除帖子"),
    "member.registered": _("新会员注册"),
    "report.filed": _("举报帖子"),
}


class Webhook(models.Model):
    """A URL told about ``events`` (a list of :data:`EVENTS` names). ``secret`` signs every
    delivery (HMAC-SHA256 of the body, header ``X-Luntan-Signature: sha256=<hex>``); it is
    kept in clear because signing needs it (it is not a password). ``allow_private`` lets
    the URL resolve to a private, loopback or link-local address (refused otherwise:
    SSRF). Inactive webhooks receive nothing."""

    url = models.URLField(_("地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=100)
    events = models.JSONField(_("事件"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)
    allow_private = models.BooleanField(
        _("允许内网地址"),
        default=False,
        help_text=_("允许地址解析到内网、本机或链路本地地址（默认拒绝，以防 SSRF）。"),
    )
    created = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("网络钩子")
        verbose_name_plural = _("网络钩子")

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event sent (or to be sent) to one webhook, with its outcome: ``status``
    pending → delivered or failed (after :data:`luntan.webhooks.services.MAX_ATTEMPTS`),
    ``attempts``, the last ``response_status`` (HTTP) or ``error``, ``next_attempt_at``
    (UTC) while pending. ``payload`` is the JSON body sent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("等待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("失败")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("事件"), max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    response_status = models.PositiveSmallIntegerField(_("响应状态"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created = models.DateTimeField(_("创建时间"))
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
