"""Last page vs page 1 of a 100,000-floor thread with hidden floors, in process.

``python -m bench --only thread_pages [--quick] [--big-floors N] [--requests N] [--keep]``

Pages are counted in the floors a viewer sees (issue 9 item 15): the long thread of
:mod:`bench.datagen` has gaps (a 20-floor run split away, 10 scattered) and 50 deleted
replies (:func:`bench.datagen.big_thread_holes`), so a guest's pages and a moderator's
pages differ, and every page after the first hole is found by a keyset on the floor plus
an offset by the holes below it (``luntan/threads/queries.py``). This benchmark times the
whole Django request (middleware, queries, template) of page 1 and of the last page, for
a guest and for a moderator, with Django's test client in one process (no HTTP server,
no load generator: the figure is the server-side cost of one request).

1. Generates a small site with the long thread (``--big-floors``, default 100,000;
   ``--quick``: 5,000) into SQLite in a temporary ``LUNTAN_HOME``, or into
   ``DATABASE_URL`` when that is set (an *empty, throwaway* database).
2. Runs ``luntan migrate`` and ``collectstatic``; in a child process with ``DEBUG`` off,
   runs ``ANALYZE`` (the statistics autovacuum would gather after the bulk load), warms
   both pages up, then requests page 1 and the last page alternately ``--requests`` times
   each (default 200; ``--quick`` 50),
   per viewer, and prints the median and 90th-percentile wall milliseconds, the median
   CPU milliseconds of the process (Django and, on SQLite, the database: the figure other
   processes on a shared machine disturb least), the SQL queries of one request, and the
   ratio last page / page 1 of the CPU medians and of the wall medians. Target ≤ 1.2,
   judged on CPU with SQLite and on the larger of the two with PostgreSQL (whose server
   time is not in this process's CPU).
3. Deletes the folder (unless ``--keep``).

Nothing fails on the threshold; the exit status is 1 only when a page does not answer 200
or shows no floors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._server import REPO, manage

TARGET_RATIO = 1.2


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench --only thread_pages")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--big-floors", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child: site.json path
    args, _unknown = parser.parse_known_args(argv)  # other benchmarks' options pass by
    args.big_floors = args.big_floors or (5_000 if args.quick else 100_000)
    args.requests = args.requests or (50 if args.quick else 200)
    return args


def main(argv: list[str]) -> None:
    """Generate, measure in a child process, print; see the module docstring."""
    args = _args(argv)
    if args.measure:
        _measure(Path(args.measure), args.requests)
        return
    home = Path(tempfile.mkdtemp(prefix="luntan-bench-pages-"))
    env = dict(os.environ)
    env.update(
        LUNTAN_HOME=str(home),
        DJANGO_SETTINGS_MODULE="luntan.settings",
        DEBUG="0",
        LUNTAN_DEBUG_HEADERS="1",  # X-Queries
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    try:
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        site_json = home / "site.json"
        cmd = [sys.executable, "-m", "bench.datagen", "--json", str(site_json)]
        cmd += ["--threads", "20", "--users", "50", "--templates", "40"]
        cmd += ["--big-floors", str(args.big_floors), "--no-check"]
        subprocess.run(cmd, env=env, cwd=REPO, check=True)
        child = [sys.executable, "-m", "bench.bench_thread_pages", "--measure", str(site_json)]
        child += ["--requests", str(args.requests)]
        done = subprocess.run(child, env=env, cwd=REPO, check=False)
        if done.returncode:
            sys.exit(done.returncode)
    finally:
        if args.keep:
            print(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


def _measure(site_json: Path, requests: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from luntan.accounts.models import User, UserGroup
    from luntan.threads import queries

    # Statistics after the bulk load, as autovacuum (PostgreSQL) would gather them: without
    # them PostgreSQL guesses the posts not visible are many and counts them through the
    # (thread, floor) index instead of the small partial index (measured: 340 ms instead
    # of 0.3 ms for the last page's posts query before ANALYZE).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    site = json.loads(site_json.read_text())
    per_page = settings.LUNTAN_POSTS_PER_PAGE
    thread = queries.get_visible_thread(site["big_thread_id"])
    holes = queries.holes_of(thread)
    moderator = User.objects.filter(username="bench_mod").first() or User.objects.create_user(
        "bench_mod", password=None, group_id=UserGroup.SUPER_MODERATOR
    )
    print(
        f"long thread: {site['big_floors']:,} floors given; a member sees "
        f"{holes.shown(False):,} ({holes.gaps} gap floors, {holes.hidden} hidden posts), "
        f"a moderator {holes.shown(True):,}; {per_page} a page; {requests} requests a page, "
        f"alternating; in process (Django test client), DEBUG off, {_database()}",
        flush=True,
    )
    failed = False
    for who in ("guest", "moderator"):
        client = Client(HTTP_HOST="127.0.0.1")
        if who == "moderator":
            client.force_login(moderator)
        last = holes.num_pages(per_page, who == "moderator")
        urls = {"page 1": f"/t/{thread.pk}/", "last page": f"/t/{thread.pk}/?page={last}"}
        times: dict[str, list[float]] = {k: [] for k in urls}
        cpu: dict[str, list[float]] = {k: [] for k in urls}
        queries_of: dict[str, str] = {}
        for name, url in urls.items():  # warm-up (and check)
            for _ in range(5):
                response = client.get(url)
            body = response.content.decode()
            queries_of[name] = response.get("X-Queries", "?")
            if response.status_code != 200 or 'class="floor' not in body:
                print(f"! {who} {name} {url}: HTTP {response.status_code}, no floors?")
                failed = True
        for i in range(requests):
            order = list(urls.items()) if i % 2 == 0 else list(urls.items())[::-1]
            for name, url in order:
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                cpu[name].append((time.process_time() - started_cpu) * 1000)
                times[name].append((time.perf_counter() - started) * 1000)
        med = {k: statistics.median(v) for k, v in times.items()}
        med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
        p90 = {k: statistics.quantiles(v, n=10)[-1] for k, v in times.items()}
        for name, url in urls.items():
            print(
                f"  {who:<9} {name:<9} {url:<22} wall median {med[name]:6.2f} ms  "
                f"p90 {p90[name]:6.2f} ms  CPU median {med_cpu[name]:6.2f} ms  "
                f"queries {queries_of[name]}"
            )
        ratio = med_cpu["last page"] / med_cpu["page 1"]
        wall = med["last page"] / med["page 1"]
        judged = ratio if connection.vendor == "sqlite" else max(ratio, wall)
        verdict = "within" if judged <= TARGET_RATIO else "ABOVE"
        print(
            f"  {who}: last page (page {last:,}) / page 1, CPU per request = {ratio:.2f}, "
            f"wall time {wall:.2f} ({verdict} the ≤ {TARGET_RATIO} target)",
            flush=True,
        )
    if failed:
        sys.exit(1)


def _database() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    return connection.vendor


if __name__ == "__main__":
    main(sys.argv[1:])
