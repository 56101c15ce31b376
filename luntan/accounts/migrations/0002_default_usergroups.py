"""Discuz! X3.4's default usergroups (ids, names, credit ranges and stars from
``common_usergroup`` in install_data.sql), so imported members keep their group id."""

from django.db import migrations

def create_groups(apps, schema_editor):
    from luntan.accounts.defaults import ensure_default_groups

    ensure_default_groups(apps.get_model("accounts", "UserGroup"))


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
