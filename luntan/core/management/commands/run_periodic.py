"""``luntan run_periodic``: enqueue the registered periodic jobs (daily digest mail,
pruning unread rows) when they are due, without cron (:mod:`luntan.core.periodic`)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from luntan.core.periodic import periodic_jobs, run_due


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (daily digests, prune_unread) for the task worker when "
        "they are due; runs until stopped (--once: check once and exit)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument(
            "--interval", type=int, default=60, help="seconds between checks (default 60)"
        )

    def handle(self, *args, **options) -> None:
        interval = max(int(options["interval"]), 1)
        if options["verbosity"] > 1:
            names = ", ".join(j.name for j in periodic_jobs())
            self.stdout.write(f"periodic jobs: {names}")
        while True:
            for name in run_due():
                if options["verbosity"] > 0:
                    self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(interval)
