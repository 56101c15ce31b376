"""``luntan backup FILE``: database, uploaded files and a manifest in one archive."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from luntan.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (.tar, or .tar.gz/.tgz compressed): the database, the"
        " uploaded files and manifest.json (row counts, SHA-256 of every file). The site"
        " may keep serving."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="archive to write, e.g. luntan-2026-01-01.tar")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        db = connections[options["database"]].settings_dict
        progress = (lambda line: None) if options["verbosity"] == 0 else self._progress
        try:
            manifest = create_backup(options["file"], db, default_storage, progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = manifest["database"]["tables"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {options['file']}: {manifest['engine']},"
                f" {len(tables)} tables, {sum(tables.values())} rows,"
                f" {len(manifest['files'])} files."
            )
        )

    def _progress(self, line: str) -> None:
        self.stderr.write(line)
