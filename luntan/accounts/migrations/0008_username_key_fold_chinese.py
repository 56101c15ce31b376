"""Recompute ``User.username_key`` and ``FreedName.username_key`` now that the key folds
traditional Chinese to simplified (老街攝影 and 老街摄影 share one key).

Uses the current :func:`luntan.accounts.usernames.username_key` (the point is to store
what the code computes). Of members whose names now share a key the oldest keeps it, the
others get ``<key>#<id>`` and keep their names, as ``0005`` did for case clashes."""

from django.db import migrations


def recompute_keys(apps, schema_editor):
    from luntan.accounts.usernames import KEY_MAX_LENGTH, username_key

    User = apps.get_model("accounts", "User")
    FreedName = apps.get_model("accounts", "FreedName")
    seen: set[str] = set()
    changed = []
    rows = User.objects.order_by("pk").only("pk", "username", "username_key")
    for user in rows.iterator(chunk_size=2000):
        key = username_key(user.username or "")[:KEY_MAX_LENGTH] or "-"
        if key in seen:
            key = f"{key}#{user.pk}"[:KEY_MAX_LENGTH]
        seen.add(key)
        if key != user.username_key:
            user.username_key = key
            changed.append(user)
    if changed:
        # Free the old keys first: a new key may be another row's old one.
        pks = [u.pk for u in changed]
        for start in range(0, len(pks), 1000):
            User.objects.filter(pk__in=pks[start : start + 1000]).update(username_key=None)
        User.objects.bulk_update(changed, ["username_key"], batch_size=1000)
    freed = []
    for row in FreedName.objects.only("pk", "username", "username_key").iterator(chunk_size=2000):
        key = username_key(row.username or "")[:KEY_MAX_LENGTH] or "-"
        if key != row.username_key:
            row.username_key = key
            freed.append(row)
    FreedName.objects.bulk_update(freed, ["username_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_access_token"),
    ]

    operations = [
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
    ]
