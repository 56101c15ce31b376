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
            pk=pk, name=name, kind=kind, credits_lower=lower, credits_higher=higher, stars=stars
        )
        for pk, name, kind, lower, higher, stars in DEFAULT_GROUPS
        if pk not in existing
    ]
    group_model.objects.bulk_create(missing)
    return len(missing)
