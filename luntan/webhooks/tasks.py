"""The delivery task (django-tasks; the database backend runs it in ``luntan db_worker``)."""

from __future__ import annotations

from django_tasks import task

from luntan.webhooks import services


@task()
def deliver_task(delivery_id: int) -> None:
    """Attempt delivery ``delivery_id`` (see :func:`luntan.webhooks.services.deliver`)."""
    services.deliver(delivery_id)
