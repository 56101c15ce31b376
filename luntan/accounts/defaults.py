"""Discuz! X3.4's default usergroups (``common_usergroup`` rows 1–19 of install_data.sql).

Kept as primary keys so imported members keep their group id. Tuples are
``(id, name, kind, credits_lower, credits_higher, stars)``.
"""

from __future__ import annotations

DEFAULT_GROUPS: list[tuple[int, str, str, int, int, int]] = [
    (1, "管理员", "system", 0, 0, 9),
    (2, "超级版主", "system", 0, 0, 8),
    (3, "版主", "system", 0, 0, 7),
    (4, "禁止发言", "system", 0, 0, 0),
    (5, "禁止访问", "system", 0, 0, 0),
    (6, "禁止 IP", "system", 0, 0, 0),
    (7, "游客", "system", 0, 0, 0),
    (8, "等待验证会员", "system", 0, 0, 0),
    (9, "限制会员", "member", -9999999, 0, 0),
    (10, "新手上路", "member", 0, 50, 1),
    (11, "注册会员", "member", 50, 200, 2),
    (12, "中级会员", "member", 200, 500, 3),
    (13, "高级会员", "member", 500, 1000, 4),
    (14, "金牌会员", "member", 1000, 3000, 6),
    (15, "论坛元老", "member", 3000, 9999999, 8),
    (16, "实习版主", "special", 0, 0, 7),
    (17, "网站编辑", "special", 0, 0, 8),
    (18, "信息监察员", "special", 0, 0, 9),
    (19, "审核员", "special", 0, 0, 7),
]


# Per-group rights of the default groups, from Discuz! X3.4's install_data.sql
# (``common_usergroup.allowvisit``; ``common_usergroup_field`` readaccess, allowpost,
# allowreply, allowgetattach, allowpostattach, allowpostimage, allowhidecode, allowhtml).
# Tuples are ``(allow_visit, read_access, post, reply, download, upload, post_image,
# hide_code, html)``. luntan differs on purpose: 禁止发言 (4) and 等待验证会员 (8) keep
# read access 1 (Discuz! 0), so a member banned from posting or still waiting for
# verification can read the forum; guests (7) may download attachments (Discuz! 0).
RIGHT_FIELDS = (
    "allow_visit",
    "read_access",
    "allow_post",
    "allow_reply",
    "allow_download",
    "allow_upload",
    "allow_post_image",
    "allow_hide_code",
    "allow_html",
)
_WRITE = (True, True, True, True, True)  # post, reply, download, upload, post_image
DEFAULT_RIGHTS: dict[int, tuple] = {
    1: (True, 200, *_WRITE, True, True),
    2: (True, 150, *_WRITE, True, False),
    3: (True, 100, *_WRITE, True, False),
    4: (True, 1, False, False, False, False, False, False, False),  # 禁止发言
    5: (False, 0, False, False, False, False, False, False, False),  # 禁止访问
    6: (False, 0, False, False, False, False, False, False, False),  # 禁止 IP
    7: (True, 1, False, False, True, False, False, False, False),  # 游客
    8: (True, 1, False, False, False, False, False, False, False),  # 等待验证会员
    9: (True, 0, False, False, False, False, False, False, False),  # 限制会员
    10: (True, 10, *_WRITE, False, False),
    11: (True, 20, *_WRITE, False, False),
    12: (True, 30, *_WRITE, False, False),
    13: (True, 50, *_WRITE, False, False),
    14: (True, 70, *_WRITE, False, False),
    15: (True, 90, *_WRITE, False, False),
    16: (True, 100, *_WRITE, True, False),
    17: (True, 150, *_WRITE, True, False),
    18: (True, 200, *_WRITE, True, True),
    19: (True, 100, *_WRITE, True, False),
}


#: Default groups without ``allowpostpoll`` and ``allowvote`` in Discuz! X3.4's
#: install_data.sql (禁止发言, 禁止访问, 禁止 IP, 游客, 等待验证会员, 限制会员); every other
#: default group may start polls and vote.
NO_POLL_GROUPS = frozenset({4, 5, 6, 7, 8, 9})


#: Signature rights of the default groups (install_data.sql ``common_usergroup_field``
#: ``maxsigsize``, ``allowsigbbcode``, ``allowsigimgcode``): id → (max_sig_size,
#: allow_sig_bbcode, allow_sig_images).
SIGNATURE_RIGHTS: dict[int, tuple[int, bool, bool]] = {
    1: (500, True, True),
    2: (300, True, True),
    3: (200, True, True),
    4: (0, False, False),
    5: (0, False, False),
    6: (0, False, False),
    7: (0, False, False),
    8: (50, True, False),
    9: (0, False, False),
    10: (80, True, False),
    11: (100, True, False),
    12: (150, True, False),
    13: (200, True, False),
    14: (300, True, True),
    15: (500, True, True),
    16: (200, True, True),
    17: (300, True, True),
    18: (500, True, True),
    19: (200, True, True),
}


def default_rights(pk: int, group_model) -> dict:
    """The default rights of group ``pk`` as field values, only for the rights fields
    ``group_model`` has (an older historical model in a migration has none)."""
    names = {f.name for f in group_model._meta.get_fields()}
    values = dict(zip(RIGHT_FIELDS, DEFAULT_RIGHTS.get(pk, ()), strict=False))
    if pk in DEFAULT_RIGHTS:
        values["allow_post_poll"] = values["allow_vote"] = pk not in NO_POLL_GROUPS
    if pk in SIGNATURE_RIGHTS:
        size, bbcode, images = SIGNATURE_RIGHTS[pk]
        values.update(max_sig_size=size, allow_sig_bbcode=bbcode, allow_sig_images=images)
    return {k: v for k, v in values.items() if k in names}


def ensure_default_groups(group_model=None) -> int:
    """Create whichever default usergroups are missing; return how many were created.

    ``group_model`` is the ``UserGroup`` class (a migration passes its historical model).
    Existing rows are left as the admin edited them.
    """
    if group_model is None:
        from luntan.accounts.models import UserGroup as group_model
    existing = set(group_model.objects.values_list("pk", flat=True))
    missing = [
        group_model(
            pk=pk,
            name=name,
            kind=kind,
            credits_lower=lower,
            credits_higher=higher,
            stars=stars,
            **default_rights(pk, group_model),
        )
        for pk, name, kind, lower, higher, stars in DEFAULT_GROUPS
        if pk not in existing
    ]
    group_model.objects.bulk_create(missing)
    return len(missing)
