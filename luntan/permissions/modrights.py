"""Moderation rights per usergroup (管理组权限, Discuz! ``common_admingroup``).

Who moderates where is decided by :mod:`luntan.permissions.moderation` (管理员 and 超级版主
everywhere, a board's 版主 in that board); *what* a moderator may do there is decided
here. Each usergroup lists the rights it lacks (``UserGroup.moderation_denied``, names of
:data:`MODERATION_RIGHTS`; empty: all of them, luntan's default). Administrators (管理员,
superusers) always have every right. A board moderator whose own group lists no
restriction and is not 超级版主 gets the restrictions of 版主 (group 3), as Discuz! gives a
member the rights of their ``adminid``'s admin group. The importer fills the lists from
``common_admingroup`` (:data:`DISCUZ_ADMIN_RIGHTS`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from luntan.accounts.groups import GroupId
from luntan.permissions.groups import group_rights
from luntan.permissions.viewer import ViewerLike, as_viewer

#: luntan's moderation rights: name → label (shown when a right is missing).
MODERATION_RIGHTS = {
    "edit_post": pgettext_lazy("管理权限", "编辑帖子"),
    "delete_post": pgettext_lazy("管理权限", "删除帖子"),
    "review_posts": pgettext_lazy("管理权限", "审核帖子"),
    "ban_post": pgettext_lazy("管理权限", "屏蔽帖子"),
    "warn_post": pgettext_lazy("管理权限", "警告帖子"),
    "stick_thread": pgettext_lazy("管理权限", "置顶主题"),
    "digest_thread": pgettext_lazy("管理权限", "精华主题"),
    "highlight_thread": pgettext_lazy("管理权限", "高亮主题"),
    "close_thread": pgettext_lazy("管理权限", "关闭主题"),
    "move_thread": pgettext_lazy("管理权限", "移动主题"),
    "type_thread": pgettext_lazy("管理权限", "编辑主题分类"),
    "merge_thread": pgettext_lazy("管理权限", "合并主题"),
    "split_thread": pgettext_lazy("管理权限", "分割主题"),
    "ban_members": pgettext_lazy("管理权限", "禁止用户"),
    "view_reports": pgettext_lazy("管理权限", "查看举报"),
    "view_log": pgettext_lazy("管理权限", "查看管理日志"),
}

#: Discuz! ``common_admingroup`` column → luntan right (the columns with a home).
DISCUZ_ADMIN_RIGHTS = {
    "alloweditpost": "edit_post",
    "allowdelpost": "delete_post",
    "allowmodpost": "review_posts",
    "allowbanpost": "ban_post",
    "allowwarnpost": "warn_post",
    "allowstickthread": "stick_thread",
    "allowdigestthread": "digest_thread",
    "allowhighlightthread": "highlight_thread",
    "allowclosethread": "close_thread",
    "allowmovethread": "move_thread",
    "allowedittypethread": "type_thread",
    "allowmergethread": "merge_thread",
    "allowsplitthread": "split_thread",
    "allowbanuser": "ban_members",
    "allowviewreport": "view_reports",
    "allowviewlog": "view_log",
}

#: ``common_admingroup`` columns without a per-group right in luntan: the import report
#: lists each one a group has (luntan's fixed rule applies: e.g. IP bans, 词语过滤 and
#: board editing are administrators' only; 推荐/提升/图章/直播 do not exist).
DISCUZ_RIGHTS_WITHOUT_HOME = (
    "alloweditpoll",
    "allowmassprune",
    "allowrefund",
    "allowcensorword",
    "allowviewip",
    "allowbanip",
    "allowedituser",
    "allowmoduser",
    "allowbanvisituser",
    "allowpostannounce",
    "supe_allowpushthread",
    "allowlivethread",
    "allowrecommendthread",
    "allowbumpthread",
    "allowstampthread",
    "allowcopythread",
    "allowrepairthread",
    "alloweditforum",
    "allowremovereward",
    "allowedittrade",
    "alloweditactivity",
    "allowstickreply",
    "allowstamplist",
    "allowmanagecollection",
    "allowclearrecycle",
    "allowmanagetag",
)


def denied_rights(viewer: ViewerLike) -> frozenset[str]:
    """The rights the viewer lacks as a moderator (empty for administrators). No query."""
    v = as_viewer(viewer)
    if v.is_admin or not v.is_authenticated:
        return frozenset()
    own = v.rights.moderation_denied
    if own or v.group_id in (GroupId.SUPER_MODERATOR, GroupId.MODERATOR):
        return own
    return group_rights(GroupId.MODERATOR).moderation_denied


def has_moderation_right(viewer: ViewerLike, right: str) -> bool:
    """Whether the viewer's group has ``right`` (a name of :data:`MODERATION_RIGHTS`).
    Says nothing about *where*: combine with ``moderates(board)``."""
    return right not in denied_rights(viewer)


def check_moderation_right(viewer: ViewerLike, right: str) -> None:
    """Raise ``PermissionDenied`` ("您所在的管理组没有…的权限") unless
    :func:`has_moderation_right`."""
    if not has_moderation_right(viewer, right):
        raise PermissionDenied(
            _("抱歉，您所在的管理组没有%(right)s的权限。") % {"right": MODERATION_RIGHTS[right]}
        )


def moderates_with(viewer: ViewerLike, board: Any, right: str) -> bool:
    """True when the viewer moderates ``board`` and has ``right`` there."""
    v = as_viewer(viewer)
    return v.moderates(board) and has_moderation_right(v, right)


__all__ = [
    "DISCUZ_ADMIN_RIGHTS",
    "DISCUZ_RIGHTS_WITHOUT_HOME",
    "MODERATION_RIGHTS",
    "check_moderation_right",
    "denied_rights",
    "has_moderation_right",
    "moderates_with",
]
