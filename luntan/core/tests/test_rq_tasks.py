"""Tasks on Redis (django-tasks-rq): a worker killed in the middle of a job leaves it to be
retried, and the retried job runs to the end once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import redis_test_url

pytestmark = pytest.mark.redis

QUEUE = "default"


@pytest.fixture
def rq_settings(settings):
    """Point the task backend and RQ at the test Redis, with an empty queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {
        QUEUE: {
            "URL": redis_test_url(),
            "DEFAULT_TIMEOUT": 60,
            "QUEUE_CLASS": "luntan.core.taskqueue.RetryingQueue",
        }
    }
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    import django_rq
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    queue = django_rq.get_queue(QUEUE)
    queue.empty()
    for registry in (StartedJobRegistry(queue=queue), FailedJobRegistry(queue=queue)):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
    return settings


def _worker(tmp_path: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "luntan.settings",
        "LUNTAN_HOME": str(tmp_path / "home"),
        "REDIS_URL": redis_test_url(),
        "LUNTAN_TASKS_BACKEND": "rq",
        "SECRET_KEY": "test-rq-worker",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "luntan.manage", "rqworker", QUEUE, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_the_rq_backend_queues_each_job_with_retries(rq_settings, tmp_path):
    import django_rq

    from luntan.core.tests.rq_jobs import mark_and_sleep

    result = mark_and_sleep.enqueue(str(tmp_path / "m"), 0)
    job = django_rq.get_queue(QUEUE).fetch_job(result.id)
    assert job is not None
    assert job.retries_left == 3


def test_a_job_whose_worker_is_killed_runs_again_to_the_end(rq_settings, tmp_path):
    from django_tasks import default_task_backend

    from luntan.core.taskqueue import recover_abandoned_jobs
    from luntan.core.tests.rq_jobs import mark_and_sleep

    marks = tmp_path / "marks"
    result = mark_and_sleep.enqueue(str(marks), 4)
    worker = _worker(tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not (marks.exists() and "start" in marks.read_text()):
            assert worker.poll() is None, worker.stdout.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.1)
        # SIGKILL the worker and its work horse (RQ forks it into a group of its own) in
        # the middle of the job, as a crash of the machine would.
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        os.killpg(worker.pid, signal.SIGKILL)
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert marks.read_text() == "start\n"
    assert default_task_backend.get_result(result.id).status == "RUNNING"

    # Nothing is lost: once its heartbeat has expired the job goes back on the queue.
    assert recover_abandoned_jobs(QUEUE, now=time.time() + 3600) == 1
    second = _worker(tmp_path, "--burst")
    out, _ = second.communicate(timeout=120)
    assert second.returncode == 0, out.decode()
    assert marks.read_text() == "start\nstart\ndone\n"
    assert default_task_backend.get_result(result.id).status == "SUCCESSFUL"


def test_healthz_reports_the_redis_queue(rq_settings, tmp_path):
    from luntan.core.tests.rq_jobs import mark_and_sleep
    from luntan.ops.health import queue_state

    mark_and_sleep.enqueue(str(tmp_path / "m"), 0)
    state = queue_state()
    assert state is not None
    assert state["depth"] == 1
    assert state["oldest_ready_seconds"] is not None and state["oldest_ready_seconds"] < 60
    assert state["stale"] is False
