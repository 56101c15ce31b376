"""Site administration rights (re-exported by :mod:`luntan.permissions`).

Discuz! X3.4 gives these to 管理员 (group 1) only: ``allowbanip``, the admin control
panel (site settings, 词语过滤). Superusers count as administrators.
"""

from __future__ import annotations

from luntan.accounts.groups import GroupId
from luntan.permissions.viewer import ViewerLike, as_viewer


def is_administrator(viewer: ViewerLike) -> bool:
    """True for superusers and members of 管理员 (group 1). No query."""
    return as_viewer(viewer).is_admin


def can_ban_ips(viewer: ViewerLike) -> bool:
    """May the viewer manage IP bans? Administrators (Discuz! ``allowbanip``)."""
    return as_viewer(viewer).is_admin


def can_edit_site_settings(viewer: ViewerLike) -> bool:
    """May the viewer open the site settings page and the censor word list?
    Administrators."""
    return as_viewer(viewer).is_admin


def passes_ip_bans(viewer: ViewerLike) -> bool:
    """Whether a request from a banned IP address is still let through: administrators
    are, so they can undo a mistake (see :mod:`luntan.bans.middleware`)."""
    return as_viewer(viewer).is_admin


def can_use_admin_center(viewer: ViewerLike) -> bool:
    """May the viewer open the 管理中心 (``/admin-center/``)? Administrators only: 管理员
    (group 1) and superusers, as Discuz! X3.4 lets only ``adminid`` 1 into ``admin.php``.
    Super moderators and moderators use the moderation pages instead. No query."""
    return as_viewer(viewer).is_admin


def passes_site_closed(viewer: ViewerLike) -> bool:
    """Whether the viewer still enters a closed site (站点关闭, maintenance mode):
    administrators, super moderators and moderators (Discuz! lets ``adminid`` > 0 in
    while ``bbclosed``). Reads the member's group; no query."""
    v = as_viewer(viewer)
    if not v.is_authenticated:
        return False
    return v.is_staff_moderator or v.group_id in (GroupId.MODERATOR, GroupId.INTERN_MODERATOR)
