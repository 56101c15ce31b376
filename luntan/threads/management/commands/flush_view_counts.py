"""``luntan flush_view_counts``: fold the thread views counted in Redis into the database."""

import time

from django.core.management.base import BaseCommand

from luntan.threads import view_counts


class Command(BaseCommand):
    help = (
        "Write the thread views counted in Redis (and this process's) to the database."
        " With --every N, keep doing it every N seconds until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="seconds between flushes")

    def handle(self, *args, **options):
        while True:
            try:
                written = view_counts.flush()
            except Exception as exc:
                if not options["every"]:
                    raise
                self.stderr.write(f"views not written this time: {exc}")
                written = 0
            if options["verbosity"] > 1 or (written and not options["every"]):
                self.stdout.write(f"{written} views written.")
            if not options["every"]:
                return
            time.sleep(options["every"])
