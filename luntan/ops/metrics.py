"""Prometheus metrics of this process (``/metrics``, prometheus_client's text format).

- ``luntan_http_requests_total{status="2xx"|"3xx"|"4xx"|"5xx"}``: responses served by
  this process since it started;
- ``luntan_http_request_duration_seconds``: a histogram of their wall time;
- ``luntan_tasks{status=…}``: background tasks in the database queue by status, read at
  scrape time (shared by every process).

Each gunicorn worker counts its own requests: a scrape sees the worker that answered it.
With ``PROMETHEUS_MULTIPROC_DIR`` set to an empty folder before the server starts
(prometheus_client's multiprocess mode), the workers write their figures there and a
scrape returns the sum over all of them (:func:`exposition`).
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "luntan_http_requests",
    "HTTP responses served by this process, by status class.",
    ["status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "luntan_http_request_duration_seconds",
    "Wall time of HTTP requests served by this process, in seconds.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)


def observe(status: int, seconds: float) -> None:
    """Count one response with HTTP ``status`` that took ``seconds`` of wall time."""
    REQUESTS.labels(status=f"{status // 100}xx").inc()
    LATENCY.observe(seconds)


class TaskCollector(Collector):
    """``luntan_tasks{status}``: background tasks in the database by status (one query)."""

    def collect(self):
        from luntan.ops.health import uses_db_tasks

        family = GaugeMetricFamily(
            "luntan_tasks", "Background tasks in the database queue, by status.", labels=["status"]
        )
        if uses_db_tasks():
            from django.db import DatabaseError
            from django.db.models import Count
            from django_tasks_db.models import DBTaskResult

            rows = DBTaskResult.objects.values_list("status").annotate(n=Count("id"))
            try:
                counted = list(rows.order_by("status"))
            except DatabaseError:
                counted = []  # the database is down: /healthz says so; requests still count
            for status, n in counted:
                family.add_metric([status], n)
        yield family

    def describe(self):
        return []


REGISTRY.register(TaskCollector())


def exposition() -> bytes:
    """The Prometheus text of ``/metrics``: this process's figures, or every worker's
    summed when ``PROMETHEUS_MULTIPROC_DIR`` is set; task counts either way."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return generate_latest(REGISTRY)
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(TaskCollector())
    return generate_latest(registry)
