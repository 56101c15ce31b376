"""``make cluster-test``: a cluster of its own (tools/cluster/cluster.sh) under a mixed
load, broken on purpose, then checked; prints the figures. Not in CI (minutes long).

During ``--seconds`` (default 90) of load by locust (90% guest readers, 10% members
replying through the API, a third of the replies with an image): app server 1 is
SIGKILLed (master and workers) and restarted, the task worker is SIGKILLed in the
middle of its work and restarted, and Redis is shut down for 10 s. Afterwards:

- no request failed except those in flight on the killed app server (a GET is retried on
  the other by nginx; a POST is not) and writes refused while Redis was down;
- floors are dense, ``rebuild_counters --check`` finds nothing to fix;
- thread views equal the page views made (each with its own User-Agent);
- the task queue drained: nothing failed, nothing left started or queued;
- every uploaded file is in S3 and downloads the same from either app server;
- readers were served while Redis was down.

Then the guest thread page is measured through nginx with one and two app servers and
compared with a bare Django view (bench/_bare.py) served by gunicorn the same way.
Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CLUSTER = ROOT / "tools" / "cluster" / "cluster.sh"
DIR = ROOT / "var" / "cluster-test"
PORT, APP_PORTS, REDIS_PORT, S3_PORT = 8090, (18111, 18112), 16389, 18343
DB = "postgres://postgres@127.0.0.1:5432/luntan_cluster_test"
ENV = {
    **os.environ,
    "CLUSTER_DIR": str(DIR),
    "CLUSTER_PORT": str(PORT),
    "CLUSTER_APP_PORTS": " ".join(map(str, APP_PORTS)),
    "CLUSTER_REDIS_PORT": str(REDIS_PORT),
    "CLUSTER_S3_PORT": str(S3_PORT),
    "CLUSTER_WEED_BASE": "18450",
    "CLUSTER_DATABASE_URL": DB,
    "CLUSTER_VIEW_DEDUP_SECONDS": "0",
    "CLUSTER_VIEW_FLUSH_SECONDS": "2",
    # The load's members reply through the API from their first post on (no captcha).
    "CLUSTER_CAPTCHA_FIRST_POSTS": "0",
}


def sh(*args: str, check: bool = True, env=None) -> str:
    done = subprocess.run(args, env=env or ENV, capture_output=True, text=True, cwd=ROOT)
    if check and done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def cluster_env() -> dict[str, str]:
    env = dict(os.environ)
    for line in (DIR / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def django(code: str) -> str:
    """Run ``code`` in ``luntan shell`` with the cluster's settings; return the last line
    it printed (the JSON the snippets end with)."""
    out = sh(str(BIN / "luntan"), "shell", "-c", code, env=cluster_env())
    return (out.strip().splitlines() or [""])[-1]


def pid(name: str) -> int:
    return int((DIR / "run" / f"{name}.pid").read_text())


def children(p: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    except FileNotFoundError:
        return []


def sigkill_tree(p: int) -> None:
    """SIGKILL ``p`` and its children (gunicorn workers, RQ's work horse), as a crash."""
    for c in children(p):
        for g in children(c):
            os.kill(g, signal.SIGKILL)
        os.kill(c, signal.SIGKILL)
    os.kill(p, signal.SIGKILL)


def drop_database() -> None:
    import psycopg

    with psycopg.connect(DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "luntan_cluster_test" WITH (FORCE)')


SETUP = """
import json
from django.contrib.auth import get_user_model
from luntan.accounts.tokens import create_token
from luntan.core.models import SiteSettings
from luntan.threads.models import Thread
from luntan.threads import view_counts
SiteSettings.objects.update(flood_seconds=0)
User = get_user_model()
tokens = []
for i in range({members}):
    u, _ = User.objects.get_or_create(username=f"load{{i}}", defaults={{"email": f"load{{i}}@example.com"}})
    User.objects.filter(pk=u.pk).update(group_id=11)
    u.refresh_from_db()
    tokens.append(create_token(u, name="load", scopes=["read", "write"])[1])
view_counts.flush()
threads = list(Thread.objects.filter(state=0, read_level=0, closed=False).order_by("pk").values_list("pk", "views")[:{threads}])
print(json.dumps({{"tokens": tokens, "threads": [t for t, _ in threads], "views": dict(threads)}}))
"""

CHECKS = """
import json
from django.db.models import Count, Max
from luntan.threads.models import Post, Thread
from luntan.threads import view_counts
view_counts.flush()
gaps = []
for t in Thread.objects.all():
    floors = sorted(Post.objects.filter(thread=t).values_list("floor", flat=True))
    if floors != list(range(1, len(floors) + 1)):
        gaps.append(t.pk)
views = dict(Thread.objects.filter(pk__in={threads}).values_list("pk", "views"))
import django_rq
from django_tasks_rq.backend import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry
q = django_rq.get_queue("default", job_class=Job)
print(json.dumps({{"gaps": gaps, "views": views, "posts": Post.objects.count(),
  "queued": q.count, "started": StartedJobRegistry(queue=q).count,
  "failed": FailedJobRegistry(queue=q).count, "finished": FinishedJobRegistry(queue=q).count}}))
"""


def load(seconds: int, users: int, plan_path: Path, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "LUNTAN_LOAD_PLAN": str(plan_path), "LUNTAN_LOAD_LOG": str(log_path)}
    return subprocess.Popen(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "cluster_locust.py"), "--headless",
         "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host",
         f"http://127.0.0.1:{PORT}", "--only-summary", "--loglevel", "WARNING"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def wait_drained(limit: float) -> dict:
    """Wait (up to ``limit`` s) until no job is queued or started; abandoned jobs are
    recovered the way a worker's maintenance does, once their heartbeat expired."""
    deadline = time.monotonic() + limit
    while True:
        state = json.loads(django(CHECKS.format(threads="[]")))
        if (state["queued"] == 0 and state["started"] == 0) or time.monotonic() > deadline:
            return state
        django("from luntan.core.taskqueue import recover_abandoned_jobs; recover_abandoned_jobs()")
        time.sleep(5)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:  # noqa: S310 - loopback
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def measure(url: str, seconds: float) -> float:
    sys.path.insert(0, str(ROOT))
    from bench import _load

    return _load.run(url, seconds, connections=8).rps


def bare_rps(seconds: float) -> float:
    port = 18199
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "bench._bare:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"], cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            if fetch(f"http://127.0.0.1:{port}/")[0] == 200:
                break
            time.sleep(0.1)
        return measure(f"http://127.0.0.1:{port}/", seconds)
    finally:
        proc.terminate()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--bench-seconds", type=float, default=10)
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    args = parser.parse_args()
    sh(str(CLUSTER), "stop")
    drop_database()
    print("starting the cluster (PostgreSQL db, Redis, SeaweedFS, 2 app servers, nginx, worker)…")
    t0 = time.monotonic()
    try:
        print(sh(str(CLUSTER), "start").strip().splitlines()[-3])
    except SystemExit:
        sh(str(CLUSTER), "stop", check=False)  # end what did start
        raise
    print(f"  up in {time.monotonic() - t0:.0f} s")
    problems: list[str] = []
    try:
        plan = json.loads(django(SETUP.format(members=max(2, args.users // 10), threads=8)))
        plan_path, log_path = DIR / "plan.json", DIR / "load.jsonl"
        plan_path.write_text(json.dumps(plan))
        log_path.write_text("")
        s = args.seconds
        events: dict[str, float] = {}
        print(f"load: {args.users} locust users for {s} s (90% readers, 10% repliers)")
        runner = load(s, args.users, plan_path, log_path)
        start = time.time()

        def at(fraction: float) -> None:
            time.sleep(max(0.0, start + s * fraction - time.time()))

        at(0.2)
        events["app1_killed"] = time.time()
        sigkill_tree(pid("app1"))
        print("  SIGKILLed app server 1")
        at(0.3)
        sh(str(CLUSTER), "start-app", "app1", str(APP_PORTS[0]))
        events["app1_back"] = time.time()
        print("  app server 1 restarted")
        at(0.4)
        for worker in children(pid("worker1")):  # the worker under its restart loop
            sigkill_tree(worker)
        events["worker_killed"] = time.time()
        print("  SIGKILLed the task worker (its supervisor starts a new one, as systemd does)")
        at(0.55)
        events["redis_down"] = time.time()
        sh("redis-cli", "-p", str(REDIS_PORT), "shutdown", check=False)
        print("  Redis shut down for 10 s")
        time.sleep(10)
        subprocess.run(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--save", "",
             "--appendonly", "yes", "--dir", str(DIR), "--appendfilename", "redis.aof",
             "--daemonize", "yes", "--pidfile", str(DIR / "run" / "redis.pid"),
             "--logfile", str(DIR / "log" / "redis.log")], check=True,
        )  # fmt: skip
        events["redis_up"] = time.time()
        print("  Redis started again")
        out, _ = runner.communicate(timeout=s + 120)
        print(
            "\n".join(
                line
                for line in out.splitlines()
                if "Aggregated" in line or "POST" in line or "GET" in line
            )[-2000:]
        )

        rows = [json.loads(line) for line in log_path.read_text().splitlines() if line]
        ok = {"read": (200,), "reply": (200, 201, 202), "upload": (201,)}
        bad = [r for r in rows if r["status"] not in ok[r["kind"]]]
        kill, back = events["app1_killed"], events["app1_back"]
        in_flight = [
            r
            for r in bad
            if r["started"] <= kill + 1 and r["ended"] >= kill and r["kind"] != "read"
        ]
        redis_window = [
            r
            for r in bad
            if events["redis_down"] - 1 <= r["ended"] <= events["redis_up"] + 3
            and r["kind"] != "read"
        ]
        other = [r for r in bad if r not in in_flight and r not in redis_window]
        reads = [r for r in rows if r["kind"] == "read"]
        reads_in_outage = [
            r for r in reads if events["redis_down"] <= r["started"] <= events["redis_up"]
        ]
        print(
            f"requests: {len(rows)} ({len(reads)} reads, {sum(r['kind'] == 'reply' for r in rows)} replies,"
            f" {sum(r['kind'] == 'upload' for r in rows)} uploads); failed: {len(bad)} = {len(in_flight)}"
            f" in flight on the killed app server + {len(redis_window)} writes refused while Redis was down"
            f" + {len(other)} others"
        )
        print(
            f"reads while Redis was down: {len(reads_in_outage)}, served {sum(r['status'] == 200 for r in reads_in_outage)}"
        )
        if other:
            problems.append(f"{len(other)} requests failed outside the broken moments: {other[:5]}")
        if not reads_in_outage or any(r["status"] != 200 for r in reads_in_outage):
            problems.append("thread pages were not all served while Redis was down")
        del back

        state = wait_drained(240)
        checks = json.loads(django(CHECKS.format(threads=plan["threads"])))
        print(
            f"task queue: {checks['finished']} jobs finished, {checks['failed']} failed,"
            f" {checks['queued']} queued, {checks['started']} started"
        )
        if checks["failed"] or checks["queued"] or checks["started"]:
            problems.append(f"the task queue did not drain cleanly: {state}")
        if checks["gaps"]:
            problems.append(f"floors with gaps in threads {checks['gaps']}")
        print(f"floors dense in every thread: {not checks['gaps']} ({checks['posts']} posts)")
        rebuilt = subprocess.run([str(BIN / "luntan"), "rebuild_counters", "--check"],
                                 env=cluster_env(), capture_output=True, text=True)  # fmt: skip
        print(
            f"rebuild_counters --check: exit {rebuilt.returncode}; {rebuilt.stdout.strip()[-300:]}"
        )
        if rebuilt.returncode:
            problems.append("counters differ from a rebuild")
        made: dict[str, int] = {}
        for r in reads:
            if r["status"] == 200:
                made[str(r["thread"])] = made.get(str(r["thread"]), 0) + 1
        before = {str(k): v for k, v in plan["views"].items()}
        grown = {
            k: checks["views"][k] - before[k]
            for k in map(str, plan["threads"])
            if k in checks["views"]
        }
        diff = {k: grown[k] - made.get(k, 0) for k in grown if grown[k] != made.get(k, 0)}
        # A read in flight on the killed server may have been counted there before nginx
        # retried it on the other server: it counts twice, at most once per such read.
        cut = [r for r in reads if r["started"] <= kill <= r["ended"]]
        print(
            f"views: {sum(made.values())} page views made, {sum(grown.values())} counted;"
            f" differing threads: {diff}; reads in flight at the kill: {len(cut)}"
        )
        if any(v < 0 for v in diff.values()) or sum(diff.values()) > len(cut):
            problems.append(f"view counts differ from views made: {diff}")
        bound = {
            i
            for r in rows
            if r["kind"] == "reply" and r["status"] in ok["reply"]
            for i in r.get("attachments", [])
        }
        uploads = [
            r for r in rows if r["kind"] == "upload" and r["status"] == 201 and r["id"] in bound
        ]
        missing = 0
        for u in uploads:
            bodies = [fetch(f"http://127.0.0.1:{p}/attachments/{u['id']}/") for p in APP_PORTS]
            if any(st != 200 for st, _ in bodies) or bodies[0][1] != bodies[1][1]:
                missing += 1
        print(
            f"uploads in replies: {len(uploads)}, {len(uploads) - missing} downloadable and equal from both app servers"
        )
        if missing:
            problems.append(f"{missing} uploaded files not downloadable from both app servers")

        thread_url = f"http://127.0.0.1:{PORT}/t/{plan['threads'][0]}/"
        two = measure(thread_url, args.bench_seconds)
        sh(str(CLUSTER), "stop-one", "app2")
        time.sleep(1)
        one = measure(thread_url, args.bench_seconds)
        sh(str(CLUSTER), "start-app", "app2", str(APP_PORTS[1]))
        bare = bare_rps(args.bench_seconds)
        print(
            f"guest thread page through nginx: {one:.0f} req/s with one app server, {two:.0f} with two"
            f" ({two / one:.2f}x); bare Django view: {bare:.0f} req/s (page/bare {two / bare:.2f})"
        )
        print(
            "  (2 cores shared with other work: the second server adds little when the cores are the limit)"
        )
    finally:
        if not args.keep:
            sh(str(CLUSTER), "stop")
    if problems:
        print("FAILED:\n- " + "\n- ".join(problems))
        return 1
    print("cluster-test: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
