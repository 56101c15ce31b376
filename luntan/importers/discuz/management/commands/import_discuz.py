"""``luntan import_discuz``: import a live Discuz! X3.4 database (see docs/importer.md)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from luntan.importers.discuz.report import render_report
from luntan.importers.discuz.service import DEFAULT_BATCH, import_site
from luntan.importers.discuz.source import PREFIX_RE, ConnectionOptions, SourceError, connect


class Command(BaseCommand):
    help = (
        "Import members, boards, threads and posts from a Discuz! X3.4 MySQL/MariaDB "
        "database. Safe to run again: rows already imported are updated, not duplicated."
    )

    def add_arguments(self, parser):
        env = os.environ
        parser.add_argument("--host", help="server (default MYSQL_HOST or 127.0.0.1)")
        parser.add_argument("--port", type=int, help="port (default MYSQL_PORT or 3306)")
        parser.add_argument("--socket", help="Unix socket instead of TCP (default MYSQL_UNIX_PORT)")
        parser.add_argument("--user", help="account (default MYSQL_USER or root)")
        parser.add_argument("--password", help="password (default MYSQL_PWD or empty)")
        parser.add_argument(
            "--database",
            default=env.get("MYSQL_DATABASE"),
            help="the Discuz! database (default MYSQL_DATABASE)",
        )
        parser.add_argument("--prefix", default="pre_", help="table prefix (default pre_)")
        parser.add_argument(
            "--batch",
            type=int,
            default=DEFAULT_BATCH,
            help=f"rows per page and transaction (default {DEFAULT_BATCH})",
        )
        parser.add_argument(
            "--attach-dir",
            help="Discuz!'s data/attachment folder (files under its forum/ subfolder); "
            "without it attachment files are not imported",
        )
        parser.add_argument(
            "--smiley-dir",
            help="Discuz!'s static/image/smiley folder (one subfolder per smiley set); "
            "without it smilies show as emoji",
        )
        parser.add_argument(
            "--avatar-dir",
            help="UCenter's uc_server/data/avatar folder (000/00/00/01_avatar_big.jpg …); "
            "without it avatars are not imported",
        )
        parser.add_argument(
            "--source-charset",
            choices=["utf8", "gbk", "big5"],
            help="the Discuz! edition's charset (default: from the tables); gbk/big5 is "
            "required when GBK/BIG5 text sits in latin1-declared tables",
        )
        parser.add_argument(
            "--report",
            help="file the import report is written to (UTF-8 text; default "
            "LUNTAN_HOME/import_discuz_report.txt); it is printed at the end too",
        )

    def handle(self, *args, **options):
        if not options["database"]:
            raise CommandError("Name the Discuz! database with --database (or MYSQL_DATABASE).")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        if not PREFIX_RE.match(options["prefix"] or ""):
            raise CommandError(
                f"Invalid table prefix {options['prefix']!r}: use letters, digits and _ only "
                "(e.g. --prefix pre_)."
            )
        conn_options = ConnectionOptions.from_env(
            options["database"],
            host=options["host"],
            port=options["port"],
            user=options["user"],
            password=options["password"],
            socket=options["socket"],
        )
        started = time.perf_counter()
        try:
            conn = connect(conn_options)
            try:
                report = import_site(
                    conn,
                    options["prefix"],
                    batch=options["batch"],
                    progress=self._progress,
                    attach_dir=options["attach_dir"],
                    avatar_dir=options["avatar_dir"],
                    source_charset=options["source_charset"],
                    smiley_dir=options["smiley_dir"],
                )
            finally:
                conn.close()
        except SourceError as exc:
            raise CommandError(str(exc)) from None
        seconds = time.perf_counter() - started
        self._close_bar()
        text = render_report(report, database=options["database"])
        path = Path(options["report"] or settings.HOME / "import_discuz_report.txt")
        self.stdout.write("")
        self.stdout.write(text)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.stderr.write(f"The report could not be written to {path}: {exc}")
        else:
            self.stdout.write(f"Report written to {path}")
        if report.timeoffset and report.timeoffset not in ("8", "8.0"):
            self.stdout.write(
                self.style.WARNING(
                    f"The Discuz! site's time zone is GMT{float(report.timeoffset):+g}; set "
                    "TIME_ZONE for luntan accordingly (default Asia/Shanghai, GMT+8)."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported in {seconds:.1f} s: {report.created} created, {report.updated} updated."
            )
        )

    _bar: tqdm | None = None
    _bar_name = ""
    _last_line = ""

    def _progress(self, line: str) -> None:
        """One progress line per page. On a terminal, phases with a known row count
        draw a tqdm bar (rows, rows/s, ETA) instead, and only each phase's closing line
        is printed; elsewhere (a pipe, a log file) every line is printed as it is."""
        stats = getattr(line, "stats", None)
        if not self._bars() or stats is None or not stats.total:
            self._close_bar()
            self.stdout.write(line)
            self.stdout.flush()
            return
        if self._bar is None or self._bar_name != stats.name:
            self._close_bar()
            self._bar = tqdm(
                total=stats.total,
                desc=stats.name,
                unit=" rows",
                unit_scale=True,
                dynamic_ncols=True,
                file=getattr(self.stdout, "_out", sys.stdout),
                leave=False,
            )
            self._bar_name = stats.name
        self._bar.update(max(stats.read - self._bar.n, 0))
        self._last_line = line
        if stats.ended is not None:
            self._close_bar()

    def _bars(self) -> bool:
        return self.stdout.isatty()

    def _close_bar(self) -> None:
        """Remove the bar and print the phase's last line in its place."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            if self._last_line:
                self.stdout.write(self._last_line)
            self._last_line = ""
