"""``luntan backup`` / ``luntan restore``: a site's database and uploads round-trip, and a
restore that does not match its manifest fails."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from luntan.ops import backup
from luntan.ops.backup import BackupError, create_backup, restore_backup, verify

FILES = {
    "attachments/2026/01/photo.jpg": b"\xff\xd8\xff" + bytes(range(256)) * 40,
    "attachments/2026/01/说明.txt": "论坛备份".encode(),
    "avatars/1.png": b"\x89PNG\r\n\x1a\n" + b"x" * 100,
}


@pytest.fixture
def site(settings, tmp_path, transactional_db, django_user_model):
    """A site with members and uploaded files (committed: the backup reads the file)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, data in FILES.items():
        default_storage.save(name, ContentFile(data))
    django_user_model.objects.create_user("张三", "z@example.com", "pw-123456")
    django_user_model.objects.create_user("lisi", "l@example.com", "pw-123456")
    return tmp_path


def _manifest(path):
    with tarfile.open(path) as archive:
        return json.loads(archive.extractfile("manifest.json").read())


sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="the SQLite round trip runs on SQLite"
)


@pytest.mark.django_db(transaction=True)
def test_backup_writes_database_files_and_manifest(site, capsys):
    archive = site / "site.tar"
    call_command("backup", str(archive))
    out, err = capsys.readouterr()
    assert "Backup written to" in out
    assert "files: 3" in err  # progress
    manifest = _manifest(archive)
    assert manifest["engine"] == connection.vendor.replace("postgresql", "postgresql")
    assert manifest["luntan_version"]
    table = django_user_table()
    assert manifest["database"]["tables"][table] == 2
    assert set(manifest["files"]) == set(FILES)
    import hashlib

    for name, data in FILES.items():
        assert manifest["files"][name] == {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert manifest["database"]["name"] in names
    assert "media/attachments/2026/01/说明.txt" in names
    assert not (site / "site.tar.part").exists()


def django_user_table():
    from django.contrib.auth import get_user_model

    return get_user_model()._meta.db_table


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_round_trip(site):
    archive = site / "site.tar.gz"
    create_backup(archive, connection.settings_dict, default_storage)
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(site / "restored.sqlite3")}
    storage = FileSystemStorage(location=site / "media2")
    lines = []
    report = restore_backup(archive, target, storage, lines.append)
    assert report.ok, report.problems
    assert report.files == 3
    assert report.tables > 10
    conn = sqlite3.connect(target["NAME"])
    names = {row[0] for row in conn.execute(f"SELECT username FROM {django_user_table()}")}
    conn.close()
    assert names == {"张三", "lisi"}
    for name, data in FILES.items():
        with storage.open(name) as f:
            assert f.read() == data
    assert any(line.startswith("files: 3/3") for line in lines)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_verify_reports_changed_rows_and_files(site):
    archive = site / "site.tar"
    manifest = create_backup(archive, connection.settings_dict, default_storage)
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(site / "restored.sqlite3")}
    storage = FileSystemStorage(location=site / "media2")
    assert restore_backup(archive, target, storage).ok
    conn = sqlite3.connect(target["NAME"])
    conn.execute(f"DELETE FROM {django_user_table()} WHERE username = 'lisi'")
    conn.commit()
    conn.close()
    (site / "media2" / "avatars" / "1.png").write_bytes(b"changed")
    storage.delete("attachments/2026/01/photo.jpg")
    report = verify(manifest, target, storage)
    assert not report.ok
    assert f"table {django_user_table()} has 1 rows, expected 2" in report.problems
    assert "file avatars/1.png differs (SHA-256)" in report.problems
    assert "file attachments/2026/01/photo.jpg is missing" in report.problems


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_tables(site):
    archive = site / "site.tar"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="not empty .* tables.*create one"):
        call_command("restore", str(archive), verbosity=0)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_storage_with_files(site):
    archive = site / "site.tar"
    create_backup(archive, connection.settings_dict, default_storage)
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(site / "restored.sqlite3")}
    with pytest.raises(BackupError, match="upload storage .* is not empty"):
        restore_backup(archive, target, default_storage)
    assert not (site / "restored.sqlite3").exists() or backup.table_counts(target) == {}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_dump(site):
    archive = site / "site.tar"
    create_backup(archive, connection.settings_dict, default_storage)
    damaged = site / "damaged.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for info in src:
            data = src.extractfile(info).read()
            if info.name == "database.sqlite3":
                data = data[:-10] + b"0123456789"
            dst.addfile(info, io.BytesIO(data))
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(site / "restored.sqlite3")}
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(damaged, target, FileSystemStorage(location=site / "media2"))


def test_restore_command_exits_non_zero_on_mismatch(tmp_path, monkeypatch, capsys):
    from luntan.ops.management.commands import restore

    def fake(path, db, storage, progress):
        return backup.VerifyReport(tables=3, files=1, problems=["table x has 1 rows, expected 2"])

    monkeypatch.setattr(restore, "restore_backup", fake)
    with pytest.raises(CommandError, match="1 differences"):
        call_command("restore", str(tmp_path / "x.tar"), verbosity=0)
    assert "table x has 1 rows, expected 2" in capsys.readouterr().err


def test_restore_rejects_an_archive_that_is_not_a_backup(tmp_path):
    archive = tmp_path / "other.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(__file__, arcname="readme.txt")
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "t.sqlite3")}
    with pytest.raises(BackupError, match="not a luntan backup"):
        restore_backup(archive, target, FileSystemStorage(location=tmp_path / "m"))


RESTORE_DB = "luntan_ops_restore"


@contextlib.contextmanager
def _empty_pg_database():
    """A new empty PostgreSQL database beside the test one, dropped afterwards."""
    admin = backup._pg_connect(connection.settings_dict)
    admin.autocommit = True
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{RESTORE_DB}"')
        yield {**connection.settings_dict, "NAME": RESTORE_DB}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip(site):
    archive = site / "site.tar"
    call_command("backup", str(archive), verbosity=0)
    assert _manifest(archive)["engine"] == "postgresql"
    with _empty_pg_database() as target:
        storage = FileSystemStorage(location=site / "media2")
        report = restore_backup(archive, target, storage)
        assert report.ok, report.problems
        assert report.files == 3
        with backup._pg_connect(target) as conn:
            rows = conn.execute(f"SELECT username FROM {django_user_table()}").fetchall()
        assert {row[0] for row in rows} == {"张三", "lisi"}
        for name, data in FILES.items():
            with storage.open(name) as f:
                assert f.read() == data
        # A second restore into the now full database is refused.
        with pytest.raises(BackupError, match="not empty"):
            restore_backup(archive, target, FileSystemStorage(location=site / "media3"))


@pytest.mark.django_db(transaction=True)
def test_backup_while_the_site_writes_restores_consistently(site, django_user_model):
    """Members sign up while the backup runs: the restore still matches the manifest."""
    import threading

    from django.db import connection as thread_connection

    stop = threading.Event()
    written = []

    def sign_ups():
        try:
            n = 0
            while not stop.is_set():
                django_user_model.objects.create_user(f"m{n}", f"m{n}@example.com", "pw")
                written.append(n)
                n += 1
        finally:
            thread_connection.close()

    writer = threading.Thread(target=sign_ups)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        archive = site / "busy.tar"
        manifest = create_backup(archive, connection.settings_dict, default_storage)
        after = len(written)
        while len(written) < after + 3:
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join()
    users = manifest["database"]["tables"][django_user_table()]
    assert 2 + 5 <= users < 2 + len(written)
    if connection.vendor == "sqlite":
        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(site / "busy.sqlite3")}
        report = restore_backup(archive, target, FileSystemStorage(location=site / "m2"))
        assert report.ok, report.problems
    else:
        with _empty_pg_database() as target:
            report = restore_backup(archive, target, FileSystemStorage(location=site / "m2"))
            assert report.ok, report.problems


@pytest.mark.postgres
@pytest.mark.django_db
def test_restore_into_a_missing_postgresql_database_says_create_it(tmp_path):
    archive = tmp_path / "x.tar"
    target = {**connection.settings_dict, "NAME": "luntan_ops_no_such_db"}
    with tarfile.open(archive, "w") as tar:
        data = json.dumps({"format": 1, "engine": "postgresql"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="createdb"):
        restore_backup(archive, target, FileSystemStorage(location=tmp_path / "m"))
