"""Discuz! X3.4's default credits, rules and rating ranges, written by migration 0002.

- :data:`EXTCREDITS` — ``common_setting.extcredits`` in ``install_post.sql``: 1 威望,
  2 金钱, 3 贡献 enabled; 4–8 unused.
- :data:`RULES` — the forum rows of ``common_credit_rule`` in ``install_data.sql``:
  ``(action, name, cycletype, cycletime, rewardnum, {extcredit: amount})``
  (发表主题 金钱+2, 发表回复 +1, 加精华 +5, 每天登录 +2 once a day, …).
- :data:`RATE_PERMISSIONS` — ``(group id, extcredit, min, max, points a day)``:
  新手上路 and 限制会员 cannot rate; 注册会员 and up ±5 (5–30 points a day); 版主,
  超级版主 and 管理员 ±30.
"""

from __future__ import annotations

EXTCREDITS: list[tuple[int, str, bool]] = [
    (1, "威望", True),
    (2, "金钱", True),
    (3, "贡献", True),
    *((i, "", False) for i in range(4, 9)),
]

RULES: list[tuple[str, str, int, int, int, dict[int, int]]] = [
    ("post", "发表主题", 4, 0, 0, {2: 2}),
    ("reply", "发表回复", 4, 0, 0, {2: 1}),
    ("digest", "加精华", 4, 0, 0, {2: 5}),
    ("postattach", "上传附件", 4, 0, 0, {}),
    ("getattach", "下载附件", 4, 0, 0, {}),
    ("sendpm", "发短消息", 4, 0, 0, {}),
    ("search", "搜索", 4, 0, 0, {}),
    ("realemail", "邮箱认证", 0, 0, 1, {2: 10}),
    ("setavatar", "设置头像", 0, 0, 1, {2: 5}),
    ("daylogin", "每天登录", 1, 0, 1, {2: 2}),
]

RATE_PERMISSIONS: list[tuple[int, int, int, int, int]] = [
    (1, 1, -30, 30, 500),
    (2, 1, -30, 30, 100),
    (3, 1, -30, 30, 30),
    (11, 1, -5, 5, 5),
    (12, 1, -5, 5, 10),
    (13, 1, -5, 5, 15),
    (14, 1, -5, 5, 20),
    (15, 1, -5, 5, 30),
]


def ensure_defaults(apps=None) -> None:
    """Create whichever default extcredits, rules and rating ranges are missing (a
    migration passes its ``apps``); existing rows are left as the admin edited them."""
    if apps is None:
        from django.apps import apps
    ExtCredit = apps.get_model("credits", "ExtCredit")
    CreditRule = apps.get_model("credits", "CreditRule")
    RatePermission = apps.get_model("credits", "RatePermission")
    UserGroup = apps.get_model("accounts", "UserGroup")
    have = set(ExtCredit.objects.values_list("pk", flat=True))
    ExtCredit.objects.bulk_create(
        ExtCredit(pk=pk, name=name, enabled=enabled)
        for pk, name, enabled in EXTCREDITS
        if pk not in have
    )
    have_rules = set(CreditRule.objects.values_list("action", flat=True))
    CreditRule.objects.bulk_create(
        CreditRule(
            action=action,
            name=name,
            cycle=cycle,
            cycle_time=cycle_time,
            reward_count=count,
            **{f"extcredits{k}": v for k, v in amounts.items()},
        )
        for action, name, cycle, cycle_time, count, amounts in RULES
        if action not in have_rules
    )
    groups = set(UserGroup.objects.values_list("pk", flat=True))
    have_rates = set(RatePermission.objects.values_list("group_id", "extcredit_id"))
    RatePermission.objects.bulk_create(
        RatePermission(
            group_id=group, extcredit_id=ext, min_score=lo, max_score=hi, daily_limit=daily
        )
        for group, ext, lo, hi, daily in RATE_PERMISSIONS
        if group in groups and (group, ext) not in have_rates
    )
