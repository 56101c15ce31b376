"""Ban use cases: every write to :class:`Ban` / :class:`IPBan` and the banned usergroups.

- :func:`ban_member` moves a member to 禁止发言 (4) or 禁止访问 (5) with a reason and an
  optional expiry, remembering the group to restore; a member banned from visiting is
  cut off at their next request (:class:`luntan.bans.middleware.BanMiddleware` logs out
  any session of a group without ``allow_visit``) and their stored sessions are deleted
  here when the session store can list them; the JSON API refuses the member's
  personal access tokens from their next request (``luntan.api.auth``).
- :func:`lift_ban` and :func:`expire_bans` put the member back in their group.
- :func:`ban_ip` / :func:`unban_ip` keep the IP ban list (:mod:`luntan.bans.ipbans`).

Times are aware UTC datetimes. Errors are ``ValidationError`` with Chinese messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.accounts.groups import BANNED_GROUPS, GroupId
from luntan.accounts.models import User, UserGroup
from luntan.bans.ipbans import parse_pattern
from luntan.bans.models import Ban, IPBan

GROUP_OF_KIND: dict[str, GroupId] = {
    Ban.Kind.POSTING: UserGroup.BANNED_POSTING,
    Ban.Kind.VISITING: UserGroup.BANNED_VISITING,
}
BANNED_GROUP_IDS = frozenset(GROUP_OF_KIND.values())
REASON_MAX_LENGTH = 200


def _name(user) -> str:
    return getattr(user, "username", "") if user is not None else ""


def active_ban(user: User) -> Ban | None:
    """The member's active ban (newest), or ``None``. One query."""
    return Ban.objects.filter(user=user, lifted_at=None).order_by("-created", "-id").first()


def ban_details(user) -> tuple[str, datetime | None] | None:
    """``(reason, expires_at)`` of the member's active ban (``expires_at`` UTC, ``None``:
    永久), or ``None``. No query unless the member is in a banned group. Registered in
    ``luntan.permissions.registry`` (``ban_details``) so refusal messages name the ban."""
    if getattr(user, "group_id", None) not in BANNED_GROUPS:
        return None
    ban = active_ban(user)
    return None if ban is None else (ban.reason, ban.expires_at)


def ban_member(
    user: User,
    *,
    kind: str,
    reason: str = "",
    expires_at: datetime | None = None,
    operator: User | None = None,
    now: datetime | None = None,
) -> Ban:
    """Ban ``user`` from posting or visiting (``kind``: ``Ban.Kind``) until ``expires_at``
    (UTC; ``None``: until lifted). A new ban replaces the member's active one and keeps
    the group that one would have restored. Administrators and superusers can't be banned.
    Returns the :class:`Ban`. Raises ``ValidationError`` for an unknown kind, an expiry
    in the past or a protected member.
    """
    now = now or timezone.now()
    if kind not in GROUP_OF_KIND:
        raise ValidationError(_("未知的处罚类型。"), code="kind")
    if expires_at is not None and expires_at <= now:
        raise ValidationError(_("到期时间必须晚于现在。"), code="expires")
    if user.is_superuser or user.group_id == UserGroup.ADMIN:
        raise ValidationError(_("不能禁止管理员。"), code="protected")
    reason = " ".join((reason or "").split())[:REASON_MAX_LENGTH]
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        # django-stubs types a foreign key with a default as nullable; User.group is NOT NULL.
        previous = cast(int, locked.group_id)
        for old in Ban.objects.select_for_update().filter(user=locked, lifted_at=None):
            previous = old.previous_group_id
            old.lifted_at = now
            old.save(update_fields=["lifted_at"])
        if previous in BANNED_GROUP_IDS:
            previous = UserGroup.NEWBIE  # banned before luntan kept records (imported)
        ban = Ban.objects.create(
            user=locked,
            kind=kind,
            reason=reason,
            created=now,
            expires_at=expires_at,
            operator=operator if getattr(operator, "pk", None) else None,
            operator_name=_name(operator),
            previous_group_id=previous,
        )
        User.objects.filter(pk=locked.pk).update(group_id=GROUP_OF_KIND[kind])
        user.group_id = GROUP_OF_KIND[kind]
        if kind == Ban.Kind.VISITING:
            transaction.on_commit(lambda: end_sessions(locked.pk))
    return ban


def end_sessions(user_id: int) -> int:
    """Delete the stored sessions of member ``user_id`` (database-backed sessions; each
    session is decoded, so this scans the session table: fine for a ban, not for a page).
    Returns how many were deleted. The middleware cuts off any session missed here."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if str(data.get(SESSION_KEY)) == str(user_id):
            doomed.append(session.session_key)
    for key in doomed:
        SessionStore(session_key=key).delete()
    return len(doomed)


def lift_ban(ban: Ban, *, operator: User | None = None, now: datetime | None = None) -> bool:
    """Lift ``ban``: the member goes back to ``previous_group_id`` if they are still in
    the ban's group. Returns False when it was already lifted."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Ban.objects.select_for_update().get(pk=ban.pk)
        if locked.lifted_at is not None:
            return False
        locked.lifted_at = now
        locked.save(update_fields=["lifted_at"])
        User.objects.filter(pk=locked.user_id, group_id=GROUP_OF_KIND[locked.kind]).update(
            group_id=locked.previous_group_id
        )
    ban.lifted_at = now
    return True


def lift_expired_ban(user: User, now: datetime | None = None) -> bool:
    """Lift ``user``'s active ban when it has expired (the lazy check on each request of
    a member in a banned group; one query). Returns True when lifted (``user.group_id``
    updated)."""
    now = now or timezone.now()
    ban = active_ban(user)
    if ban is None or ban.expires_at is None or ban.expires_at > now:
        return False
    if lift_ban(ban, now=now):
        user.group_id = ban.previous_group_id
        return True
    return False


def expire_bans(now: datetime | None = None) -> int:
    """Lift every active ban whose expiry has passed (``luntan expire_bans``); returns
    how many."""
    now = now or timezone.now()
    due = Ban.objects.filter(lifted_at=None, expires_at__lte=now)
    return sum(1 for ban in due if lift_ban(ban, now=now))


def ban_ip(
    pattern: str,
    *,
    reason: str = "",
    expires_at: datetime | None = None,
    operator: User | None = None,
    now: datetime | None = None,
) -> IPBan:
    """Ban the addresses matching ``pattern`` (see :mod:`luntan.bans.ipbans`). Raises
    ``ValidationError`` for an invalid or duplicate pattern."""
    now = now or timezone.now()
    pattern = (pattern or "").strip()
    parse_pattern(pattern)
    if IPBan.objects.filter(pattern=pattern).exists():
        raise ValidationError(_("该 IP 地址已被禁止。"), code="duplicate")
    return IPBan.objects.create(
        pattern=pattern,
        reason=" ".join((reason or "").split())[:REASON_MAX_LENGTH],
        created=now,
        expires_at=expires_at,
        operator=operator if getattr(operator, "pk", None) else None,
        operator_name=_name(operator),
    )


def unban_ip(ipban_id: int) -> bool:
    """Remove the IP ban with primary key ``ipban_id`` (解除 IP 禁止).

    Returns True when a ban was removed, False when none had that id (already removed by
    another administrator: not an error). The cached ban list is refreshed by the model's
    delete signal (:mod:`luntan.bans.ipbans`)."""
    with transaction.atomic():
        deleted, _rows = IPBan.objects.filter(pk=ipban_id).delete()
    return deleted > 0
