"""PostgreSQL connections under ASGI: every request runs in a thread of its own, so the
app servers borrow connections from a pool per process instead of keeping one per
thread (which piled up idle connections until PostgreSQL refused more, under load)."""

from __future__ import annotations

import json
import subprocess
import sys

SHOW = (
    "import json, django; from django.conf import settings; django.setup();"
    "d = settings.DATABASES['default'];"
    "print(json.dumps({'age': d['CONN_MAX_AGE'], 'pool': d.get('OPTIONS', {}).get('pool')}))"
)


def _settings(tmp_path, module: str = "luntan.settings", **env: str) -> dict:
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": module,
        "LUNTAN_HOME": str(tmp_path),
        "SECRET_KEY": "x",
        "DATABASE_URL": "postgres://luntan@db.example:5432/forum",
    }
    done = subprocess.run(
        [sys.executable, "-c", SHOW], env={**base, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_app_servers_on_postgresql_share_a_pool_of_connections(tmp_path):
    assert _settings(tmp_path) == {
        "age": 0,
        "pool": {"min_size": 1, "max_size": 4, "timeout": 10},
    }
    assert _settings(tmp_path, LUNTAN_DB_POOL_SIZE="12")["pool"]["max_size"] == 12


def test_the_pool_can_be_turned_off(tmp_path):
    assert _settings(tmp_path, LUNTAN_DB_POOL_SIZE="0") == {"age": 60, "pool": None}


def test_the_test_suite_keeps_a_connection_per_thread(tmp_path):
    assert _settings(tmp_path, "luntan.settings_test") == {"age": 60, "pool": None}
