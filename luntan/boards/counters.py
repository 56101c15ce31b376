"""Site statistics kept as counters, so the board index costs the same on any size of site.

Two kinds, both recomputed from rows by ``luntan rebuild_counters``
(:func:`luntan.threads.counters.rebuild_day_counters`, which counts posts, and
:func:`rebuild_site_stats`):

- **今日/昨日 per board** (Discuz! ``forum_forum.todayposts``): ``Board.today_posts`` counts
  the board's visible posts written on ``Board.posts_day`` (a date in the site time zone,
  :func:`luntan.core.models.site_time_zone`), ``Board.yesterday_posts`` those of the day
  before. Discuz! resets ``todayposts`` with a daily cron; here the first post of a new
  day rolls the counters over in the same UPDATE (:func:`add_posts`), and a reader works
  out what the stored figures mean today (:func:`day_counts`), so nothing has to run at
  midnight. Per board, so that a site total can be summed over the boards a viewer may see.
- **Members** (Discuz! ``userstats`` cache: totalmembers, newsetuser): the
  :class:`~luntan.boards.models.SiteStats` row, moved by :func:`member_saved` /
  :func:`member_deleted` (connected to the user model's signals, so that every way of
  creating a member — registration, ``createsuperuser``, the admin — is counted).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from luntan.accounts.models import User
from luntan.boards.models import Board, SiteStats
from luntan.core.models import site_time_zone
from luntan.core.precompiled import Precompiled


def site_date(at: dt.datetime) -> dt.date:
    """The calendar date of ``at`` (aware, any zone) in the site time zone (GMT+8 default)."""

    return timezone.localtime(at, site_time_zone()).date()


def day_updates(at: dt.datetime, n: int = 1) -> dict:
    """Return the ``Board`` UPDATE keyword arguments that count ``n`` visible posts written
    at ``at`` in 今日/昨日, to be merged into a service's own board UPDATE (no extra query).

    ``n`` > 0 for posts published (a new thread or reply, an approved post); ``n`` < 0
    for visible posts taken away (deleted, recycled). A post dated on the stored day adds
    to ``today_posts``, on the day before to ``yesterday_posts``; a positive ``n`` dated
    after the stored day rolls the counters over first (yesterday ← today when the stored
    day was the day before, else 0). Older posts change nothing. Every right-hand side
    reads the row as it was before the UPDATE (SQLite and PostgreSQL alike).
    """
    day = site_date(at)
    same, prev, after = (
        Q(posts_day=day),
        Q(posts_day=day - dt.timedelta(days=1)),
        Q(posts_day=day + dt.timedelta(days=1)),
    )
    if n < 0:
        return {
            "today_posts": Case(
                When(same, then=Greatest(F("today_posts") + n, Value(0))),
                default=F("today_posts"),
                output_field=IntegerField(),
            ),
            "yesterday_posts": Case(
                When(after, then=Greatest(F("yesterday_posts") + n, Value(0))),
                default=F("yesterday_posts"),
                output_field=IntegerField(),
            ),
        }
    newer = Q(posts_day__isnull=True) | Q(posts_day__lt=day)
    return {
        "yesterday_posts": Case(
            When(prev, then=F("today_posts")),
            When(newer, then=Value(0)),
            When(after, then=F("yesterday_posts") + n),
            default=F("yesterday_posts"),
            output_field=IntegerField(),
        ),
        "today_posts": Case(
            When(same, then=F("today_posts") + n),
            When(newer, then=Value(n)),
            default=F("today_posts"),
            output_field=IntegerField(),
        ),
        "posts_day": Case(When(newer, then=Value(day)), default=F("posts_day")),
    }


def add_posts(board_id: int, at: dt.datetime, n: int = 1) -> None:
    """Count ``n`` visible posts written at ``at`` in board ``board_id``'s 今日/昨日 (see
    :func:`day_updates`). One UPDATE; call it inside the service's transaction."""
    if n:
        Board.objects.filter(pk=board_id).update(**day_updates(at, n))


def day_counts(board: Board, today: dt.date) -> tuple[int, int]:
    """Return ``(today, yesterday)`` posts of ``board`` (its own, not its sub-boards') as
    seen on ``today`` (a site-zone date), from the stored counters: no query."""
    if board.posts_day == today:
        return board.today_posts, board.yesterday_posts
    if board.posts_day == today - dt.timedelta(days=1):
        return 0, board.today_posts
    return 0, 0


# --- members -------------------------------------------------------------------------------


_STATS = Precompiled(
    lambda: SiteStats.objects.filter(pk=1).values_list(
        "members", "newest_member_id", "newest_member_name"
    )
)


def site_stats() -> SiteStats:
    """The statistics row (an empty one when it was never counted). One query, compiled
    once per process."""
    for members, newest_id, newest_name in _STATS.rows():
        return SiteStats(
            pk=1, members=members, newest_member_id=newest_id, newest_member_name=newest_name
        )
    return SiteStats(pk=1)


def rebuild_site_stats() -> SiteStats:
    """Recount active members and find the newest from the user table. Returns the row."""

    active = User.objects.filter(is_active=True)
    newest = active.order_by("-pk").values_list("pk", "username").first()
    stats = SiteStats(
        pk=1,
        members=active.count(),
        newest_member_id=newest[0] if newest else None,
        newest_member_name=newest[1] if newest else "",
    )
    stats.save()
    return stats


def _ensure_row() -> bool:
    """Make the row when missing (counted from the users as they are now). Returns True
    when it was made: the change being counted is then already in it."""
    if SiteStats.objects.filter(pk=1).exists():
        return False
    rebuild_site_stats()
    return True


def _refresh_newest() -> None:

    newest = User.objects.filter(is_active=True).order_by("-pk").values_list("pk", "username")
    pk, name = newest.first() or (None, "")
    SiteStats.objects.filter(pk=1).update(newest_member_id=pk, newest_member_name=name)


def member_saved(user, *, created: bool, was_active: bool | None) -> None:
    """Count a member who was just saved: ``created`` (new row) or an existing row whose
    ``is_active`` was ``was_active`` before the save (``None``: unknown, not changed).

    A new or re-activated member adds one and becomes the newest when their id is the
    highest; a deactivated one takes one away (and hands 欢迎新会员 to the next newest).
    """
    before = False if created else was_active
    if before is None or before == user.is_active:
        if not created and user.is_active:  # a renamed newest member keeps their new name
            SiteStats.objects.filter(pk=1, newest_member_id=user.pk).update(
                newest_member_name=user.username
            )
        return
    if _ensure_row():
        return
    if user.is_active:
        SiteStats.objects.filter(pk=1).update(members=F("members") + 1)
        SiteStats.objects.filter(pk=1).filter(
            Q(newest_member_id__isnull=True) | Q(newest_member_id__lt=user.pk)
        ).update(newest_member_id=user.pk, newest_member_name=user.username)
    else:
        SiteStats.objects.filter(pk=1, members__gt=0).update(members=F("members") - 1)
        _refresh_newest()


def member_deleted(user) -> None:
    """Take a deleted member out of the statistics (when they were active)."""
    if not user.is_active or _ensure_row():
        return
    SiteStats.objects.filter(pk=1, members__gt=0).update(members=F("members") - 1)
    _refresh_newest()


def _pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._luntan_was_active = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "is_active" not in update_fields:
        if "username" in update_fields:
            instance._luntan_was_active = instance.is_active
        return
    old = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._luntan_was_active = old


def _post_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    member_saved(
        instance, created=created, was_active=getattr(instance, "_luntan_was_active", None)
    )


def _post_delete(sender, instance, **kwargs):
    member_deleted(instance)


def connect_signals() -> None:
    """Connect the member counters to the user model's save/delete signals (app ready)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save, pre_save

    user_model = get_user_model()
    pre_save.connect(_pre_save, sender=user_model, dispatch_uid="luntan_stats_pre_save")
    post_save.connect(_post_save, sender=user_model, dispatch_uid="luntan_stats_post_save")
    post_delete.connect(_post_delete, sender=user_model, dispatch_uid="luntan_stats_delete")
