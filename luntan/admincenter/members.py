"""用户 of the 管理中心: finding members and the writes on them and on usergroups.

Each write runs in one transaction with an :class:`~luntan.moderation.models.AuditLog`
row (target ``user``, or ``usergroup`` for a group's rights). Bans go through
:mod:`luntan.bans.services`, deletions through
:func:`luntan.moderation.members.delete_member` (keep the content under 已注销用户, or
recycle it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.accounts import services as accounts
from luntan.accounts.groups import BANNED_GROUPS
from luntan.accounts.models import User, UserGroup
from luntan.bans import services as bans
from luntan.core.models import site_time_zone
from luntan.moderation import audit
from luntan.moderation.members import delete_member as _delete_member
from luntan.moderation.models import Action
from luntan.threads.models import Post


@dataclass
class MemberQuery:
    """Search terms (all optional): part of the name, part of the e-mail address, an IP
    address or its start (``192.168.``: registration IP or any post's IP), and a
    registration date range (site time zone days, inclusive)."""

    name: str = ""
    email: str = ""
    ip: str = ""
    joined_from: date | None = None
    joined_to: date | None = None


def search_members(query: MemberQuery) -> QuerySet[User]:
    """Members matching every given term, newest first (an empty query: everyone)."""
    found = User.objects.select_related("group").order_by("-date_joined", "-pk")
    if query.name.strip():
        found = found.filter(username__icontains=query.name.strip())
    if query.email.strip():
        found = found.filter(email__icontains=query.email.strip())
    ip = query.ip.strip()
    if ip:
        posters = Post.objects.filter(ip__startswith=ip).values("author_id")
        found = found.filter(Q(register_ip__startswith=ip) | Q(pk__in=posters))
    tz = site_time_zone()
    if query.joined_from:
        found = found.filter(
            date_joined__gte=datetime.combine(query.joined_from, time.min, tzinfo=tz)
        )
    if query.joined_to:
        end = datetime.combine(query.joined_to + timedelta(days=1), time.min, tzinfo=tz)
        found = found.filter(date_joined__lt=end)
    return found


def _record(
    action: str,
    target_id: int,
    before: dict,
    after: dict,
    actor,
    ip,
    now,
    reason="",
    target_type="user",
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        reason=reason,
        ip=ip,
        now=now or timezone.now(),
    )


def change_group(
    member: User, group: UserGroup, *, actor, ip: str | None = None, now: datetime | None = None
) -> bool:
    """Put ``member`` in ``group``. Refuses (``ValidationError``) changing one's own group
    (an administrator would lock themself out) and a banned group (use a ban, which keeps
    the group to restore). Returns False when the member is already in it."""
    if actor is not None and actor.pk == member.pk:
        raise ValidationError(_("不能修改自己的用户组。"), code="self")
    if group.pk in BANNED_GROUPS:
        raise ValidationError(
            _("请用“禁止用户”来禁言或禁止访问，它会记住原来的用户组。"), code="group"
        )
    with transaction.atomic():
        row = User.objects.select_for_update().get(pk=member.pk)
        if row.group_id == group.pk:
            return False
        before = row.group_id
        User.objects.filter(pk=row.pk).update(group=group)
        _record(Action.MEMBER_GROUP, row.pk, {"group": before}, {"group": group.pk}, actor, ip, now)
    member.group = group
    return True


def ban(
    member: User,
    *,
    kind: str,
    reason: str,
    days: int,
    actor,
    ip: str | None = None,
    now: datetime | None = None,
):
    """Ban ``member`` (``kind``: ``posting`` 禁止发言 or ``visiting`` 禁止访问) for
    ``days`` days (0: until lifted) with ``reason``, through
    :func:`luntan.bans.services.ban_member`, and log it. Raises ``ValidationError`` as
    that does (administrators can't be banned) and for negative days. Returns the ban."""
    if days < 0:
        raise ValidationError(_("天数不能为负数。"), code="days")
    now = now or timezone.now()
    expires = now + timedelta(days=days) if days else None
    with transaction.atomic():
        made = bans.ban_member(
            member, kind=kind, reason=reason, expires_at=expires, operator=actor, now=now
        )
        _record(
            Action.BAN_MEMBER,
            member.pk,
            {},
            {"kind": kind, "expires": expires.isoformat() if expires else None},
            actor,
            ip,
            now,
            reason=reason,
        )
    return made


def unban(member: User, *, actor, ip: str | None = None, now: datetime | None = None) -> bool:
    """Lift ``member``'s active ban (they return to their earlier group) and log it.
    Returns False when there was none."""
    now = now or timezone.now()
    with transaction.atomic():
        active = bans.active_ban(member)
        if active is None or not bans.lift_ban(active, operator=actor, now=now):
            return False
        _record(Action.UNBAN_MEMBER, member.pk, {"kind": active.kind}, {}, actor, ip, now)
    return True


def delete(
    member: User, *, with_content: bool, actor, ip: str | None = None, now: datetime | None = None
) -> Any:
    """Delete ``member`` through :func:`luntan.moderation.members.delete_member`: their
    threads and posts stay under 已注销用户 (``with_content`` False) or go to the recycle
    bin. Logged with the name (the row is gone). Raises ``ValidationError`` for an
    administrator or oneself. Returns that function's ``MemberDeletion``."""
    now = now or timezone.now()
    with transaction.atomic():
        name, pk = member.username, member.pk
        result = _delete_member(member, actor=actor, with_content=with_content, now=now)
        _record(
            Action.DELETE_MEMBER, pk, {"name": name}, {"with_content": with_content}, actor, ip, now
        )
    return result


def pending_registrations() -> QuerySet[User]:
    """Members waiting for approval (等待验证会员) whose registration nobody refused yet,
    oldest first (the 审核新用户 queue)."""
    return User.objects.filter(
        group_id=UserGroup.AWAITING_VERIFICATION, registration_review=None
    ).order_by("date_joined", "pk")


def rejected_registrations() -> QuerySet[User]:
    """Members whose registration was refused (still in 等待验证会员), newest refusal
    first, with their review row."""
    return (
        User.objects.filter(
            group_id=UserGroup.AWAITING_VERIFICATION, registration_review__isnull=False
        )
        .select_related("registration_review")
        .order_by("-registration_review__reviewed_at", "-pk")
    )


def approve_registration(
    member: User, *, actor, ip: str | None = None, now: datetime | None = None
) -> None:
    """Approve a waiting registration (Discuz! 审核新用户 › 通过): the member moves to
    新手上路 and may post (:func:`luntan.accounts.services.approve_member`). Logged as
    ``approve_member``. Raises ``ValidationError`` when they are not waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        if not accounts.approve_member(member):
            raise ValidationError(_("该会员不在等待审核。"), code="not_waiting")
        _record(
            Action.APPROVE_MEMBER,
            member.pk,
            {"group": UserGroup.AWAITING_VERIFICATION},
            {"group": UserGroup.NEWBIE},
            actor,
            ip,
            now,
        )


def reject_registration(
    member: User, reason: str, *, actor, ip: str | None = None, now: datetime | None = None
) -> None:
    """Refuse a waiting registration with ``reason`` (Discuz! 审核新用户 › 否决): the
    member stays in 等待验证会员 and is told the reason when they try to post
    (:func:`luntan.accounts.services.reject_member`). Logged as ``reject_member``. Raises
    ``ValidationError`` for an empty reason or a member who is not waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        if not accounts.reject_member(
            member, reason, reviewer_name=getattr(actor, "username", "") or "", now=now
        ):
            raise ValidationError(_("该会员不在等待审核。"), code="not_waiting")
        _record(
            Action.REJECT_MEMBER,
            member.pk,
            {"group": UserGroup.AWAITING_VERIFICATION},
            {},
            actor,
            ip,
            now,
            reason=" ".join(reason.split())[:255],
        )


#: The usergroup fields the 用户组 page edits (Discuz! common_usergroup / _field).
GROUP_FIELDS = (
    "name",
    "credits_lower",
    "credits_higher",
    "stars",
    "color",
    "allow_visit",
    "read_access",
    "allow_post",
    "allow_reply",
    "allow_download",
    "allow_upload",
    "allow_post_image",
    "allow_hide_code",
    "allow_html",
    "allow_post_poll",
    "allow_vote",
    "max_sig_size",
    "allow_sig_bbcode",
    "allow_sig_images",
    "allow_send_pm",
    "max_pms_per_day",
)


def update_usergroup(
    group: UserGroup,
    values: dict[str, Any],
    *,
    actor,
    ip: str | None = None,
    now: datetime | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Set the :data:`GROUP_FIELDS` in ``values`` on ``group`` (validated values, e.g. a
    bound form's ``cleaned_data``) and log what changed (target ``usergroup``). The
    permission cache of every group is dropped on save
    (:mod:`luntan.permissions.groups`). Returns ``{field: (before, after)}``."""
    unknown = set(values) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        row = UserGroup.objects.select_for_update().get(pk=group.pk)
        diff = {f: (getattr(row, f), v) for f, v in values.items() if getattr(row, f) != v}
        if not diff:
            return {}
        for field, (_b, after) in diff.items():
            setattr(row, field, after)
        row.save(update_fields=list(diff))
        _record(
            Action.USERGROUP_EDIT,
            row.pk,
            {f: b for f, (b, _a) in diff.items()},
            {f: a for f, (_b, a) in diff.items()},
            actor,
            ip,
            now,
            target_type="usergroup",
        )
    return diff
