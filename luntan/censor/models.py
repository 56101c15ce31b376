"""Censor words (词语过滤), as Discuz! X3.4's ``common_word``.

A row has a ``find`` pattern and an ``action``:

- ``block`` (Discuz! replacement ``{BANNED}``): the text is refused;
- ``moderate`` (``{MOD}``): a post goes to the review queue (``PENDING``);
- ``replace``: each match becomes ``replacement`` (``***`` when empty).

``find`` is plain text (matched case-insensitively), may hold Discuz!'s ``{n}`` wildcard
(up to n of any character: ``法{1}轮`` matches 法轮 and 法x轮), or is a regular expression
between slashes (``/fa.?lun/``), validated by :func:`luntan.censor.services.compile_find`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CensorWord(models.Model):
    """One censor rule; see the module docstring."""

    class Action(models.TextChoices):
        BLOCK = "block", _("禁止")
        MODERATE = "moderate", _("审核")
        REPLACE = "replace", _("替换")

    find = models.CharField(_("不良词语"), max_length=255, unique=True)
    action = models.CharField(
        _("处理方式"), max_length=10, choices=Action.choices, default=Action.REPLACE
    )
    replacement = models.CharField(_("替换为"), max_length=255, blank=True)
    operator_name = models.CharField(_("操作者"), max_length=15, blank=True)
    created = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("词语过滤")
        verbose_name_plural = _("词语过滤")

    def __str__(self) -> str:
        return self.find
