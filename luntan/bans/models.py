"""Bans (小黑屋): member bans with reason and expiry, and IP bans.

Discuz! X3.4 keeps a member ban as the member's usergroup (4 禁止发言 / 5 禁止访问) plus
``common_member.groupexpiry`` and a ``common_member_crime`` row (operator, reason), and
IP bans in ``common_banned`` (four octets, each a number or ``-1`` for ``*``, with an
expiry). luntan keeps one :class:`Ban` row per ban (the crime record and the expiry) and
one :class:`IPBan` row per pattern; :mod:`luntan.bans.services` writes both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Ban(models.Model):
    """A member's ban. Active while ``lifted_at`` is null; ``expires_at`` (UTC; null:
    forever) is when it lifts itself (checked on the member's next request and by
    ``luntan expire_bans``). ``previous_group_id`` is the usergroup restored on lifting."""

    class Kind(models.TextChoices):
        POSTING = "posting", _("禁止发言")
        VISITING = "visiting", _("禁止访问")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bans"
    )
    kind = models.CharField(_("处罚"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created = models.DateTimeField(_("时间"))
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作者"),
    )
    operator_name = models.CharField(_("操作者"), max_length=15, blank=True)
    previous_group_id = models.PositiveIntegerField(_("原用户组"))

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("禁止用户")
        verbose_name_plural = _("禁止用户")
        indexes = [models.Index(fields=["user", "lifted_at"], name="bans_ban_user_active")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class IPBan(models.Model):
    """A banned address pattern: IPv4 with ``*`` octets (``1.2.3.*``, ``1.2.*.*``), an
    exact IPv4/IPv6 address or a CIDR prefix (``2001:db8::/32``). ``expires_at`` UTC or
    null (forever)."""

    pattern = models.CharField(_("IP 地址"), max_length=64, unique=True)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created = models.DateTimeField(_("时间"))
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作者"),
    )
    operator_name = models.CharField(_("操作者"), max_length=15, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("禁止 IP")
        verbose_name_plural = _("禁止 IP")

    def __str__(self) -> str:
        return self.pattern
