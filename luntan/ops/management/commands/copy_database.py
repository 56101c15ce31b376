"""``luntan copy_database SOURCE``: move a site's database (e.g. SQLite) into the one
``DATABASE_URL`` names (e.g. PostgreSQL), with a progress bar and a count check."""

import os

import dj_database_url
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from luntan.ops.copydb import CopyError, add_source, copy_database


class Command(BaseCommand):
    help = (
        "Copy every table of the SOURCE database (a path to a SQLite file or a database URL)"
        " into DATABASE_URL's database: migrates it, EMPTIES its tables, copies the rows with"
        " their ids, resets sequences and checks each table's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="e.g. var/luntan.sqlite3 or sqlite:////srv/old.db")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before emptying the target's tables"
        )

    def handle(self, *args, **options):
        source = options["source"]
        url = source if "://" in source else f"sqlite:///{source}"
        if url.startswith("sqlite:") and not os.path.exists(url.split("///", 1)[1]):
            raise CommandError(f"No SQLite database at {source}.")
        add_source("copy_source", dj_database_url.parse(url))
        if not options["yes"]:
            answer = input(
                "Every table of the target database (DATABASE_URL) will be emptied. Go on? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing copied.")
        call_command("migrate", interactive=False, verbosity=0)
        bar = tqdm(unit="row", disable=options["verbosity"] == 0)
        try:
            report = copy_database(
                "copy_source",
                progress=bar.update,
                start=lambda total: setattr(bar, "total", total),
            )
        except CopyError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"{len(report.problems)} tables differ; see above.")
        self.stdout.write(
            f"{report.rows} rows in {len(report.tables)} tables copied; every table's count"
            " equals the source."
        )
