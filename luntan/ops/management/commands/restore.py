"""``luntan restore FILE``: load a backup into an empty database and storage, verify it."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from luntan.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `luntan backup` into an empty database (do not run"
        " migrate first) and an empty upload storage, then check every table's row count"
        " and every file's SHA-256 against the manifest; exits 1 on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="archive written by luntan backup")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        db = connection.settings_dict
        connection.close()
        progress = (lambda line: None) if options["verbosity"] == 0 else self.stderr.write
        try:
            report = restore_backup(options["file"], db, default_storage, progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Restored, but {len(report.problems)} differences from the manifest (above)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {report.tables} tables, {report.files} files."
            )
        )
