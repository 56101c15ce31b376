"""Site maintenance for administrators: 修复统计 (Discuz! X3.4 后台 › 工具 › 更新统计,
``source/admincp/admincp_counter.php``), through :mod:`luntan.threads.counters`.

:func:`check_counters` reports the drift and changes nothing; :func:`repair_counters`
rebuilds every counter in one transaction and writes an audit entry with what it fixed.
Permission: :func:`luntan.permissions.check_repair_counters` (the caller's business).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from luntan.moderation import audit
from luntan.moderation.models import Action
from luntan.threads.counters import Drift, check_all, rebuild_all


def check_counters() -> list[Drift]:
    """The stored counters that differ from a rebuild from rows (see
    :func:`luntan.threads.counters.check_all`); changes nothing. Empty: no drift."""
    return check_all()


def repair_counters(*, actor, ip: str | None = None, now: datetime | None = None) -> list[Drift]:
    """Rebuild every stored counter (修复统计) in one transaction, as ``luntan
    rebuild_counters`` does (a top floor is never lowered), and log it
    (:class:`~luntan.moderation.models.AuditLog` action ``repair_counters``, target
    ``site`` #0, ``after = {"fixed": n, "kinds": {kind: n}}``). ``actor`` is the
    administrator, ``ip`` their address, ``now`` aware UTC (default: now). Returns the
    drift that was repaired (empty when everything already matched)."""
    now = now or timezone.now()
    with transaction.atomic():
        found = check_all()
        rebuild_all()
        kinds: dict[str, int] = {}
        for item in found:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
        audit.record(
            actor=actor,
            action=Action.REPAIR_COUNTERS,
            target_type="site",
            target_id=0,
            before={},
            after={"fixed": len(found), "kinds": kinds},
            ip=ip,
            now=now,
        )
    return found
