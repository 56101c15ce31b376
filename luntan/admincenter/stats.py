"""The numbers of the 管理中心 首页: per-day series, busiest boards, queues, health.

Days are calendar days in the site's time zone (:func:`luntan.core.models.site_time_zone`,
default Asia/Shanghai); times are stored in UTC. Every function here only reads.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import django
from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

import luntan
from luntan.accounts.models import User
from luntan.core.models import site_time_zone
from luntan.moderation.models import Report
from luntan.online.models import OnlineRecord
from luntan.ops.health import health
from luntan.threads.models import Post, Thread

#: The periods the 首页 offers, in days.
PERIODS = (30, 365)


def _start_of_period(days: int, now: datetime) -> tuple[date, datetime]:
    """The first day of the last ``days`` days (today included) and its midnight (aware,
    site time zone)."""
    tz = site_time_zone()
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    return first, datetime(first.year, first.month, first.day, tzinfo=tz)


def daily_counts(
    queryset: QuerySet, field: str, *, days: int, now: datetime | None = None
) -> list[tuple[date, int]]:
    """Rows of ``queryset`` per calendar day of ``field`` (a datetime column) over the last
    ``days`` days, today included, oldest first; days without rows count 0. One query."""
    now = now or timezone.now()
    first, start = _start_of_period(days, now)
    found = dict(
        queryset.filter(**{f"{field}__gte": start})
        .annotate(day=TruncDate(field, tzinfo=site_time_zone()))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return [
        (first + timedelta(days=i), int(found.get(first + timedelta(days=i), 0)))
        for i in range(days)
    ]


def posts_per_day(days: int, now: datetime | None = None) -> list[tuple[date, int]]:
    """Posts written per day (visible, held and recycled alike: what was posted)."""
    return daily_counts(
        Post.objects.exclude(state=Post.State.DELETED), "created", days=days, now=now
    )


def members_per_day(days: int, now: datetime | None = None) -> list[tuple[date, int]]:
    """Members who registered per day."""
    return daily_counts(User.objects.all(), "date_joined", days=days, now=now)


def busiest_boards(
    days: int, *, limit: int = 8, now: datetime | None = None
) -> list[tuple[str, int]]:
    """The ``limit`` boards with the most visible posts in the last ``days`` days, as
    ``(board name, posts)``, most first. One query."""
    now = now or timezone.now()
    _first, start = _start_of_period(days, now)
    rows = (
        Post.objects.filter(created__gte=start, state=Post.State.VISIBLE)
        .values("thread__board__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "thread__board__name")[:limit]
    )
    return [(r["thread__board__name"], int(r["n"])) for r in rows]


@dataclass(frozen=True)
class Queues:
    """Work waiting for the staff: held threads and replies (审核), open reports (举报),
    new members waiting for approval (审核新用户, registration mode 人工审核)."""

    held_threads: int
    held_posts: int
    open_reports: int
    pending_members: int = 0


def pending_queues() -> Queues:
    """Counts of the review queue, the open reports and the registrations waiting for
    approval (four queries)."""
    from luntan.admincenter.members import pending_registrations

    return Queues(
        held_threads=Thread.objects.filter(state=Thread.State.PENDING).count(),
        held_posts=Post.objects.filter(state=Post.State.PENDING, floor__gt=1).count(),
        open_reports=Report.objects.filter(resolved_at__isnull=True).count(),
        pending_members=pending_registrations().count(),
    )


def totals() -> dict[str, int]:
    """Members, normal threads and visible posts of the whole site (three queries)."""
    return {
        "members": User.objects.filter(is_active=True).count(),
        "threads": Thread.objects.filter(state=Thread.State.NORMAL).count(),
        "posts": Post.objects.filter(state=Post.State.VISIBLE).count(),
    }


def online_peak() -> tuple[int, datetime | None]:
    """The 最高在线 record (visitors, and when, UTC; ``(0, None)`` before any)."""
    row = OnlineRecord.objects.filter(pk=1).values_list("count", "at").first()
    return (int(row[0]), row[1]) if row else (0, None)


def system_health() -> tuple[bool, dict[str, Any]]:
    """The ``/healthz`` checks (:func:`luntan.ops.health.health`): ``(healthy, report)``."""
    return health()


def versions() -> dict[str, str]:
    """luntan, Django, Python and the database engine's versions, for the 首页."""
    return {
        "luntan": luntan.__version__,
        "django": django.get_version(),
        "python": platform.python_version(),
        "database": _database_version(),
    }


def _database_version() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        number = int(getattr(connection, "pg_version", 0) or 0)
        return f"PostgreSQL {number // 10000}.{number % 10000}"
    return connection.vendor
