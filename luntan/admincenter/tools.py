"""工具 of the 管理中心 (Discuz! X3.4 后台 › 工具: 更新统计, 更新缓存, and the search
index): each tool runs on the task queue (django-tasks, as account mail does) as an
:class:`~luntan.admincenter.models.AdminJob` row the page polls for state and progress.

:func:`start_job` is the write the page makes (one transaction: the row and an audit entry
``run_tool``; the task is enqueued after commit). :func:`run_job` is the task's body: it
marks the row running, does the work, records progress and the result, and marks it done
or failed. Tools:

- ``check_counters``: :func:`luntan.moderation.maintenance.check_counters` (the logic of
  ``luntan rebuild_counters --check``), changes nothing; the drift is kept in ``result``.
- ``repair_counters``: :func:`luntan.moderation.maintenance.repair_counters` (logged as
  ``repair_counters`` with what it fixed).
- ``rebuild_search``: :func:`luntan.search.indexing.rebuild` with progress per batch.
- ``rerender_posts``: :func:`luntan.threads.rendering.rerender_posts` over every stored
  post (``luntan rerender_posts --all``: after a smiley, custom BBCode or renderer change),
  with progress per batch of posts; the result is ``{"rendered": n}``.
- ``clear_caches``: every configured cache (``settings.CACHES``) is emptied; on Redis only
  the site's keys (``KEY_PREFIX``) are deleted, never the whole database, so a task queue
  sharing the Redis database keeps its jobs. A per-process local-memory cache is cleared
  only in the process that runs the job (the worker), so with the default ``db`` task
  backend and no Redis the web processes keep theirs until they expire.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.admincenter.models import AdminJob
from luntan.moderation import audit
from luntan.moderation.models import Action

logger = logging.getLogger(__name__)

#: A job queued or running longer than this (seconds) is taken for lost (no worker, or
#: the worker died) and no longer blocks running the tool again.
STALE_SECONDS = 3600

#: Drift rows kept in a check job's result (the count is always exact).
DRIFT_KEPT = 100


def start_job(kind: str, *, actor, ip: str | None = None, now: datetime | None = None) -> AdminJob:
    """Queue tool ``kind`` (an :class:`AdminJob.Kind` value) and log it (action
    ``run_tool``, target ``site`` #0, ``after = {"tool": kind, "job": id}``). Returns the
    job (queued; with the immediate task backend it has already run once this returns).
    Raises ``ValidationError`` for an unknown tool or when the same tool is already queued
    or running (a job older than :data:`STALE_SECONDS` is marked failed instead)."""
    if kind not in AdminJob.Kind.values:
        raise ValidationError(_("没有这个工具。"), code="kind")
    now = now or timezone.now()
    with transaction.atomic():
        active = AdminJob.objects.select_for_update().filter(
            kind=kind, state__in=[AdminJob.State.QUEUED, AdminJob.State.RUNNING]
        )
        active.filter(created__lt=now - timedelta(seconds=STALE_SECONDS)).update(
            state=AdminJob.State.FAILED,
            error=_("超过一小时没有完成，可能任务队列没有运行。"),
            finished_at=now,
        )
        busy = active.filter(created__gte=now - timedelta(seconds=STALE_SECONDS)).exists()
        if busy:
            raise ValidationError(_("这个工具正在运行，请等它完成。"), code="busy")
        job = AdminJob.objects.create(
            kind=kind,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=(getattr(actor, "username", "") or "")[:15],
            created=now,
        )
        audit.record(
            actor=actor,
            action=Action.RUN_TOOL,
            target_type="site",
            target_id=0,
            before={},
            after={"tool": kind, "job": job.pk},
            ip=ip,
            now=now,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from luntan.admincenter.tasks import run_admin_job_task

    run_admin_job_task.enqueue(job_id)


def _progress(job_id: int, done: int, total: int) -> None:
    AdminJob.objects.filter(pk=job_id).update(done=done, total=total)


def run_job(job_id: int, *, now: datetime | None = None) -> AdminJob | None:
    """Run the queued job ``job_id`` (the task's body). Returns the finished job, or None
    when there is no such job or it is not queued (run twice by a retry). A failure is
    recorded on the row (state ``failed``, ``error``) and logged, not raised."""
    with transaction.atomic():
        job = AdminJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != AdminJob.State.QUEUED:
            return None
        job.state = AdminJob.State.RUNNING
        job.started_at = now or timezone.now()
        job.save(update_fields=["state", "started_at"])
    try:
        result = _TOOLS[job.kind](job)
    except Exception as exc:  # noqa: BLE001 - a tool's failure is shown on the page
        logger.exception("admin job %s (%s) failed", job.pk, job.kind)
        AdminJob.objects.filter(pk=job.pk).update(
            state=AdminJob.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    else:
        AdminJob.objects.filter(pk=job.pk).update(
            state=AdminJob.State.DONE, result=result, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _drift_rows(found) -> list[list]:
    return [[d.kind, d.pk, d.field, str(d.stored), str(d.rebuilt)] for d in found[:DRIFT_KEPT]]


def _check_counters(job: AdminJob) -> dict:
    from luntan.moderation.maintenance import check_counters

    _progress(job.pk, 0, 1)
    found = check_counters()
    _progress(job.pk, 1, 1)
    return {"drift": len(found), "rows": _drift_rows(found)}


def _repair_counters(job: AdminJob) -> dict:
    from luntan.moderation.maintenance import repair_counters

    _progress(job.pk, 0, 1)
    found = repair_counters(actor=job.actor)
    _progress(job.pk, 1, 1)
    return {"fixed": len(found), "rows": _drift_rows(found)}


def _rebuild_search(job: AdminJob) -> dict:
    from luntan.search.indexing import rebuild

    indexed = rebuild(progress=lambda done, total: _progress(job.pk, done, total))
    return {"indexed": indexed}


def _rerender_posts(job: AdminJob) -> dict:
    from luntan.threads.rendering import posts_to_rerender, rerender_posts

    total = posts_to_rerender(everything=True)
    _progress(job.pk, 0, total)
    rendered = rerender_posts(
        everything=True, progress=lambda done: _progress(job.pk, done, max(total, done))
    )
    _progress(job.pk, rendered, max(total, rendered))
    return {"rendered": rendered}


def clear_caches() -> list[str]:
    """Empty every cache in ``settings.CACHES`` (see the module docstring for Redis and
    local memory). Returns the aliases cleared."""
    cleared: list[str] = []
    seen: set[tuple[str, str]] = set()
    for alias, conf in settings.CACHES.items():
        key = (str(conf.get("BACKEND", "")), str(conf.get("LOCATION", "")))
        if key in seen:
            cleared.append(alias)
            continue
        seen.add(key)
        cache = caches[alias]
        prefix = getattr(cache, "key_prefix", "")
        client_source: Any = getattr(cache, "_cache", None)
        if "redis" in key[0].lower() and prefix and hasattr(client_source, "get_client"):
            client = client_source.get_client(None, write=True)
            batch = []
            for name in client.scan_iter(match=f"{prefix}:*", count=1000):
                batch.append(name)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        else:
            cache.clear()
        cleared.append(alias)
    return cleared


def _clear_caches(job: AdminJob) -> dict:
    _progress(job.pk, 0, 1)
    cleared = clear_caches()
    _progress(job.pk, 1, 1)
    return {"caches": cleared}


_TOOLS: dict[str, Callable[[AdminJob], dict]] = {
    AdminJob.Kind.CHECK_COUNTERS: _check_counters,
    AdminJob.Kind.REPAIR_COUNTERS: _repair_counters,
    AdminJob.Kind.REBUILD_SEARCH: _rebuild_search,
    AdminJob.Kind.CLEAR_CACHES: _clear_caches,
    AdminJob.Kind.RERENDER_POSTS: _rerender_posts,
}
