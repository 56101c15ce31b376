"""Discuz! import benchmark: a ``generate.py`` site imported into SQLite and PostgreSQL.

``python -m bench --only import [--quick] [--posts N] [--db sqlite|postgres|both]
[--keep-source]``

1. Builds a Discuz! X3.4 database ``luntan_bench_import`` on the MariaDB server of
   ``MYSQL_HOST``/``MYSQL_PORT`` (default 127.0.0.1:3306, user root) with the shared
   ``load.sh`` and ``generate.py`` (``../shared/discuz`` beside the checkout, or
   ``$LUNTAN_SHARED_DIR/discuz``): about N posts (default 1,000,000: ``--users N/10
   --threads N/10 --posts-per-thread-mean 10 --seed 5``, attachments written to a
   temporary folder); ``--quick``: 20,000 posts.
2. For each target database, in a child process: an empty SQLite file in a temporary
   ``LUNTAN_HOME``, or a throwaway PostgreSQL database ``luntan_bench_import`` on
   ``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432``; skipped when
   unreachable); ``luntan migrate``, then ``luntan import_discuz`` with ``--attach-dir``
   and ``--report``, timed.
3. Prints, per target: the whole import's wall time and **posts/s** (posts read ÷ total
   seconds; target ≥ 5,000), each phase's rows/s from the report, and the per-row time
   of the credit-balance step against the member step (target: not slower).

The source database is dropped at the end unless ``--keep-source``; ``--reuse-source``
imports an existing one again. ``BENCH_SOURCE_DB`` / ``BENCH_PG_DB`` rename the two
throwaway databases. The machine's load average (``uptime``) is printed beside the
figures: other work on the machine slows the import.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LUNTAN_SHARED_DIR") or REPO.parent / "shared") / "discuz"
# Names of the throwaway databases (set them apart when several checkouts bench at once).
SOURCE_DB = os.environ.get("BENCH_SOURCE_DB", "luntan_bench_import")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = os.environ.get("BENCH_PG_DB", "luntan_bench_import")
TARGET_POSTS_PER_SECOND = 5000
_ROW = re.compile(
    r"^(\S.{0,21}?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+\S", re.MULTILINE
)


def _mysql_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MYSQL_HOST", "127.0.0.1")
    env.setdefault("MYSQL_PORT", "3306")
    env.pop("MYSQL_UNIX_PORT", None)
    return env


def build_source(posts: int, attach_dir: Path) -> float:
    """Load the schema and generate about ``posts`` posts; returns the seconds taken."""
    started = time.perf_counter()
    env = _mysql_env()
    subprocess.run(["bash", str(SHARED / "load.sh"), SOURCE_DB], env=env, check=True)
    n = max(posts // 10, 100)
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "generate.py"),
            "-D",
            SOURCE_DB,
            "--users",
            str(n),
            "--threads",
            str(n),
            "--posts-per-thread-mean",
            "10",
            "--seed",
            "5",
            "--attach-dir",
            str(attach_dir),
        ],
        env=env,
        check=True,
    )
    return time.perf_counter() - started


def drop_source() -> None:
    """Drop the generated Discuz! database."""
    import pymysql

    env = _mysql_env()
    conn = pymysql.connect(
        host=env["MYSQL_HOST"], port=int(env["MYSQL_PORT"]), user=env.get("MYSQL_USER", "root"),
        password=env.get("MYSQL_PWD", ""),
    )  # fmt: skip
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{SOURCE_DB}`")
    conn.close()


def _pg_reset() -> str | None:
    """A fresh, empty PostgreSQL database URL, or ``None`` when the server is unreachable."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
    except psycopg.Error as exc:
        print(f"  PostgreSQL at {PG_URL} unusable ({exc}); skipped", flush=True)
        return None
    return f"{PG_URL}/{PG_DB}"


def run_import(target: str, attach_dir: Path) -> dict | None:
    """Migrate an empty ``target`` database (``sqlite``/``postgres``) and import into it;
    returns ``{"seconds": …, "phases": {name: (read, seconds)}}`` or ``None`` if skipped."""
    home = Path(tempfile.mkdtemp(prefix="luntan-bench-import-"))
    env = dict(os.environ, LUNTAN_HOME=str(home), DJANGO_SETTINGS_MODULE="luntan.settings")
    env.pop("DATABASE_URL", None)
    if target == "postgres":
        url = _pg_reset()
        if url is None:
            return None
        env["DATABASE_URL"] = url
    manage = [sys.executable, "-m", "luntan.manage"]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, cwd=REPO, check=True)
    report = home / "report.txt"
    mysql = _mysql_env()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [
            *manage, "import_discuz", "--host", mysql["MYSQL_HOST"], "--port", mysql["MYSQL_PORT"],
            "--database", SOURCE_DB, "--attach-dir", str(attach_dir), "--report", str(report),
        ],
        env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    text = report.read_text(encoding="utf-8")
    phases = {m.group(1).strip(): (int(m.group(2)), float(m.group(7))) for m in _ROW.finditer(text)}
    return {"seconds": seconds, "cpu": cpu, "phases": phases}


def show(target: str, result: dict) -> None:
    """Print one target's figures."""
    phases = result["phases"]
    posts = phases.get("posts", (0, 0.0))[0]
    rate = posts / result["seconds"] if result["seconds"] else 0.0
    verdict = "OK" if rate >= TARGET_POSTS_PER_SECOND else "below target"
    print(
        f"  {target}: {posts} posts in {result['seconds']:.1f} s = {rate:,.0f} posts/s "
        f"(target ≥ {TARGET_POSTS_PER_SECOND:,}: {verdict})",
        flush=True,
    )
    cpu = result.get("cpu") or 0.0
    if cpu:
        # On a shared machine wall time measures the neighbours too; CPU time of the
        # import process (not MariaDB's or PostgreSQL's) is what this code costs.
        print(
            f"    import process CPU {cpu:.1f} s = {posts / cpu:,.0f} posts per CPU-second",
            flush=True,
        )
    for name, (read, seconds) in phases.items():
        per = f"{read / seconds:,.0f} rows/s" if seconds > 0 else "-"
        print(f"    {name:<22} {read:>9} rows {seconds:>8.1f} s  {per}")
    members, credits = phases.get("members"), phases.get("credit balances")
    if members and credits and members[0] and credits[0]:
        m, c = members[1] / members[0], credits[1] / credits[0]
        ok = "OK" if c <= m * 1.05 else "slower"
        print(f"    credit step {c * 1e6:.0f} µs/row vs member step {m * 1e6:.0f} µs/row: {ok}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_import")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--keep-source", action="store_true")
    parser.add_argument(
        "--reuse-source",
        metavar="ATTACH_DIR",
        help="import the existing source database again (its attachment folder)",
    )
    args, _rest = parser.parse_known_args(argv)
    posts = 20_000 if args.quick else args.posts
    if not (SHARED / "load.sh").exists():
        print(f"  shared Discuz! fixtures not found at {SHARED}; skipped")
        return
    if args.reuse_source:
        attach_dir = Path(args.reuse_source)
    else:
        attach_dir = Path(tempfile.mkdtemp(prefix="luntan-bench-attach-"))
        print(f"  generating a Discuz! site of about {posts:,} posts …", flush=True)
        print(f"  generated in {build_source(posts, attach_dir):.1f} s", flush=True)
    try:
        targets = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        for target in targets:
            print(f"  load before the {target} run: {_load()}", flush=True)
            result = run_import(target, attach_dir)
            if result is not None:
                show(target, result)
                print(f"  load after: {_load()}", flush=True)
    finally:
        if not (args.keep_source or args.reuse_source):
            drop_source()


def _load() -> str:
    """The 1/5/15-minute load averages and the core count (other work slows the run)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"
