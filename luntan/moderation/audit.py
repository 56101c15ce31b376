"""Writing the audit log (管理日志) and the thread notice, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from luntan.moderation.models import THREAD_NOTICE_ACTIONS, AuditLog, ThreadNotice


def record(
    *,
    actor,
    action: str,
    target_type: str,
    target_id: int,
    thread_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    ip: str | None = None,
    now: datetime,
) -> AuditLog:
    """Write one :class:`AuditLog` row; for a thread-level action in
    :data:`~luntan.moderation.models.THREAD_NOTICE_ACTIONS` also set the thread's
    :class:`ThreadNotice` ("本主题由 X 于 <time> <label>"). ``reason`` is cut to 200
    characters. Call inside the service's transaction."""
    name = getattr(actor, "username", "") or ""
    entry = AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=name[:15],
        action=action,
        target_type=target_type,
        target_id=target_id,
        thread_id=thread_id,
        before=before or {},
        after=after or {},
        reason=" ".join((reason or "").split())[:200],
        created=now,
        ip=ip or None,
    )
    if target_type == "thread" and action in THREAD_NOTICE_ACTIONS:
        ThreadNotice.objects.update_or_create(
            thread_id=target_id,
            defaults={"action": action, "actor_name": name[:15], "created": now},
        )
    return entry
