"""The checks behind ``/healthz``: database, cache, storage, task queue.

Each check is cheap (one query, one cache round trip, one tiny file written and
removed, two queries on the task table) and reports only booleans and numbers, never
an error message, a host name or a path (the page is public).
"""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

#: A task that waited this long (seconds) without a worker taking it means no worker runs.
DEFAULT_QUEUE_STALE_SECONDS = 300


def check_database() -> bool:
    """Return True when the default database answers ``SELECT 1``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def check_cache() -> bool:
    """Return True when a value written to the cache reads back (Redis down: False;
    :class:`luntan.core.cache.ResilientRedisCache` turns errors into misses)."""
    key = f"ops:healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
        return ok
    except Exception:
        return False


def check_storage() -> bool:
    """Return True when the default storage (uploads) accepts, returns and deletes a file."""
    try:
        name = default_storage.save(f".healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
        try:
            with default_storage.open(name) as f:
                ok = f.read() == b"ok"
        finally:
            default_storage.delete(name)
        return ok
    except Exception:
        return False


def uses_db_tasks() -> bool:
    """Return True when background tasks are queued in the database (django-tasks-db)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_db")


def uses_rq_tasks() -> bool:
    """Return True when background tasks are queued in Redis (django-tasks-rq, or
    :class:`luntan.core.taskqueue.FallbackRQBackend` built on it)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_rq") or backend.endswith(".FallbackRQBackend")


def rq_queue_state() -> dict[str, Any]:
    """The Redis queue's state in :func:`queue_state`'s shape; RQ workers keep a
    heartbeat, so ``worker_last_seen_seconds`` is the newest heartbeat of any worker."""
    import django_rq
    from rq import Worker

    now = timezone.now()
    queue = django_rq.get_queue("default")
    depth = queue.count
    oldest = None
    first = queue.get_job_ids(0, 1)
    if first:
        job = queue.fetch_job(first[0])
        if job is not None and job.enqueued_at is not None:
            oldest = (
                job.enqueued_at.replace(tzinfo=UTC)
                if job.enqueued_at.tzinfo is None
                else job.enqueued_at
            )
    beats = [w.last_heartbeat for w in Worker.all(queue=queue) if w.last_heartbeat]
    last = max((b.replace(tzinfo=UTC) if b.tzinfo is None else b for b in beats), default=None)
    limit = getattr(settings, "LUNTAN_HEALTH_QUEUE_STALE_SECONDS", DEFAULT_QUEUE_STALE_SECONDS)
    return {
        "depth": depth,
        "oldest_ready_seconds": round((now - oldest).total_seconds(), 3) if oldest else None,
        "worker_last_seen_seconds": round((now - last).total_seconds(), 3) if last else None,
        "stale": bool(oldest and now - oldest > timedelta(seconds=limit)),
    }


def queue_state() -> dict[str, Any] | None:
    """Return the task queue's state, or None when tasks do not go through the database.

    Returns ``{"depth": tasks ready to run (int), "oldest_ready_seconds": age of the
    oldest of them (float or None), "worker_last_seen_seconds": seconds since a worker
    last started or finished a task (float or None: never), "stale": True when a task
    has waited longer than ``LUNTAN_HEALTH_QUEUE_STALE_SECONDS`` (default 300)}``.
    django-tasks-db keeps no worker heartbeat, so the worker's age is read from the
    tasks it ran; an idle worker and a dead one look alike until work waits: "stale"
    is what tells them apart.
    """
    if uses_rq_tasks():
        return rq_queue_state()
    if not uses_db_tasks():
        return None
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = DBTaskResult.objects.filter(status="READY", run_after__lte=now)
    stats = ready.aggregate(oldest=Min("enqueued_at"))
    depth = ready.count()
    seen = DBTaskResult.objects.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    last = max((t for t in (seen["started"], seen["finished"]) if t), default=None)
    limit = getattr(settings, "LUNTAN_HEALTH_QUEUE_STALE_SECONDS", DEFAULT_QUEUE_STALE_SECONDS)
    oldest = stats["oldest"]
    return {
        "depth": depth,
        "oldest_ready_seconds": round((now - oldest).total_seconds(), 3) if oldest else None,
        "worker_last_seen_seconds": round((now - last).total_seconds(), 3) if last else None,
        "stale": bool(oldest and now - oldest > timedelta(seconds=limit)),
    }


def health() -> tuple[bool, dict[str, Any]]:
    """Run every check; return ``(healthy, report)`` where report is the JSON body.

    Healthy means the database, cache and storage work and the task queue is not stale.
    """
    database = check_database()
    checks: dict[str, Any] = {
        "database": database,
        "cache": check_cache(),
        "storage": check_storage(),
    }
    queue = None
    if database or uses_rq_tasks():
        try:
            queue = queue_state()
        except Exception:
            queue = {"error": True}
    checks["queue"] = queue
    queue_ok = queue is None or (not queue.get("error") and not queue.get("stale"))
    if not database and uses_db_tasks():
        queue_ok = False
    healthy = bool(database and checks["cache"] and checks["storage"] and queue_ok)
    return healthy, {"status": "ok" if healthy else "fail", "checks": checks}
