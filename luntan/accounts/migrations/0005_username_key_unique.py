"""``User.username_key`` becomes unique (NULL until filled for bulk-written rows)."""

from django.db import migrations, models


def dedupe_keys(apps, schema_editor):
    """Empty keys become NULL; of members sharing a key the oldest keeps it, the others
    get ``<key>#<id>`` (they keep their names; new sign-ups still find the key taken)."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(username_key="").update(username_key=None)
    seen: set[str] = set()
    clashes = []
    rows = User.objects.exclude(username_key=None).order_by("pk").only("pk", "username_key")
    for user in rows.iterator(chunk_size=2000):
        if user.username_key in seen:
            user.username_key = f"{user.username_key}#{user.pk}"[:255]
            clashes.append(user)
        else:
            seen.add(user.username_key)
    User.objects.bulk_update(clashes, ["username_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_group_rights"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.CharField(
                db_index=True,
                default=None,
                editable=False,
                max_length=255,
                null=True,
                verbose_name="用户名比较键",
            ),
        ),
        migrations.RunPython(dedupe_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.CharField(
                default=None,
                editable=False,
                max_length=255,
                null=True,
                unique=True,
                verbose_name="用户名比较键",
            ),
        ),
    ]
