"""Discuz! X3.4's default extended credits, credit rules and rating ranges
(luntan.credits.defaults)."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from luntan.credits.defaults import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0001_initial"),
        ("accounts", "0002_default_usergroups"),
    ]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
