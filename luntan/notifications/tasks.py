"""Background tasks of notifications (django-tasks, ``default`` queue): the immediate
mails and the daily digest (:mod:`luntan.notifications.mail`). Arguments are plain JSON."""

from __future__ import annotations

from django_tasks import task

from luntan.notifications import mail


@task()
def mail_notices_task(ids: list[int], by_post: list[list[int]] | None = None) -> int:
    """Send the immediate mails of notices ``ids`` (and of ``by_post`` ``[recipient id,
    post id]`` pairs); returns how many were sent."""
    return mail.mail_notices(ids, by_post or [])


@task()
def send_digests_task() -> int:
    """Send the daily digests that are due; returns how many were sent."""
    return mail.send_digests()
