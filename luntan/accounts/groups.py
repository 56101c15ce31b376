"""Named ids of Discuz! X3.4's default usergroups.

Source: ``common_usergroup`` rows 1–19 of Discuz! X3.4 ``install/data/install_data.sql``
(see :data:`luntan.accounts.defaults.DEFAULT_GROUPS` for their names and credit ranges).
luntan keeps these ids as the primary keys of :class:`luntan.accounts.models.UserGroup`
so imported members keep their group; code names them through :class:`GroupId` (or the
sets below) instead of writing ``{6}`` or ``{8, 9, 10}``.
"""

from __future__ import annotations

from enum import IntEnum


class GroupId(IntEnum):
    """The default usergroup ids (an ``int``: compare with ``user.group_id`` directly)."""

    ADMIN = 1  # 管理员
    SUPER_MODERATOR = 2  # 超级版主
    MODERATOR = 3  # 版主
    BANNED_POSTING = 4  # 禁止发言
    BANNED_VISITING = 5  # 禁止访问
    BANNED_IP = 6  # 禁止 IP
    GUEST = 7  # 游客
    AWAITING_VERIFICATION = 8  # 等待验证会员
    LIMITED = 9  # 限制会员 (credits below 0)
    NEWBIE = 10  # 新手上路
    REGISTERED = 11  # 注册会员
    INTERMEDIATE = 12  # 中级会员
    ADVANCED = 13  # 高级会员
    GOLD = 14  # 金牌会员
    VETERAN = 15  # 论坛元老
    INTERN_MODERATOR = 16  # 实习版主
    EDITOR = 17  # 网站编辑
    INSPECTOR = 18  # 信息监察员
    REVIEWER = 19  # 审核员


#: 管理员 and 超级版主: see every board and moderate everywhere.
STAFF_GROUPS = frozenset({GroupId.ADMIN, GroupId.SUPER_MODERATOR})
#: The groups a ban puts a member in (禁止发言, 禁止访问, 禁止 IP).
BANNED_GROUPS = frozenset({GroupId.BANNED_POSTING, GroupId.BANNED_VISITING, GroupId.BANNED_IP})
#: 等待验证会员, 限制会员 and 新手上路: new or limited members (review queue, captcha).
NEWBIE_GROUPS = frozenset({GroupId.AWAITING_VERIFICATION, GroupId.LIMITED, GroupId.NEWBIE})
