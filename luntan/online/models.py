"""The 最高记录 of people online at once (Discuz! ``common_setting`` ``onlinerecord``:
``"<count>\\t<unix time>"``): one row, written only when the record is beaten."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineRecord(models.Model):
    """The most people (members and guests) seen online at once, and when (UTC). The
    row with ``pk = 1`` is the record; there is no other."""

    count = models.PositiveIntegerField(_("最高记录"), default=0)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("最高记录")
        verbose_name_plural = _("最高记录")

    def __str__(self) -> str:
        return f"{self.count} @ {self.at:%Y-%m-%d %H:%M}"
