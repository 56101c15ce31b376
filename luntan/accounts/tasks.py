"""Background tasks of the accounts app (django-tasks).

Mail is rendered in the request (its language, its host name) and only the finished
message travels to the worker, so a task's arguments are plain JSON.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_mail_task(
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one e-mail through ``settings.EMAIL_BACKEND``; returns how many were sent (1).

    Raises what the backend raises (SMTP errors), so the task is marked failed and the
    worker logs it.
    """
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or None)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
