"""Background task of the 管理中心 (django-tasks): runs one 工具 job."""

from __future__ import annotations

from django_tasks import task

from luntan.admincenter import tools


@task()
def run_admin_job_task(job_id: int) -> str:
    """Run :class:`~luntan.admincenter.models.AdminJob` ``job_id``
    (:func:`luntan.admincenter.tools.run_job`); returns its final state ("" when it was
    not queued)."""
    job = tools.run_job(job_id)
    return job.state if job is not None else ""
