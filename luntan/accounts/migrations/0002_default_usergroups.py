"""Discuz! X3.4's default usergroups (ids, names, credit ranges and stars from
``common_usergroup`` in install_data.sql), so imported members keep their group id."""

from django.db import migrations

DEFAULT_GROUPS = [
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


def create_groups(apps, schema_editor):
    UserGroup = apps.get_model("accounts", "UserGroup")
    for pk, name, kind, lower, higher, stars in DEFAULT_GROUPS:
        UserGroup.objects.update_or_create(
            pk=pk,
            defaults={
                "name": name,
                "kind": kind,
                "credits_lower": lower,
                "credits_higher": higher,
                "stars": stars,
            },
        )


def reset_sequence(apps, schema_editor):
    # PostgreSQL: explicit ids do not move the sequence; new custom groups must start at 20.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "SELECT setval(pg_get_serial_sequence('accounts_usergroup', 'id'),"
            " (SELECT MAX(id) FROM accounts_usergroup))"
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(reset_sequence, migrations.RunPython.noop),
    ]
