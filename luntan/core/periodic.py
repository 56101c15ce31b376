"""Periodic jobs without cron: apps register a django-tasks task to be enqueued once per
period (:func:`register_periodic`, from their ``AppConfig.ready()``), and ``luntan
run_periodic`` (started by ``make run`` beside the task worker; a systemd unit in
production, ``docs/deployment.md``) wakes up every minute and enqueues the jobs whose
period slot has begun (:func:`run_due`). The task worker then runs them.

django-tasks has no periodic API. A slot is ``floor(unix time / period)`` (a daily job's
slot begins at 00:00 UTC, 08:00 Beijing time). Each slot is claimed with
``cache.add`` in the shared cache (:func:`luntan.core.cache.shared_cache`: Redis, or a
file cache in ``LUNTAN_HOME`` on one machine), so several schedulers, or a restarted one,
enqueue a job once per slot. The registered jobs would tolerate a second run anyway
(digests are sent once per 23 hours, pruning deletes nothing twice). When the cache does
not answer (Redis down) nothing is enqueued and the next wake-up retries.

Registered: ``notifications.send_digests`` (the daily 提醒 digest mail) and
``unread.prune`` (``luntan prune_unread``'s work), both daily.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from luntan.core.cache import shared_cache

logger = logging.getLogger(__name__)

DAY = 86400


@dataclass(frozen=True)
class PeriodicJob:
    """A registered job: its ``name`` (also the cache key part), the django-tasks
    ``task`` (enqueued without arguments) and its period in seconds."""

    name: str
    task: Any
    every_seconds: int = DAY


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(name: str, task: Any, every_seconds: int = DAY) -> None:
    """Enqueue ``task`` (a django-tasks ``Task`` taking no arguments) once every
    ``every_seconds`` (at least 60). Registering a name again replaces it."""
    if every_seconds < 60:
        raise ValueError("a periodic job runs at most once a minute")
    _jobs[name] = PeriodicJob(name, task, every_seconds)


def periodic_jobs() -> list[PeriodicJob]:
    """The registered jobs, by name."""
    return [_jobs[n] for n in sorted(_jobs)]


def run_due(now: float | None = None) -> list[str]:
    """Enqueue every registered job whose current slot nobody claimed yet; ``now`` in
    Unix seconds (default the clock). Returns the names of the jobs enqueued. A job
    whose enqueueing fails is logged and its claim released (retried next time)."""
    now = time.time() if now is None else now
    cache = shared_cache()
    done = []
    for job in periodic_jobs():
        slot = int(now // job.every_seconds)
        key = f"periodic:{job.name}:{slot}"
        if not cache.add(key, 1, job.every_seconds * 2):
            continue
        try:
            job.task.enqueue()
        except Exception:
            logger.exception("periodic: could not enqueue %s", job.name)
            cache.delete(key)
            continue
        done.append(job.name)
    return done
