"""Tasks on Redis while Redis is down: a job queued after a committed write (a reply's
indexing, its mails) is kept in the database queue and run from there, not lost."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dead_redis_tasks(settings):
    """Tasks go to a Redis nothing listens on (port 1), with the database fallback."""
    settings.TASKS = {
        "default": {"BACKEND": "luntan.core.taskqueue.FallbackRQBackend"},
        "fallback": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    settings.RQ_QUEUES = {
        "default": {
            "URL": "redis://127.0.0.1:1/0",
            "DEFAULT_TIMEOUT": 60,
            "QUEUE_CLASS": "luntan.core.taskqueue.RetryingQueue",
        }
    }
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    return settings


def test_a_job_redis_cannot_take_waits_in_the_database_and_runs_once(dead_redis_tasks, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from luntan.core.tests.rq_jobs import mark_and_sleep

    marks = tmp_path / "marks"
    result = mark_and_sleep.enqueue(str(marks), 0)  # no exception: the write's work is kept
    row = DBTaskResult.objects.get()
    assert (row.backend_name, row.status, str(row.id)) == ("fallback", "READY", str(result.id))
    call_command("db_worker", "--backend", "fallback", "--batch", "--no-startup-delay",
                 verbosity=0)  # fmt: skip
    assert marks.read_text() == "start\ndone\n"
    call_command("db_worker", "--backend", "fallback", "--batch", "--no-startup-delay",
                 verbosity=0)  # fmt: skip
    assert marks.read_text() == "start\ndone\n"  # once
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_reply_posted_while_redis_is_down_is_indexed(dead_redis_tasks):
    from luntan.search.tests.helpers import find
    from luntan.threads.tests.factories import make_reply, make_thread

    thread = make_thread()
    # The reply commits; its index job cannot reach Redis.
    make_reply(thread, body="断电期间的回复，关键词蓝鲸")
    assert find("蓝鲸") == []
    call_command("db_worker", "--backend", "fallback", "--batch", "--no-startup-delay",
                 verbosity=0)  # fmt: skip
    assert len(find("蓝鲸")) == 1
