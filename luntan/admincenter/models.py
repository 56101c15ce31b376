"""Jobs of the 管理中心's 工具 (tools): one row per run of a maintenance tool, queued on the
task queue and updated by the worker as it goes, so the page can show state and progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminJob(models.Model):
    """One run of a tool (:mod:`luntan.admincenter.tools`).

    ``state`` goes queued → running → done or failed; ``done``/``total`` count the units
    of work (posts for the search index and re-rendering, 1 for the others; ``total`` 0 until known);
    ``result`` is the tool's JSON answer (the counter drift found, posts indexed, caches
    cleared, posts re-rendered); ``error`` the message of a failure. Times are UTC."""

    class Kind(models.TextChoices):
        CHECK_COUNTERS = "check_counters", _("检查统计")
        REPAIR_COUNTERS = "repair_counters", _("修复统计")
        REBUILD_SEARCH = "rebuild_search", _("重建搜索索引")
        CLEAR_CACHES = "clear_caches", _("清除缓存")
        RERENDER_POSTS = "rerender_posts", _("重新渲染帖子")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("工具"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=15, blank=True)
    created = models.DateTimeField(_("时间"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("工具任务")
        verbose_name_plural = _("工具任务")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.state}"

    @property
    def active(self) -> bool:
        """Still queued or running."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self) -> int:
        """Progress 0–100 (100 when finished)."""
        if not self.active:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
