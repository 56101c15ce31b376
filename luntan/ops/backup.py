"""Backup and restore of a whole site: database, uploaded files and a manifest.

An archive (``.tar``, or ``.tar.gz`` / ``.tgz`` when the name says so) holds:

- ``database.sqlite3`` (SQLite, copied with the online backup API while the site
  serves) or ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom`` of one
  snapshot);
- ``media/<name>``: every file of the upload storage (``default_storage``: attachments,
  thumbnails, avatars), read through the storage API so any backend works;
- ``manifest.json``: ``{"format": 1, "luntan_version", "created_at" (ISO UTC),
  "engine": "sqlite"|"postgresql", "database": {"name": member, "sha256", "tables":
  {table: rows}}, "files": {name: {"size": bytes, "sha256"}}}``. The row counts are
  taken from the same snapshot as the dump, so a backup made under load still verifies.

:func:`restore_backup` refuses a database that already has tables, loads the dump,
writes the files and checks the counts and checksums against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump / pg_restore with fixed arguments
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import Storage

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class VerifyReport:
    """The outcome of checking a restore against its manifest.

    ``problems`` lists each mismatch as a sentence (table counts, missing or changed
    files); empty means everything matched.
    """

    tables: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing differs from the manifest."""
        return not self.problems


def _quiet(message: str) -> None:
    pass


def luntan_version() -> str:
    """The installed luntan package version (``"unknown"`` when not installed)."""
    try:
        return metadata.version("luntan")
    except metadata.PackageNotFoundError:
        return "unknown"


def engine_of(db: dict[str, Any]) -> str:
    """``"sqlite"`` or ``"postgresql"`` for a ``DATABASES`` entry; BackupError otherwise."""
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backup supports SQLite and PostgreSQL, not {engine}.")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _size(n: int) -> str:
    """``n`` bytes for a person: ``"512 B"``, ``"3.4 MiB"``."""
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    return {
        name: conn.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]  # noqa: S608
        for name in names
    }


def _sqlite_dump(db: dict[str, Any], target: Path, progress: Progress) -> dict[str, int]:
    source = sqlite3.connect(db["NAME"], timeout=20)
    dest = sqlite3.connect(target)
    try:
        progress(f"database: copying {_size(Path(db['NAME']).stat().st_size)}")
        # In one step: one read transaction, a consistent snapshot that writers (WAL) do not
        # wait for. Copying page by page would restart whenever the site writes.
        source.backup(dest, pages=-1)
        return _sqlite_tables(dest)
    finally:
        dest.close()
        source.close()


def _sqlite_restore(db: dict[str, Any], dump: Path) -> None:
    source = sqlite3.connect(dump)
    dest = sqlite3.connect(db["NAME"])
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()


def _sqlite_counts(db: dict[str, Any]) -> dict[str, int]:
    path = Path(db["NAME"])
    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _sqlite_tables(conn)
    finally:
        conn.close()


# --- PostgreSQL -----------------------------------------------------------------------


def _pg_connect_params(db: dict[str, Any]) -> dict[str, Any]:
    params = {
        "dbname": db.get("NAME") or "postgres",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    return {k: v for k, v in params.items() if v is not None}


def _pg_connect(db: dict[str, Any]):
    import psycopg

    try:
        return psycopg.connect(**_pg_connect_params(db))
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BackupError(
            f"Cannot connect to the PostgreSQL database {db.get('NAME')!r} ({first})."
            " Check DATABASE_URL; for a restore, create the empty database first"
            " (createdb NAME)."
        ) from exc


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_tables(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f"SELECT count(*) FROM {_quote(name)}")  # noqa: S608
        counts[name] = cursor.fetchone()[0]
    return counts


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    exe = shutil.which(args[0])
    if exe is None:
        raise BackupError(f"{args[0]} is not installed (the PostgreSQL client is needed).")
    done = subprocess.run([exe, *args[1:]], env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()}")


def _pg_dump(db: dict[str, Any], target: Path, progress: Progress) -> dict[str, int]:
    conn = _pg_connect(db)
    try:
        with conn.cursor() as cursor:
            # One snapshot for the dump and the counts: both see the same rows.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            progress("database: counting rows")
            counts = _pg_tables(cursor)
            progress(f"database: pg_dump of {len(counts)} tables")
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    db["NAME"],
                ],
                _pg_env(db),
                "pg_dump",
            )
        conn.rollback()
    finally:
        conn.close()
    return counts


def _pg_restore(db: dict[str, Any], dump: Path) -> None:
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={db['NAME']}",
            str(dump),
        ],
        _pg_env(db),
        "pg_restore",
    )


def _pg_counts(db: dict[str, Any]) -> dict[str, int]:
    conn = _pg_connect(db)
    try:
        with conn.cursor() as cursor:
            return _pg_tables(cursor)
    finally:
        conn.close()


# --- files ----------------------------------------------------------------------------


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Yield the name of every file in ``storage`` under ``folder``, sorted, recursively."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(dirs):
        yield from storage_files(storage, f"{folder}/{name}" if folder else name)


class _HashingReader(io.RawIOBase):
    def __init__(self, f) -> None:
        self.f = f
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _add_storage_files(archive: tarfile.TarFile, storage: Storage, progress: Progress):
    files: dict[str, dict[str, Any]] = {}
    total = 0
    for name in storage_files(storage):
        if name.startswith(".healthz/"):
            continue
        try:
            size = storage.size(name)
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            continue  # deleted while we walked
        with handle:
            info = tarfile.TarInfo(MEDIA_PREFIX + name)
            info.size = size
            info.mtime = int(datetime.now(UTC).timestamp())
            reader = _HashingReader(handle)
            archive.addfile(info, reader)
        files[name] = {"size": size, "sha256": reader.digest.hexdigest()}
        total += size
        if len(files) % 500 == 0:
            progress(f"files: {len(files)} ({_size(total)})")
    progress(f"files: {len(files)} ({_size(total)}) done")
    return files


def _open_for_writing(path: Path, part: Path) -> tarfile.TarFile:
    if path.name.endswith((".tar.gz", ".tgz")):
        return tarfile.open(part, "w:gz")
    return tarfile.open(part, "w")


# --- backup ---------------------------------------------------------------------------


def create_backup(
    path: str | Path, db: dict[str, Any], storage: Storage, progress: Progress = _quiet
) -> dict[str, Any]:
    """Write the archive ``path`` (see the module) and return its manifest.

    ``db`` is a ``DATABASES`` entry (SQLite or PostgreSQL), ``storage`` the upload
    storage. The site may keep serving: SQLite is copied page by page with
    ``sqlite3.Connection.backup``, PostgreSQL dumped from one exported snapshot.
    The archive is written to ``<path>.part`` and renamed when complete.
    ``progress`` receives one line per step (database pages, every 500 files).
    Raises :class:`BackupError` (unsupported engine, pg_dump missing or failing).
    """
    path = Path(path)
    engine = engine_of(db)
    member = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
    part = path.with_name(path.name + ".part")
    with tempfile.TemporaryDirectory(prefix="luntan-backup-") as tmp:
        dump = Path(tmp) / member
        if engine == "sqlite":
            tables = _sqlite_dump(db, dump, progress)
        else:
            tables = _pg_dump(db, dump, progress)
        progress(f"database: {len(tables)} tables, {sum(tables.values())} rows")
        with _open_for_writing(path, part) as archive:
            archive.add(dump, arcname=member)
            files = _add_storage_files(archive, storage, progress)
            manifest = {
                "format": FORMAT,
                "luntan_version": luntan_version(),
                "created_at": datetime.now(UTC).isoformat(),
                "engine": engine,
                "database": {"name": member, "sha256": _sha256_file(dump), "tables": tables},
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
    os.replace(part, path)
    return manifest


# --- restore --------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    """The manifest of an open archive; BackupError when it is missing or not ours."""
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError("This archive has no manifest.json: it is not a luntan backup.")
    manifest = json.loads(handle.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def table_counts(db: dict[str, Any]) -> dict[str, int]:
    """Rows per table of the database ``db`` (a ``DATABASES`` entry), read directly."""
    return _sqlite_counts(db) if engine_of(db) == "sqlite" else _pg_counts(db)


def verify(manifest: dict[str, Any], db: dict[str, Any], storage: Storage) -> VerifyReport:
    """Compare ``db`` and ``storage`` with ``manifest``: every table's row count, every
    file's presence, size and SHA-256. Returns a :class:`VerifyReport`."""
    report = VerifyReport()
    counts = table_counts(db)
    for table, rows in sorted(manifest["database"]["tables"].items()):
        report.tables += 1
        if table not in counts:
            report.problems.append(f"table {table} is missing")
        elif counts[table] != rows:
            report.problems.append(f"table {table} has {counts[table]} rows, expected {rows}")
    for name, meta in sorted(manifest["files"].items()):
        report.files += 1
        if not storage.exists(name):
            report.problems.append(f"file {name} is missing")
            continue
        digest = hashlib.sha256()
        with storage.open(name, "rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != meta["sha256"]:
            report.problems.append(f"file {name} differs (SHA-256)")
    return report


def restore_backup(
    path: str | Path, db: dict[str, Any], storage: Storage, progress: Progress = _quiet
) -> VerifyReport:
    """Restore the archive ``path`` into the empty database ``db`` and ``storage``, then
    verify it against the manifest; return the :class:`VerifyReport` (check ``.ok``).

    Raises :class:`BackupError` before writing anything when the database already has
    tables or the storage already has files (restore never merges or overwrites), when
    the archive's engine differs from ``db``'s, or when the dump's checksum is wrong.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    engine = engine_of(db)
    with tarfile.open(path, "r:*") as archive:
        manifest = read_manifest(archive)
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; DATABASE_URL points at"
                f" {engine}. Restore into the same kind of database."
            )
        existing = table_counts(db)
        if existing:
            raise BackupError(
                f"The database {db['NAME']} is not empty ({len(existing)} tables). Restore"
                " only into a new, empty database: create one (PostgreSQL: createdb NAME;"
                " SQLite: a new file name) without running migrate, point DATABASE_URL at"
                " it and run luntan restore again."
            )
        if next(storage_files(storage), None) is not None:
            raise BackupError(
                "The upload storage (MEDIA_ROOT) is not empty. Restore only into an empty"
                " one: move its files away or set LUNTAN_HOME to a new folder."
            )
        member = manifest["database"]["name"]
        with tempfile.TemporaryDirectory(prefix="luntan-restore-") as tmp:
            dump = Path(tmp) / Path(member).name
            source = archive.extractfile(member)
            if source is None:
                raise BackupError(f"The archive has no {member}.")
            with source, open(dump, "wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            if _sha256_file(dump) != manifest["database"]["sha256"]:
                raise BackupError(f"{member} in the archive is damaged (SHA-256 differs).")
            progress(f"database: loading {member}")
            if engine == "sqlite":
                _sqlite_restore(db, dump)
            else:
                _pg_restore(db, dump)
        written = 0
        for info in archive:
            if not info.isfile() or not info.name.startswith(MEDIA_PREFIX):
                continue
            name = info.name[len(MEDIA_PREFIX) :]
            if name not in manifest["files"]:
                continue  # only what the manifest vouches for
            handle = archive.extractfile(info)
            if handle is None:
                continue
            with handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"The storage saved {name} as {saved}.")
            written += 1
            if written % 500 == 0:
                progress(f"files: {written}/{len(manifest['files'])}")
        progress(f"files: {written}/{len(manifest['files'])} done")
    progress("verifying")
    return verify(manifest, db, storage)
