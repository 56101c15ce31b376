"""Scale and ceiling: each page at two site sizes, beside a bare Django view, in one run.

``python -m bench --only scale [--quick] [--large-threads N] [--large-users N]
[--large-posts N] [--seconds S] [--rounds N] [--keep]``

1. Generates two sites with :mod:`bench.datagen` (SQLite, each in a throwaway
   ``LUNTAN_HOME``): **small** (2,000 threads, 200 members, ~10,000 posts) and **large**
   (300,000 threads, 1,000,000 members, ~1,000,000 posts: a Discuz!-sized site), both with
   a tenth of their threads active today and yesterday, 3 global stickies and a 20-floor
   thread, then builds their search indexes (``luntan rebuild_search_index``).
2. Serves both with gunicorn ``luntan.wsgi`` (2 workers each, as ``make run``) and the
   ceiling, a bare Django view returning a 48 KB page (:mod:`bench._bare`, gunicorn, 2
   workers, no middleware).
3. Loads, in every round, for each page: the bare view, the page on the small site, the
   page on the large site (the reverse order in odd rounds), each ``--seconds ÷ --rounds``
   with wrk (2 threads, 8 connections). Pages: board index, board page 1 and page 10
   (guests: served from the guest page cache), board index and board page 1 for a
   logged-in member (uncached), thread page (guest, and a logged-in member), search, a
   member's profile.
4. Prints for each page requests/s and CPU ms per request at both sizes, the large/small
   ratios (target ≤ 1.2: no page's cost grows with the site) and the ratio to the bare
   view (requests/s, and CPU per request; targets: member thread page ≥ 5 %, board
   index and board list ≥ 10 %, guest thread page ≥ 50 %), each with PASS/FAIL, then
   one line per issue-15 target (``TARGET n …: PASS|FAIL``) and the load average
   before and after the load phase.

Ratios are medians over the paired rounds, so other processes on a shared machine hit
both sides of each ratio alike; "CPU ms" (gunicorn user + system time per request) is
the steadiest figure. Nothing fails on a threshold; the exit status is 1 only when a page
does not answer 200.
"""

from __future__ import annotations

import argparse
import gzip
import json
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

from bench import _load
from bench._cpu import OtherCpu
from bench._server import REPO, Server, manage

SCALE_TARGET = 1.2
#: Share of the bare view's requests/s each page should reach (issue 15).
BARE_TARGETS = {
    "index": 0.10,
    "board1": 0.10,
    "boardN": 0.10,
    "index-member": 0.10,
    "board1-member": 0.10,
    "thread-member": 0.05,
    "thread-guest": 0.50,
}
#: Which issue-15 target each page's bare-view ratio answers (2: uncached, 3: cached).
TARGET_OF = {"thread-guest": 3}
BOARD_PAGE_N = 10


@dataclass(frozen=True)
class Size:
    """One site size: ordinary threads, members and (about) posts."""

    name: str
    threads: int
    users: int
    posts: int


SMALL = Size("small", 2_000, 200, 10_000)
LARGE = Size("large", 300_000, 1_000_000, 1_000_000)
QUICK_SMALL = Size("small", 300, 100, 1_500)
QUICK_LARGE = Size("large", 3_000, 20_000, 15_000)


@dataclass
class Side:
    """One server (a site size, or the bare view) and its figures for one page."""

    rounds: list[_load.LoadResult] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    others: list[float] = field(default_factory=list)
    queries: str = "?"
    kib: float = 0.0
    status: int = 0

    def cpu_ms(self, i: int | None = None) -> float:
        """gunicorn CPU ms per request, of round ``i`` or of all rounds."""
        if i is not None:
            n = self.rounds[i].requests
            return self.cpu_s[i] * 1e3 / n if n else 0.0
        n = sum(r.requests for r in self.rounds)
        return sum(self.cpu_s) * 1e3 / n if n else 0.0

    @property
    def rps(self) -> float:
        return _load.combine(self.rounds).rps if self.rounds else 0.0


@dataclass
class Page:
    key: str
    label: str
    paths: dict[str, str]  # size name -> path
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # size -> headers
    sides: dict[str, Side] = field(default_factory=dict)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench --only scale")
    parser.add_argument("--quick", action="store_true", help="tiny sites (a smoke run)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument(
        "--reuse",
        nargs=2,
        metavar=("SMALL_HOME", "LARGE_HOME"),
        help="load the sites a --keep run left in these folders instead of generating",
    )
    parser.add_argument("--seconds", type=float, help="load per page and side (default 6)")
    parser.add_argument("--rounds", type=int, help="paired rounds (default 3)")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up per page and side")
    parser.add_argument("--large-threads", type=int, help="threads of the large site")
    parser.add_argument("--large-users", type=int, help="members of the large site")
    parser.add_argument("--large-posts", type=int, help="posts of the large site (about)")
    parser.add_argument("--small-threads", type=int, help="threads of the small site")
    parser.add_argument("--small-users", type=int, help="members of the small site")
    parser.add_argument("--small-posts", type=int, help="posts of the small site (about)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--index-budget", type=float, default=600.0, help="seconds for each search index build"
    )
    parser.add_argument("--python-load", action="store_true", help="use the Python client")
    args, _unknown = parser.parse_known_args(argv)
    args.seconds = args.seconds or (2.0 if args.quick else 6.0)
    args.rounds = max(1, args.rounds or (1 if args.quick else 3))
    small, large = (QUICK_SMALL, QUICK_LARGE) if args.quick else (SMALL, LARGE)
    args.small = Size(
        "small",
        args.small_threads or small.threads,
        args.small_users or small.users,
        args.small_posts or small.posts,
    )
    args.large = Size(
        "large",
        args.large_threads or large.threads,
        args.large_users or large.users,
        args.large_posts or large.posts,
    )
    return args


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # two sites at once: each its own SQLite file
    env.update(
        LUNTAN_HOME=str(home),
        DJANGO_SETTINGS_MODULE="luntan.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        LUNTAN_SEARCH_INTERVAL="0",  # the load repeats one search from one address
        LUNTAN_DEBUG_HEADERS="1",  # the queries column (X-Queries)
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    return env


_MEMBER_SNIPPET = """
import json, django
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from luntan.accounts.models import User
top = User.objects.filter(is_active=True).order_by("-posts", "pk").first()
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(top.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = top.get_session_auth_hash()
store.create()
print(json.dumps({"member_id": top.pk, "session": store.session_key,
                  "cookie": settings.SESSION_COOKIE_NAME}))
"""


def _build(size: Size, home: Path, env: dict[str, str], budget: float) -> dict:
    """Generate one site, index it for search (``budget`` seconds at most: a partial index
    past that), make a member session; return its facts."""
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    mean_posts = max(1.0, size.posts / max(size.threads, 1))
    cmd = [sys.executable, "-m", "bench.datagen", "--json", str(home / "site.json")]
    cmd += ["--threads", str(size.threads), "--users", str(size.users)]
    cmd += ["--mean-posts", f"{mean_posts:.3f}", "--big-floors", "40", "--templates", "200"]
    cmd += ["--recent-share", "0.1", "--global-stickies", "3", "--no-check"]
    subprocess.run(cmd, env=env, cwd=REPO, check=True)
    site = json.loads((home / "site.json").read_text())
    generated = time.perf_counter() - started
    started = time.perf_counter()
    try:
        subprocess.run(
            [sys.executable, "-m", "luntan.manage", "rebuild_search_index"],
            env=env,
            cwd=REPO,
            check=True,
            timeout=budget,
            stdout=subprocess.DEVNULL,
        )
        site["search_index"] = "complete"
    except subprocess.TimeoutExpired:
        site["search_index"] = f"partial (stopped after the {budget:.0f} s budget)"
        print(f"! {size.name}: search index build stopped after {budget:.0f} s", flush=True)
    indexed = time.perf_counter() - started
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    out = subprocess.run(
        [sys.executable, "-c", _MEMBER_SNIPPET], env=env, cwd=REPO, check=True, capture_output=True
    ).stdout
    site.update(json.loads(out.decode().strip().splitlines()[-1]))
    (home / "scale.json").write_text(json.dumps(site))
    print(
        f"{size.name}: {site['threads']:,} threads, {site['posts']:,} posts, "
        f"{site['users']:,} members; generated in {generated:.0f} s, search index built in "
        f"{indexed:.0f} s ({site['search_index']}); database {site.get('db_bytes', 0) / 2**20:,.0f} MiB",
        flush=True,
    )
    return site


def _pages(sites: dict[str, dict]) -> list[Page]:
    def paths(fmt) -> dict[str, str]:
        return {name: fmt(site) for name, site in sites.items()}

    def cookie(site) -> dict[str, str]:
        return {"Cookie": f"{site['cookie']}={site['session']}"}

    member = {name: cookie(site) for name, site in sites.items()}
    return [
        Page("index", "board index", paths(lambda s: "/")),
        Page("index-member", "board index, member", paths(lambda s: "/"), headers=member),
        Page(
            "board1-member",
            "board page 1, member",
            paths(lambda s: f"/f/{s['big_board_id']}/"),
            headers=member,
        ),
        Page("board1", "board page 1", paths(lambda s: f"/f/{s['big_board_id']}/")),
        Page(
            "boardN",
            f"board page {BOARD_PAGE_N}",
            paths(lambda s: f"/f/{s['big_board_id']}/?page={BOARD_PAGE_N}"),
        ),
        Page("thread-guest", "thread page, guest", paths(lambda s: f"/t/{s['small_thread_id']}/")),
        Page(
            "thread-member",
            "thread page, member",
            paths(lambda s: f"/t/{s['small_thread_id']}/"),
            headers=member,
        ),
        Page("search", "search (one word)", paths(lambda s: "/search/?q=%E6%96%B0%E9%97%BB")),
        Page("profile", "member profile", paths(lambda s: f"/u/{s['member_id']}/")),
    ]


def _probe(url: str, headers: dict[str, str], side: Side) -> None:
    """Three requests: status, the fewest ``X-Queries`` (a request that flushes buffered
    view counts or fills a cache costs more) and the gzipped size (KiB)."""
    counts = []
    for _ in range(3):
        request = urllib.request.Request(url, headers={**_load.HEADERS, **headers})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                side.status, body, got = response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            side.status, body, got = exc.code, b"", exc.headers
        if got.get("X-Queries", "").isdigit():
            counts.append(int(got["X-Queries"]))
    side.queries, side.kib = (str(min(counts)) if counts else "-"), len(body) / 1024
    if side.status == 200 and headers and got.get("Content-Encoding") == "gzip":
        text = gzip.decompress(body).decode(errors="replace")
        if not re.search(r"退出|logout", text):
            print(f"! {url}: the member session did not log in", flush=True)


def _measure(server: Server, url: str, headers: dict, side: Side, seconds: float, args) -> None:
    with OtherCpu(server.proc.pid) as cpu:
        run = _load.run(
            url,
            seconds,
            python=args.python_load or not _load.have_wrk(),
            threads=2,
            connections=8,
            headers=headers,
        )
    side.rounds.append(run)
    side.cpu_s.append(cpu.server_seconds)
    side.others.append(cpu.cpus)


def _load_all(servers: dict[str, Server], pages: list[Page], args) -> None:
    per = args.seconds / args.rounds
    for page in pages:
        page.sides = {name: Side() for name in servers}
        for name, server in servers.items():
            path = page.paths.get(name, "/")
            _probe(server.url + path, page.headers.get(name, {}), page.sides[name])
    good = [p for p in pages if all(s.status == 200 for s in p.sides.values())]
    for page in good:
        for name, server in servers.items():
            if args.warmup:
                url = server.url + page.paths.get(name, "/")
                _load.run(url, args.warmup, headers=page.headers.get(name, {}))
    order = list(servers)
    for number in range(args.rounds):
        for page in good:
            for name in order if number % 2 == 0 else order[::-1]:
                url = servers[name].url + page.paths.get(name, "/")
                _measure(servers[name], url, page.headers.get(name, {}), page.sides[name], per, args)  # fmt: skip
            print(
                f"round {number + 1}: {page.label}: "
                + ", ".join(f"{n} {page.sides[n].rounds[-1].rps:.0f} req/s" for n in order),
                flush=True,
            )


def _uptime() -> str:
    """``uptime``'s load averages (other agents share this machine's CPUs)."""
    try:
        one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        return "unknown"
    return f"load average {one}, {five}, {fifteen} on {os.cpu_count()} CPUs"


def _median_ratio(a: Side, b: Side, fn) -> float:
    values = [fn(a, b, i) for i in range(min(len(a.rounds), len(b.rounds)))]
    values = [v for v in values if v]
    return statistics.median(values) if values else 0.0


def _rps_ratio(a: Side, b: Side, i: int) -> float:
    return a.rounds[i].rps / b.rounds[i].rps if b.rounds[i].rps else 0.0


def _cpu_ratio(a: Side, b: Side, i: int) -> float:
    return a.cpu_ms(i) / b.cpu_ms(i) if b.cpu_ms(i) else 0.0


def _report(pages: list[Page], args, sizes: tuple[Size, Size]) -> bool:
    small, large = sizes
    print(
        f"\nsizes: small {small.threads:,} threads / {small.users:,} members / ~{small.posts:,} "
        f"posts; large {large.threads:,} / {large.users:,} / ~{large.posts:,}. Load: "
        f"{'python client' if args.python_load or not _load.have_wrk() else 'wrk'}, 2 threads, "
        f"8 connections, {args.seconds:g} s per page and side in {args.rounds} paired round(s); "
        f"gunicorn {args.workers} workers per server; SQLite; {os.cpu_count()} CPUs shared"
    )
    head = f"{'page':<22} {'queries s/l':>11} {'KiB':>5} {'req/s small':>11} {'req/s large':>11} {'req/s bare':>10} {'CPU ms s':>8} {'CPU ms l':>8} {'CPU bare':>8} {'others':>6}"  # fmt: skip
    print(head)
    print("-" * len(head))
    broken = False
    for p in pages:
        s, la, bare = p.sides["small"], p.sides["large"], p.sides["bare"]
        if not (s.rounds and la.rounds and bare.rounds):
            broken = True
            print(f"{p.label:<22} HTTP small {s.status} / large {la.status} / bare {bare.status}")
            continue
        others = statistics.fmean(s.others + la.others + bare.others)
        print(f"{p.label:<22} {s.queries + '/' + la.queries:>11} {la.kib:>5.1f} {s.rps:>11.1f} {la.rps:>11.1f} {bare.rps:>10.1f} {s.cpu_ms():>8.2f} {la.cpu_ms():>8.2f} {bare.cpu_ms():>8.2f} {others:>6.2f}")  # fmt: skip
    summary: list[str] = []
    print(f"\n1. cost at the large size ÷ cost at the small size (target ≤ {SCALE_TARGET}; median of paired rounds)")  # fmt: skip
    worst = ("", 0.0)
    for p in pages:
        s, la = p.sides["small"], p.sides["large"]
        if not (s.rounds and la.rounds):
            continue
        cpu = _median_ratio(la, s, _cpu_ratio)
        rps = _median_ratio(s, la, _rps_ratio)
        verdict = "PASS" if cpu <= SCALE_TARGET else "FAIL"
        worst = max(worst, (p.label, cpu), key=lambda w: w[1])
        print(f"   {p.label:<22} CPU/request {cpu:5.2f}   req/s small÷large {rps:5.2f}   target ≤ {SCALE_TARGET}: {verdict}")  # fmt: skip
    summary.append(
        f"TARGET 1 no page grows with the site: worst large÷small CPU/request {worst[1]:.2f} "
        f"({worst[0]}), target ≤ {SCALE_TARGET}: {'PASS' if worst[1] <= SCALE_TARGET else 'FAIL'}"
    )
    print("\n2. page ÷ bare Django view (48 KB, same gunicorn; large site; median of paired rounds)")  # fmt: skip
    for p in pages:
        la, bare = p.sides["large"], p.sides["bare"]
        if not (la.rounds and bare.rounds):
            continue
        rps = _median_ratio(la, bare, _rps_ratio)
        cpu = _median_ratio(bare, la, _cpu_ratio)
        target = BARE_TARGETS.get(p.key)
        if target:
            verdict = "PASS" if rps >= target else f"FAIL ({rps / target:.0%} of the target)"
            goal = f"target ≥ {target:.0%}: {verdict}"
            cached = " (guest: from the page cache)" if "member" not in p.key else " (uncached)"
            summary.append(
                f"TARGET {TARGET_OF.get(p.key, 2)} {p.label}{cached}: {rps:.1%} of the bare "
                f"view's req/s, {goal}"
            )
        else:
            goal = "no target"
        print(f"   {p.label:<22} req/s {rps:6.1%}   CPU/request bare÷page {cpu:6.1%}   {goal}")  # fmt: skip
    print("\nissue 15 targets (this run; target 4, search, is printed by bench_search):")
    for line in summary:
        print("   " + line)
    busiest = max((statistics.fmean(sd.others) for p in pages for sd in p.sides.values() if sd.others), default=0.0)  # fmt: skip
    if busiest > 0.25:
        print(
            f"! other processes took up to {busiest:.2f} CPUs (mean over a page's loads): "
            "absolute figures are low and noisy; the ratios pair rounds and hold better"
        )
    return broken


def main(argv: list[str]) -> None:
    """Generate both sites, serve them and the bare view, load, report (module docstring)."""
    args = _parse(argv)
    if not _load.have_wrk() and not args.python_load:
        print("note: wrk is not installed (apt-get install wrk); using the Python client")
    if args.reuse:
        homes = dict(zip(("small", "large"), map(Path, args.reuse), strict=True))
        args.keep = True
    else:
        homes = {
            name: Path(tempfile.mkdtemp(prefix=f"luntan-scale-{name}-"))
            for name in ("small", "large")
        }
    servers: dict[str, Server] = {}
    broken = False
    try:
        sites = {}
        for size in (args.small, args.large):
            env = _environment(homes[size.name])
            kept = homes[size.name] / "scale.json"
            if args.reuse and kept.exists():
                manage(env, "migrate", "--noinput", "--verbosity", "0")
                sites[size.name] = json.loads(kept.read_text())
                print(f"{size.name}: reusing the site in {homes[size.name]}", flush=True)
            else:
                sites[size.name] = _build(size, homes[size.name], env, args.index_budget)
        bare_env = _environment(homes["small"])
        bare_env.pop("DJANGO_SETTINGS_MODULE", None)
        servers["bare"] = Server(bare_env, workers=args.workers, app="bench._bare:application")
        for name in ("small", "large"):
            env = _environment(homes[name])
            servers[name] = Server(env, workers=args.workers, log=homes[name] / "gunicorn.log")
        for server in servers.values():
            server.wait_ready()
        pages = _pages(sites)
        for p in pages:
            p.paths["bare"] = "/"
        print(f"load before: {_uptime()}", flush=True)
        _load_all(servers, pages, args)
        print(f"load after: {_uptime()}", flush=True)
        broken = _report(pages, args, (args.small, args.large))
    finally:
        for server in servers.values():
            server.stop()
        for home in homes.values():
            if args.keep:
                print(f"kept {home}")
            else:
                shutil.rmtree(home, ignore_errors=True)
    if broken:
        sys.exit("bench_scale: some pages failed (see above)")
