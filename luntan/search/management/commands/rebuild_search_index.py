"""``luntan rebuild_search_index [--batch-size N]``: empty and rebuild the search index.

Prints a progress bar (posts done / total, rate) while it works; on a non-terminal it
prints one line per 10 %. Safe to run while the site is up: searches see a partial index
until it finishes.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from luntan.search.backends import get_backend
from luntan.search.indexing import BATCH_SIZE, rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the full-text search index from all visible posts."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size: int, **options):
        started = time.perf_counter()
        is_tty = self.stdout.isatty()
        last_decile = -1

        def progress(done: int, total: int) -> None:
            nonlocal last_decile
            fraction = done / total if total else 1.0
            rate = done / max(time.perf_counter() - started, 1e-6)
            filled = int(fraction * BAR_WIDTH)
            line = (
                f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} posts "
                f"({fraction:.0%}, {rate:.0f}/s)"
            )
            if is_tty:
                self.stdout.write("\r" + line, ending="")
                self.stdout.flush()
            elif int(fraction * 10) != last_decile:
                last_decile = int(fraction * 10)
                self.stdout.write(line)

        indexed = rebuild(batch_size=batch_size, progress=progress)
        if is_tty:
            self.stdout.write("")
        backend = get_backend()
        size = backend.size_bytes()
        size_text = f", index {size / 1e6:.1f} MB" if size is not None else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"indexed {indexed} posts in {time.perf_counter() - started:.1f} s{size_text}"
            )
        )
