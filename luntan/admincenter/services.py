"""Writes of the 管理中心, one function per use case, each in a transaction and written to
the audit log (:class:`luntan.moderation.models.AuditLog`, via
:func:`luntan.moderation.audit.record`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from luntan.accounts.tasks import send_mail_task
from luntan.core.models import SiteSettings
from luntan.moderation import audit
from luntan.moderation.models import Action


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a setting's value for the audit log."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def update_site_settings(
    changed: SiteSettings,
    *,
    actor,
    fields: list[str],
    ip: str | None = None,
    now: datetime | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Save the site settings row ``changed`` (validated new values, e.g. a bound form's
    ``instance`` after ``is_valid()``), and log which of ``fields`` changed (action
    ``site_settings``, target ``site`` #0, ``before``/``after`` keyed by field name).

    ``actor`` is the administrator, ``ip`` their address, ``now`` aware UTC (default now).
    Returns ``{field: (before, after)}`` of what changed (empty: nothing changed, nothing
    logged, nothing saved). The settings cache is cleared on save
    (:meth:`SiteSettings.save`)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = SiteSettings.objects.select_for_update().filter(pk=1).first()
        before = {f: _plain(getattr(current or SiteSettings(), f)) for f in fields}
        after = {f: _plain(getattr(changed, f)) for f in fields}
        diff = {f: (before[f], after[f]) for f in fields if before[f] != after[f]}
        if not diff and current is not None:
            return {}
        changed.save()
        audit.record(
            actor=actor,
            action=Action.SITE_SETTINGS,
            target_type="site",
            target_id=0,
            before={f: b for f, (b, _a) in diff.items()},
            after={f: a for f, (_b, a) in diff.items()},
            ip=ip,
            now=now,
        )
    return diff


class TestMailFailed(OSError):
    """The test mail could not be sent (immediate task backend); the message says why."""


def send_test_mail(to: str, *, actor, ip: str | None = None, now: datetime | None = None) -> None:
    """Queue one test e-mail to ``to`` through the site's mail settings (the task queue,
    as account mail goes: ``luntan db_worker`` sends it, or at once with the immediate
    backend) and log it (action ``test_mail``, target ``site`` #0, ``after = {"to": to}``).
    Raises :class:`TestMailFailed` when the immediate backend's send failed (SMTP error,
    server unreachable); then nothing is logged. With the database queue a failure shows
    in the worker's log and the 首页's queue state instead."""
    now = now or timezone.now()
    subject = _("测试邮件")
    body = _("这是一封来自管理中心的测试邮件。如果您收到了它，说明站点的邮件设置可以正常发信。")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=Action.TEST_MAIL,
            target_type="site",
            target_id=0,
            after={"to": to},
            ip=ip,
            now=now,
        )
        # Queued in the transaction: with the database queue the task row commits with
        # the log entry; with the immediate backend a failed send rolls the entry back.
        result = send_mail_task.enqueue(
            subject=str(subject),
            body=str(body),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
        )
        if result.status == TaskResultStatus.FAILED:  # the immediate backend sent and failed
            raise TestMailFailed(_("邮件服务器拒绝或无法连接，请检查 EMAIL_HOST 等设置。"))


#: The 邮件设置 fields other than the password, in page order.
MAIL_FIELDS = ("host", "port", "username", "security", "from_address")


def update_mail_settings(
    values: dict[str, Any],
    *,
    password: str | None,
    actor,
    ip: str | None = None,
    now: datetime | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Save 邮件设置 (:class:`luntan.core.models.MailSettings`): ``values`` holds the
    :data:`MAIL_FIELDS` (validated, e.g. a form's ``cleaned_data``); ``password`` None
    keeps the stored SMTP password, "" removes it, anything else replaces it (stored
    encrypted, :func:`luntan.core.mail.encrypt_password`). Logs action ``site_settings``
    with the changed fields prefixed ``mail_`` (the password only as ``mail_password``
    "set"/"none", never its value). Returns ``{field: (before, after)}`` (empty: nothing
    changed or logged)."""
    from luntan.core.mail import decrypt_password, encrypt_password
    from luntan.core.models import MailSettings

    now = now or timezone.now()
    with transaction.atomic():
        row = MailSettings.objects.select_for_update().filter(pk=1).first() or MailSettings()
        diff: dict[str, tuple[Any, Any]] = {}
        for f in MAIL_FIELDS:
            if getattr(row, f) != values[f]:
                diff[f"mail_{f}"] = (_plain(getattr(row, f)), _plain(values[f]))
                setattr(row, f, values[f])
        if password is not None and password != decrypt_password(row.password_encrypted):
            had = "set" if row.password_encrypted else "none"
            row.password_encrypted = encrypt_password(password)
            diff["mail_password"] = (had, "set" if password else "none")
        if not diff:
            return {}
        row.save()
        audit.record(
            actor=actor,
            action=Action.SITE_SETTINGS,
            target_type="site",
            target_id=0,
            before={f: b for f, (b, _a) in diff.items()},
            after={f: a for f, (_b, a) in diff.items()},
            ip=ip,
            now=now,
        )
    return diff
