"""Usergroup rights, cached: no query per request once warm.

:func:`group_rights` returns a :class:`GroupRights` for a usergroup id from one cached map
of every group (a site has tens of groups), so a page asks for its viewer's rights without
joining ``accounts_usergroup``. The map is read from the database at most every
``RIGHTS_CACHE_SECONDS`` per cache (shared across processes with Redis) and dropped
whenever a usergroup is saved or deleted (signals below).

Fields mirror :class:`luntan.accounts.models.UserGroup` (Discuz! ``common_usergroup``
``allowvisit`` and ``common_usergroup_field`` ``readaccess``, ``allowpost``,
``allowreply``, ``allowgetattach``, ``allowpostattach``, ``allowpostimage``,
``allowhidecode``, ``allowhtml``, ``allowpostpoll``, ``allowvote``; ``common_usergroup.
allowsendpm`` and ``common_usergroup_field.allowsendpmmaxnum`` for short messages).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from luntan.accounts.models import UserGroup

RIGHTS_CACHE_KEY = "luntan:group-rights:v2"
RIGHTS_CACHE_SECONDS = 60


@dataclass(frozen=True)
class GroupRights:
    """What one usergroup may do by default (boards may override post/reply/upload/
    download per group). ``read_access`` is Discuz!'s 阅读权限 (0: may not read threads)."""

    id: int
    name: str
    allow_visit: bool = True
    read_access: int = 10
    allow_post: bool = True
    allow_reply: bool = True
    allow_download: bool = True
    allow_upload: bool = True
    allow_post_image: bool = True
    allow_hide_code: bool = False
    allow_html: bool = False
    allow_post_poll: bool = True
    allow_vote: bool = True
    allow_send_pm: bool = True
    max_pms_per_day: int = 0
    #: moderation rights the group lacks (``UserGroup.moderation_denied``,
    #: :mod:`luntan.permissions.modrights`)
    moderation_denied: frozenset[str] = frozenset()


_FIELDS = tuple(f.name for f in fields(GroupRights))
#: Rights of a group id that has no row (deleted group): nothing at all.
NO_RIGHTS = GroupRights(
    0, "", False, 0, False, False, False, False, False, False, False, False, False, False, 0
)


def _load() -> dict[int, GroupRights]:
    rows = UserGroup.objects.values_list(*_FIELDS)
    return {row[0]: GroupRights(*row[:-1], frozenset(row[-1] or ())) for row in rows}  # type: ignore[misc, call-arg]


def all_group_rights() -> dict[int, GroupRights]:
    """``{group id: GroupRights}`` for every usergroup (cached; one query when cold)."""
    found = cache.get(RIGHTS_CACHE_KEY)
    if found is None:
        found = _load()
        cache.set(RIGHTS_CACHE_KEY, found, RIGHTS_CACHE_SECONDS)
    return found


def group_rights(group_id: int | None) -> GroupRights:
    """The :class:`GroupRights` of ``group_id`` (:data:`NO_RIGHTS` when unknown)."""
    if group_id is None:
        return NO_RIGHTS
    return all_group_rights().get(group_id, NO_RIGHTS)


def forget_group_rights(**_kwargs) -> None:
    """Drop the cached rights map (connected to UserGroup save/delete)."""
    cache.delete(RIGHTS_CACHE_KEY)


post_save.connect(forget_group_rights, sender=UserGroup, dispatch_uid="luntan-group-rights-save")
post_delete.connect(
    forget_group_rights, sender=UserGroup, dispatch_uid="luntan-group-rights-delete"
)
