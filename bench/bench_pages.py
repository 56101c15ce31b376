"""Page throughput: board index, board, thread pages (incl. a 100,000-floor thread).

``python -m bench --only pages [--quick] [--keep] [--seconds S] [--python-load]
[--pages thread,long-first,…] [--baseline OTHER_CHECKOUT]``

1. Generates a site (:mod:`bench.datagen`) in a throwaway ``LUNTAN_HOME`` (SQLite in a
   temporary folder), or in ``DATABASE_URL`` when set (it must be an empty database).
2. Runs ``luntan migrate`` + ``collectstatic`` and gunicorn ``luntan.wsgi`` with 2 workers,
   DEBUG off, on a free port of 127.0.0.1 (see :mod:`bench._server`).
3. Loads each page from this machine only with wrk (else a Python client): warm-up, then
   ``--seconds`` s with 2 threads and 8 keep-alive connections (see :mod:`bench._load`).
4. Prints requests/s, median and 95th-percentile latency (ms), SQL queries per page (the
   ``X-Queries`` header) and two ratios: last page / page 1 of the long thread (target
   ≤ 1.2: no OFFSET scans) and the 20-floor thread page against 185 req/s; the same
   thread through the JSON API (``GET /api/v1/threads/<id>``) is loaded beside it and
   printed with the API/HTML ratio.
5. With ``--baseline DIR`` a second gunicorn serves checkout ``DIR`` (e.g. a worktree of
   the commit before a change) on the same data; each page is loaded on both in the same
   rounds and the before → after requests/s and CPU ms per request are printed.
6. Stops gunicorn and deletes the folder (unless ``--keep``).

The figures are compared as ratios within one run; nothing here fails on a threshold.
The exit status is 1 only when something broke (a page not answering 200, errors).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench import _load, datagen
from bench._cpu import OtherCpu
from bench._server import REPO, Server, manage

# 5 × the 37 req/s an existing Django forum engine serves for a 15-floor thread page on
# the 2-core benchmark machine (same load settings).
THREAD_PAGE_TARGET_RPS = 185.0
LAST_PAGE_TARGET_RATIO = 1.2


@dataclass
class Page:
    """One page to load and, once loaded, its figures."""

    label: str
    path: str
    key: str = ""  # index, board, thread, long-first, long-last
    side: str = ""  # "before"/"after" with --baseline, else ""
    base: str = ""  # the serving gunicorn's URL
    server_pid: int = 0
    status: int = 0
    queries: str = "?"
    kib: float = 0.0
    alone_ms: float = 0.0
    server_ms: float | None = None
    others_cpu: float = 0.0
    rounds: list[_load.LoadResult] = field(default_factory=list)
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0

    @property
    def cpu_ms(self) -> float:
        """gunicorn CPU time per request under load, ms (barely moved by other processes)."""
        return self.server_cpu_s * 1e3 / self.result.requests if self.result else 0.0

    @property
    def quiet_rps(self) -> float:
        """Requests/s this machine's CPUs would give with nothing else running: all CPUs
        divided by the server's plus the load generator's CPU time per request."""
        if not self.result or not self.result.requests:
            return 0.0
        per_request = (self.server_cpu_s + self.client_cpu_s) / self.result.requests
        return (os.cpu_count() or 1) / per_request if per_request else 0.0

    result: _load.LoadResult | None = None


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench --only pages")
    parser.add_argument("--quick", action="store_true", help="500 threads, a 5,000-floor thread")
    parser.add_argument("--keep", action="store_true", help="keep the temporary LUNTAN_HOME")
    parser.add_argument("--seconds", type=float, help="load time per page (default 10; quick 3)")
    parser.add_argument("--warmup", type=float, help="warm-up per page in s (default 2; quick 1)")
    parser.add_argument("--rounds", type=int, help="round-robin passes (default 5; quick 1)")
    parser.add_argument("--connections", type=int, default=8, help="keep-alive connections")
    parser.add_argument("--load-threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, help="ordinary threads to generate")
    parser.add_argument("--big-floors", type=int, help="floors of the long thread")
    parser.add_argument("--python-load", action="store_true", help="use the Python client")
    parser.add_argument(
        "--pages",
        help="comma-separated subset of: " + ",".join(PAGE_KEYS) + " (default: all)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (e.g. a git worktree of an older commit) served beside this "
        "one on the same data; each page is loaded on both, in the same rounds",
    )
    args, _unknown = parser.parse_known_args(argv)  # other benchmarks' options pass by
    args.seconds = args.seconds or (3.0 if args.quick else 10.0)
    args.rounds = max(1, args.rounds or (1 if args.quick else 5))
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 2.0)
    return args


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LUNTAN_HOME=str(home),
        DJANGO_SETTINGS_MODULE="luntan.settings",
        DEBUG="0",
        LUNTAN_DEBUG_HEADERS="1",  # the X-Queries column
        LOG_LEVEL="WARNING",
        LUNTAN_API_RATE_READ="0/60",  # the API's per-IP limit would throttle the load
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    return env


def _generate(env: dict[str, str], home: Path, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, "-m", "bench.datagen", "--json", str(home / "site.json")]
    cmd += ["--quick"] if args.quick else []
    cmd += ["--threads", str(args.threads)] if args.threads else []
    cmd += ["--big-floors", str(args.big_floors)] if args.big_floors else []
    subprocess.run(cmd, env=env, cwd=REPO, check=True)
    return json.loads((home / "site.json").read_text())


PAGE_KEYS = ("index", "board", "thread", "api-thread", "mobile-thread", "long-first", "long-last")


def _pages(site: dict) -> list[Page]:
    per_page = int(os.environ.get("LUNTAN_POSTS_PER_PAGE", "20"))
    # a guest's last page: the long thread has gaps and deleted floors (datagen)
    gaps, deleted = datagen.big_thread_holes(site["big_floors"])
    last = math.ceil((site["big_floors"] - len(gaps) - len(deleted)) / per_page)
    big, floors = site["big_thread_id"], f"{site['big_floors']:,}"
    return [
        Page("board index", "/", "index"),
        Page("board (thread list)", f"/f/{site['big_board_id']}/", "board"),
        Page(f"thread, {site['small_floors']} floors", f"/t/{site['small_thread_id']}/", "thread"),
        Page(
            f"API thread, {site['small_floors']} floors (JSON)",
            f"/api/v1/threads/{site['small_thread_id']}",
            "api-thread",
        ),
        Page(
            f"mobile viewthread, {site['small_floors']} floors (Discuz! mobile API)",
            f"/api/mobile/index.php?version=4&module=viewthread&tid={site['small_thread_id']}&ppp={per_page}",
            "mobile-thread",
        ),
        Page(f"{floors}-floor thread, page 1", f"/t/{big}/", "long-first"),
        Page(f"{floors}-floor thread, last page", f"/t/{big}/?page={last}", "long-last"),
    ]


def _select(pages: list[Page], args: argparse.Namespace, servers: dict[str, Server]) -> list[Page]:
    """The pages asked for by ``--pages``, each bound to its server; with ``--baseline``
    every page twice (before, after), side by side so that A B … B A rounds alternate."""
    wanted = set(args.pages.split(",")) if args.pages else set(PAGE_KEYS)
    unknown = wanted - set(PAGE_KEYS)
    if unknown:
        sys.exit(f"--pages: unknown {', '.join(sorted(unknown))} (known: {', '.join(PAGE_KEYS)})")
    out = []
    for page in pages:
        if page.key not in wanted:
            continue
        for side, server in servers.items():
            label = f"{page.label} [{side}]" if side else page.label
            out.append(Page(label, page.path, page.key, side, server.url, server.proc.pid))
    return out


def _probe(page: Page, times: int = 5) -> None:
    """Fetch ``page`` ``times`` times, one after another, before loading it.

    Sets the status, ``X-Queries``, the gzipped size in KiB, the median wall time of one
    request alone (ms) and the median time the page's footer says the server spent
    (``Processed in X second(s)``, ms; ``None`` when the page has no such footer).
    """
    walls, servers = [], []
    for _ in range(times):
        request = urllib.request.Request(page.base + page.path, headers=_load.HEADERS)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                page.status, body = response.status, response.read()
                headers = response.headers
        except urllib.error.HTTPError as exc:
            page.status, body, headers = exc.code, b"", exc.headers
        walls.append(time.perf_counter() - started)
        page.queries, page.kib = headers.get("X-Queries", "?"), len(body) / 1024
        if page.status != 200:
            return
        text = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        found = re.search(rb"Processed in ([0-9.]+) second", text)
        if found:
            servers.append(float(found.group(1)))
    page.alone_ms = statistics.median(walls) * 1e3
    page.server_ms = statistics.median(servers) * 1e3 if servers else None


def _table(pages: list[Page], tool: str, args: argparse.Namespace) -> None:
    print(
        f"\nload: {tool}, {args.load_threads} threads, {args.connections} connections, "
        f"{args.seconds:g} s per page in {args.rounds} round(s) after {args.warmup:g} s "
        f"warm-up; gunicorn "
        f"{args.workers} workers; Accept-Encoding: gzip; {os.cpu_count()} CPUs shared"
    )
    head = f"{'page':<41} {'URL':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'KiB':>6} {'alone ms':>8} {'server ms':>9} {'CPU ms':>6} {'quiet req/s':>11} {'others':>6} {'req/s range':>11}"  # fmt: skip
    print(head)
    print("-" * len(head))
    for p in pages:
        r = p.result
        figures = (
            f"{r.rps:>8.1f} {r.p50_ms:>8.2f} {r.p95_ms:>8.2f}"
            if r
            else f"{'HTTP ' + str(p.status):>26}"
        )
        rates = [run.rps for run in p.rounds]
        spread = f"{min(rates):.0f}–{max(rates):.0f}" if rates else "-"
        server = f"{p.server_ms:>9.1f}" if p.server_ms is not None else f"{'-':>9}"
        print(f"{p.label:<41} {p.path:<22} {figures} {p.queries:>7} {p.kib:>6.1f} {p.alone_ms:>8.1f} {server} {p.cpu_ms:>6.1f} {p.quiet_rps:>11.0f} {p.others_cpu:>6.2f} {spread:>11}")  # fmt: skip
        if r and (r.errors or r.bad_status):
            print(f"    ! {r.errors} socket errors/timeouts, {r.bad_status} non-2xx/3xx answers")


def _pair_ratios(first: Page, last: Page) -> tuple[float, float]:
    """Median over rounds of (page-1 req/s ÷ last-page req/s, last p50 ÷ page-1 p50).

    The two pages run back to back in every round, so each round's ratio is measured
    under the same machine conditions; the median drops a round disturbed by others.
    """
    pairs = [(f, la) for f, la in zip(first.rounds, last.rounds, strict=True) if la.rps and f.p50_ms]  # fmt: skip
    rps = statistics.median(f.rps / la.rps for f, la in pairs)
    p50 = statistics.median(la.p50_ms / f.p50_ms for f, la in pairs)
    return rps, p50


def _find(pages: list[Page], key: str, side: str) -> Page | None:
    return next((p for p in pages if p.key == key and p.side == side), None)


def _ratios(pages: list[Page]) -> None:
    busiest = max(p.others_cpu for p in pages)
    if busiest > 0.25:
        print(
            f"! other processes took {busiest:.2f} CPUs (mean) during one page's load: figures"
            " are lower and noisier than on a quiet machine (compare ratios, or rerun)"
        )
    print()
    for side in dict.fromkeys(p.side for p in pages):
        tag = f" [{side}]" if side else ""
        first, last = _find(pages, "long-first", side), _find(pages, "long-last", side)
        thread = _find(pages, "thread", side)
        if first and last and first.rounds and last.rounds:
            slow_rps, slow_p50 = _pair_ratios(first, last)
            verdict = "within" if max(slow_rps, slow_p50) <= LAST_PAGE_TARGET_RATIO else "ABOVE"
            print(
                f"long thread{tag}, last page vs page 1 (median of {len(first.rounds)} paired "
                f"rounds): req/s page1/last = {slow_rps:.2f}, p50 latency last/page1 = "
                f"{slow_p50:.2f} ({verdict} the ≤ {LAST_PAGE_TARGET_RATIO} target: no OFFSET scan)"
            )
            cpu = last.cpu_ms / first.cpu_ms if first.cpu_ms else 0.0
            print(f"  server CPU per request, last/page1 = {cpu:.2f} (least disturbed by others)")
        if thread and thread.result:
            small = thread.result
            print(
                f"thread page{tag} ({thread.path}): {small.rps:.1f} req/s = "
                f"{small.rps / THREAD_PAGE_TARGET_RPS:.2f} × the {THREAD_PAGE_TARGET_RPS:.0f} "
                f"req/s target (5 × 37 req/s of an existing Django forum engine, 15-floor page)"
            )
            quiet = thread.quiet_rps
            print(
                f"  quiet-machine estimate: {quiet:.0f} req/s = "
                f"{quiet / THREAD_PAGE_TARGET_RPS:.2f} × the target (CPUs ÷ CPU time per request)"
            )
        for key, label in (("api-thread", "API thread"), ("mobile-thread", "mobile viewthread")):
            _beside(thread, _find(pages, key, side), label, tag)


def _beside(thread, api, label: str, tag: str) -> None:
    """Print ``api``'s req/s beside the HTML thread page's, with their paired ratio."""
    if thread and api and thread.rounds and api.rounds:
        paired = [a.rps / h.rps for h, a in zip(thread.rounds, api.rounds, strict=True) if h.rps]  # fmt: skip
        print(
            f"{label}{tag} ({api.path}): {api.result.rps:.1f} req/s beside the HTML "
            f"thread page's {thread.result.rps:.1f} req/s (API/HTML, median of "
            f"{len(paired)} paired rounds: {statistics.median(paired):.2f}; CPU ms/request "
            f"{api.cpu_ms:.1f} vs {thread.cpu_ms:.1f})"
        )


def _compare(pages: list[Page]) -> None:
    """With ``--baseline``: each page's after/before figures, measured in the same rounds."""
    print("\nbefore (--baseline) vs after (this checkout), same data, same rounds:")
    for after in (p for p in pages if p.side == "after"):
        before = _find(pages, after.key, "before")
        if not before or not before.rounds or not after.rounds:
            continue
        paired = [a.rps / b.rps for b, a in zip(before.rounds, after.rounds, strict=True) if b.rps]
        ratio = statistics.median(paired) if paired else 0.0
        cpu = after.cpu_ms / before.cpu_ms if before.cpu_ms else 0.0
        print(
            f"  {after.label.rsplit(' [', 1)[0]:<32} req/s {before.result.rps:7.1f} → "
            f"{after.result.rps:7.1f} (after/before, median of paired rounds {ratio:.2f});"
            f" CPU ms/request {before.cpu_ms:5.1f} → {after.cpu_ms:5.1f} ({cpu:.2f})"
        )


def _load_pages(pages: list[Page], args: argparse.Namespace, python: bool) -> None:
    """Warm each page up, then load the pages in turn, ``args.rounds`` times round-robin.

    Round-robin spreads any drift of the machine (other processes, the view-count flush)
    over all pages alike; odd rounds go in reverse order (A B … B A) so neighbours share
    conditions. Each page gets ``args.seconds`` in all; ``others_cpu`` is the round mean.
    """
    options = {"python": python, "threads": args.load_threads, "connections": args.connections}
    cpus: dict[int, list[float]] = {id(p): [] for p in pages}
    for page in pages:
        if args.warmup:
            _load.run(page.base + page.path, args.warmup, **options)
    for number in range(args.rounds):
        for page in pages if number % 2 == 0 else pages[::-1]:
            with OtherCpu(page.server_pid) as cpu:
                run = _load.run(page.base + page.path, args.seconds / args.rounds, **options)
            page.rounds.append(run)
            cpus[id(page)].append(cpu.cpus)
            page.server_cpu_s += cpu.server_seconds
            page.client_cpu_s += cpu.client_seconds
            tag = f" [{page.side}]" if page.side else ""
            print(f"round {number + 1}: {page.path}{tag} {run.rps:.1f} req/s", flush=True)
    for page in pages:
        page.result = _load.combine(page.rounds)
        page.others_cpu = statistics.fmean(cpus[id(page)])


def _commit(repo: Path) -> str:
    """``git describe``-like short commit of checkout ``repo`` (``?`` if not a git tree)."""
    found = subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip()[:60] or "?"


def main(argv: list[str]) -> None:
    """Generate, serve, load and report; see the module docstring."""
    args = _parse(argv)
    use_python = args.python_load or not _load.have_wrk()
    if use_python and not args.python_load:
        print("note: wrk is not installed (apt-get install wrk); using the Python client")
    home = Path(tempfile.mkdtemp(prefix="luntan-bench-"))
    env = _environment(home)
    if "DATABASE_URL" in env:
        print(f"note: using DATABASE_URL (must be an empty, throwaway database); files in {home}")
    servers: dict[str, Server] = {}
    broken = False
    try:
        started = time.perf_counter()
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        print(f"migrate: {time.perf_counter() - started:.1f} s", flush=True)
        site = _generate(env, home, args)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        if args.baseline:
            baseline = args.baseline.resolve()
            servers["before"] = Server(
                env, workers=args.workers, log=home / "gunicorn-before.log", repo=baseline
            )
            servers["after"] = Server(env, workers=args.workers, log=home / "gunicorn.log")
            print(f"before: {baseline} ({_commit(baseline)}); after: {REPO} ({_commit(REPO)})")
        else:
            servers[""] = Server(env, workers=args.workers, log=home / "gunicorn.log")
        for server in servers.values():
            server.wait_ready()
        pages = _select(_pages(site), args, servers)
        for page in pages:
            _probe(page)
            if page.status != 200:
                broken = True
                print(f"! {page.path} answered HTTP {page.status}; not loaded", flush=True)
        _load_pages([p for p in pages if p.status == 200], args, use_python)
        broken |= any(p.result and (p.result.errors or p.result.bad_status) for p in pages)
        _table(pages, "python client" if use_python else "wrk", args)
        _ratios(pages)
        if args.baseline:
            _compare(pages)
    finally:
        for server in servers.values():
            server.stop()
        if args.keep:
            print(f"kept {home} (LUNTAN_HOME; gunicorn.log inside)")
        else:
            shutil.rmtree(home, ignore_errors=True)
    if broken:
        sys.exit("bench_pages: some pages failed (see above)")
