"""The Redis task queue (django-tasks-rq over RQ): jobs that survive a killed worker.

Chosen by ``LUNTAN_TASKS_BACKEND=rq`` (see ``luntan/settings.py``); the database queue
(django-tasks-db) stays the default for a single machine. With Redis, a job that Redis
cannot take (it is down) goes to the database queue instead (:class:`FallbackRQBackend`),
run by ``luntan db_worker --backend fallback``.

RQ moves a job whose worker died in the middle of it ("abandoned": its heartbeat expired,
about a minute after the kill) out of the started-jobs registry when a worker next runs
its maintenance; the job is put back on the queue only if it still has retries left.
django-tasks-rq enqueues jobs without retries, so :class:`RetryingQueue` (named by
``RQ_QUEUES[...]["QUEUE_CLASS"]``) gives each one ``LUNTAN_TASK_RETRIES`` (default 3).
"""

import logging
from typing import Any

from django.conf import settings
from django_rq.queues import DjangoRQ
from django_tasks import task_backends
from django_tasks_rq import RQBackend
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Retry

logger = logging.getLogger(__name__)

#: The ``TASKS`` alias of the database queue that keeps jobs Redis could not take.
FALLBACK = "fallback"

DEFAULT_RETRIES = 3


class RetryingQueue(DjangoRQ):
    """An RQ queue whose jobs are retried (``LUNTAN_TASK_RETRIES`` times, int) when they
    fail or their worker is killed, unless the caller passed its own ``retry``."""

    def create_job(self, *args: Any, **kwargs: Any) -> Any:
        """Create the job as :meth:`rq.Queue.create_job` does, with retries by default."""
        if kwargs.get("retry") is None:
            retries = getattr(settings, "LUNTAN_TASK_RETRIES", DEFAULT_RETRIES)
            if retries > 0:
                kwargs["retry"] = Retry(max=retries)
        return super().create_job(*args, **kwargs)


class FallbackRQBackend(RQBackend):
    """django-tasks-rq's backend that keeps a job in the database queue (``TASKS
    ["fallback"]``, django-tasks-db) when Redis cannot take it, so work queued after a
    committed write (a reply's indexing and mails) is not lost during a Redis outage:
    ``luntan db_worker --backend fallback`` runs those jobs. Raises what the database
    raises if it cannot store the job either."""

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        """Enqueue on Redis; on a Redis connection error or timeout, in the database."""
        try:
            return super().enqueue(task, args, kwargs)
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            logger.warning("Redis did not take task %s (%s): kept in the database queue",
                           task.module_path, exc)  # fmt: skip
            return task_backends[FALLBACK].enqueue(task, args, kwargs)


def recover_abandoned_jobs(queue_name: str = "default", now: float | None = None) -> int:
    """Requeue (or fail, when out of retries) the jobs of ``queue_name`` whose worker died.

    RQ's worker does this in its maintenance every ten minutes; ``luntan rq_recover`` and
    the tests call it at once. ``now`` (Unix seconds, default the clock) is the moment a
    heartbeat must have expired by. Returns how many started jobs were found abandoned.
    """
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import StartedJobRegistry

    queue = django_rq.get_queue(queue_name, job_class=Job)
    registry = StartedJobRegistry(queue=queue, job_class=Job)  # its failure callback needs it
    expired = registry.get_expired_job_ids(now)
    registry.cleanup(now)
    return len(expired)
