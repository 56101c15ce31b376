"""``/healthz`` and ``/metrics``: what an operator's probe and Prometheus see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from luntan.ops import health


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_healthz_reports_every_check(client, media):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert r["Cache-Control"] == "no-store"
    body = r.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] is True
    assert body["checks"]["cache"] is True
    assert body["checks"]["storage"] is True
    # The probe file is removed again.
    assert not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.django_db
def test_healthz_answers_a_probe_by_ip_over_plain_http(client, settings, media):
    """A load balancer probes with its own Host header and plain HTTP: no 400, no redirect."""
    settings.SECURE_SSL_REDIRECT = True
    r = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert r.status_code == 200


@pytest.mark.django_db
def test_healthz_is_503_when_storage_is_not_writable(client, media, monkeypatch):
    from django.core.files.storage import default_storage

    def refuse(*args, **kwargs):
        raise PermissionError("read-only /secret/path")

    monkeypatch.setattr(default_storage, "save", refuse)
    r = client.get("/healthz")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "fail"
    assert body["checks"]["storage"] is False
    assert "secret" not in r.content.decode()


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_loses_writes(client, media, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(cache, "get", lambda *a, **k: None)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["checks"]["cache"] is False


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, media, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: False)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["checks"]["database"] is False


def _task(status, enqueued, started=None, finished=None):
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="luntan.example.task",
        queue_name="default",
        backend_name="default",
        run_after=enqueued,
        started_at=started,
        finished_at=finished,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=enqueued)
    return row


@pytest.mark.django_db
def test_healthz_reports_queue_depth_and_worker_age(client, settings, media):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    _task("READY", now - timedelta(seconds=30))
    _task("READY", now - timedelta(seconds=5))
    _task(
        "SUCCESSFUL",
        now - timedelta(minutes=9),
        now - timedelta(minutes=9),
        now - timedelta(minutes=2),
    )
    r = client.get("/healthz")
    assert r.status_code == 200
    queue = r.json()["checks"]["queue"]
    assert queue["depth"] == 2
    assert 29 <= queue["oldest_ready_seconds"] < 90
    assert 119 <= queue["worker_last_seen_seconds"] < 180
    assert queue["stale"] is False


@pytest.mark.django_db
def test_healthz_is_503_when_tasks_wait_with_no_worker(client, settings, media):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LUNTAN_HEALTH_QUEUE_STALE_SECONDS = 60
    _task("READY", timezone.now() - timedelta(minutes=10))
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["checks"]["queue"]["stale"] is True


@pytest.mark.django_db
def test_healthz_is_not_rate_limited(client, media):
    assert all(client.get("/healthz").status_code == 200 for _ in range(30))


def test_robots_keeps_crawlers_off(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /healthz" in text
    assert "Disallow: /metrics" in text


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.rsplit(" ", 1)[0] == name:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.mark.django_db
def test_metrics_counts_requests_by_status_class(client, settings):
    before = client.get("/metrics").content.decode()
    client.get("/robots.txt")
    client.get("/no-such-page/")
    after = client.get("/metrics").content.decode()
    ok = 'luntan_http_requests_total{status="2xx"}'
    missing = 'luntan_http_requests_total{status="4xx"}'
    assert _sample(after, ok) == _sample(before, ok) + 1
    assert _sample(after, missing) == _sample(before, missing) + 1
    count = "luntan_http_request_duration_seconds_count"
    assert _sample(after, count) == _sample(before, count) + 2
    assert 'luntan_http_request_duration_seconds_bucket{le="0.5"}' in after


@pytest.mark.django_db
def test_metrics_counts_tasks_by_status(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    _task("READY", now)
    _task("READY", now)
    _task("FAILED", now, now, now)
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/plain")
    text = r.content.decode()
    assert _sample(text, 'luntan_tasks{status="READY"}') == 2
    assert _sample(text, 'luntan_tasks{status="FAILED"}') == 1


@pytest.mark.django_db
def test_metrics_refuses_other_addresses(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    settings.LUNTAN_METRICS_ALLOW = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.2.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_metrics_believes_forwarded_for_only_from_trusted_proxies(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    forged = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert forged.status_code == 403
    outside = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert outside.status_code == 403


@pytest.mark.django_db
def test_healthz_is_cheap(client, settings, media, django_assert_max_num_queries):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_assert_max_num_queries(4):
        assert client.get("/healthz").status_code == 200


_WORKER = """
import django, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luntan.settings_test")
django.setup()
from luntan.ops import metrics
for _ in range(int(sys.argv[1])):
    metrics.observe(200, 0.01)
metrics.observe(503, 0.2)
if sys.argv[2] == "scrape":
    sys.stdout.write(metrics.exposition().decode())
"""


def test_metrics_sum_every_worker_in_multiprocess_mode(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR (gunicorn with several workers), a scrape adds up
    what every worker process served."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "LUNTAN_TASKS_BACKEND": "immediate",
    }

    def run(n, mode):
        return subprocess.run(
            [sys.executable, "-c", _WORKER, str(n), mode],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout

    run(3, "quiet")
    text = run(4, "scrape")
    assert _sample(text, 'luntan_http_requests_total{status="2xx"}') == 7
    assert _sample(text, 'luntan_http_requests_total{status="5xx"}') == 2
    assert _sample(text, "luntan_http_request_duration_seconds_count") == 9
