"""运营 of the 管理中心: announcements (公告), navigation links and friend links
(友情链接). Each write is one transaction with an audit entry (target ``site`` #0;
``after``/``before`` name the announcement or link); the cached
:func:`luntan.core.extras.site_extras` is dropped after commit."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.core.extras import forget_site_extras
from luntan.core.models import Announcement, SiteLink
from luntan.moderation import audit
from luntan.moderation.models import Action


def _log(action: str, before: dict, after: dict, actor, ip, now) -> None:
    audit.record(
        actor=actor,
        action=action,
        target_type="site",
        target_id=0,
        before=before,
        after=after,
        ip=ip,
        now=now or timezone.now(),
    )
    forget_site_extras()  # now, and again after commit (a reader may re-cache meanwhile)
    transaction.on_commit(forget_site_extras)


def add_announcement(
    announcement: Announcement, *, actor, ip: str | None = None, now: datetime | None = None
) -> Announcement:
    """Save a new, validated ``announcement`` (e.g. a bound form's ``instance``). Raises
    ``ValidationError`` when it ends before it starts."""
    if announcement.ends_at and announcement.ends_at <= announcement.starts_at:
        raise ValidationError(_("结束时间必须晚于开始时间。"), code="ends_at")
    with transaction.atomic():
        announcement.save()
        _log(Action.ANNOUNCEMENT, {}, {"title": announcement.title}, actor, ip, now)
    return announcement


def delete_announcement(
    announcement: Announcement, *, actor, ip: str | None = None, now: datetime | None = None
) -> None:
    """Delete an announcement."""
    with transaction.atomic():
        title = announcement.title
        announcement.delete()
        _log(Action.ANNOUNCEMENT, {"title": title}, {}, actor, ip, now)


def add_link(
    link: SiteLink, *, actor, ip: str | None = None, now: datetime | None = None
) -> SiteLink:
    """Save a new, validated navigation or friend link (``link.kind``)."""
    with transaction.atomic():
        link.save()
        _log(Action.SITE_LINK, {}, {"name": link.name, "url": link.url}, actor, ip, now)
    return link


def delete_link(
    link: SiteLink, *, actor, ip: str | None = None, now: datetime | None = None
) -> None:
    """Delete a navigation or friend link."""
    with transaction.atomic():
        before = {"name": link.name, "url": link.url}
        link.delete()
        _log(Action.SITE_LINK, before, {}, actor, ip, now)
