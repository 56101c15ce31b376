"""``make cluster-test``: a cluster of its own (tools/cluster/cluster.sh) under a mixed
load, broken on purpose, then checked; prints the figures. Not in CI (minutes long).

During ``--seconds`` (default 90) of load by locust (90% guest readers, 10% members
replying through the API, a third of the replies with an image): app server 1 is
SIGKILLed (master and workers) and restarted, the task worker is SIGKILLed in the
middle of its work and restarted, ``luntan backup`` runs, and Redis is shut down for
10 s. Afterwards:

- no request failed except those in flight on the killed app server (a GET is retried on
  the other by nginx; a POST is not) and writes refused (429/503) while Redis was down;
- floors are dense, ``rebuild_counters --check`` finds nothing to fix;
- thread views equal the page views made (each with its own User-Agent);
- the task queues drained (RQ and the database fallback): nothing failed, nothing left
  started or queued, every reply is in the search index;
- every uploaded file is in S3 and downloads the same from either app server;
- readers were served while Redis was down;
- the backup restores into a fresh PostgreSQL database and S3 bucket, with every table's
  row count and every file's SHA-256 equal to its manifest.

Then the guest thread page is measured through nginx with two and one app servers and
compared with a bare Django view (bench/_bare.py) served by gunicorn the same way:
requests/s, server CPU per request, the machine's other load (``--bench-only``: only
these). Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CLUSTER = ROOT / "tools" / "cluster" / "cluster.sh"
DIR = ROOT / "var" / "cluster-test"
# Ports of its own (LUNTAN_CLUSTER_TEST_PORTS moves them all: base+0 … base+20), away
# from `make cluster` and other servers of the machine; cluster.sh refuses a port in use.
BASE = int(os.environ.get("LUNTAN_CLUSTER_TEST_PORTS", "28000"))
PORT, APP_PORTS, REDIS_PORT, S3_PORT = BASE + 90, (BASE + 111, BASE + 112), BASE + 89, BASE + 43
PG = os.environ.get("LUNTAN_CLUSTER_TEST_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "luntan_cluster_test"
RESTORE_DB_NAME = "luntan_cluster_test_restore"
RESTORE_BUCKET = "luntan-restore"
DB = f"{PG}/{DB_NAME}"
ENV = {
    **os.environ,
    "CLUSTER_DIR": str(DIR),
    "CLUSTER_PORT": str(PORT),
    "CLUSTER_APP_PORTS": " ".join(map(str, APP_PORTS)),
    "CLUSTER_REDIS_PORT": str(REDIS_PORT),
    "CLUSTER_S3_PORT": str(S3_PORT),
    "CLUSTER_WEED_BASE": str(BASE + 50),
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


def drop_database(name: str = DB_NAME) -> None:
    """Drop this test's own database ``name`` (never another)."""
    import psycopg

    assert name in (DB_NAME, RESTORE_DB_NAME)
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
from django.db import connection
from django_tasks_db.models import DBTaskResult
q = django_rq.get_queue("default", job_class=Job)
fb = DBTaskResult.objects.filter(backend_name="fallback")
with connection.cursor() as c:
    c.execute("SELECT count(*) FROM threads_post p JOIN accounts_user u ON u.id = p.author_id"
              " WHERE u.username LIKE 'load%%' AND NOT EXISTS"
              " (SELECT 1 FROM search_postvector s WHERE s.post_id = p.id)")
    unindexed = c.fetchone()[0]
print(json.dumps({{"gaps": gaps, "views": views, "posts": Post.objects.count(),
  "queued": q.count + fb.filter(status__in=["READY", "RUNNING"]).count(),
  "started": StartedJobRegistry(queue=q).count,
  "failed": FailedJobRegistry(queue=q).count + fb.filter(status="FAILED").count(),
  "finished": FinishedJobRegistry(queue=q).count, "fallback": fb.count(),
  "unindexed": unindexed}}))
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
    except OSError:  # refused, reset: not answering (yet)
        return 0, b""


def _tree(root: int) -> list[int]:
    """``root``, its children and grandchildren (gunicorn master, workers; nginx)."""
    out = [root]
    for c in children(root):
        out += [c, *children(c)]
    return out


@dataclass
class Figure:
    """One measurement: requests/s, server CPU ms per request (app servers, nginx), and
    the CPUs' worth other processes of the machine used meanwhile, the load average."""

    rps: float
    cpu_ms: float
    others: float
    load: float

    def __str__(self) -> str:
        return (
            f"{self.rps:.0f} req/s, {self.cpu_ms:.1f} ms CPU/request"
            f" (other processes: {self.others:.1f} of {os.cpu_count()} CPUs, load {self.load:.1f})"
        )


def measure(url: str, seconds: float, server_pids: list[int]) -> Figure:
    """Load ``url`` for ``seconds`` (wrk when installed, 8 connections); CPU counted over
    ``server_pids`` and their children."""
    sys.path.insert(0, str(ROOT))
    from bench import _cpu, _load

    pids = [p for root in server_pids for p in _tree(root)]
    busy0 = _cpu._busy_seconds()
    own0 = _cpu._own_seconds()
    cpu0 = sum(_cpu._process_seconds(p) for p in pids)
    t0 = time.monotonic()
    result = _load.run(url, seconds, connections=8)
    wall = time.monotonic() - t0
    server = sum(_cpu._process_seconds(p) for p in pids) - cpu0
    own = _cpu._own_seconds() - own0
    others = max(0.0, _cpu._busy_seconds() - busy0 - server - own) / wall
    return Figure(
        result.rps,
        1000 * server / max(result.requests, 1),
        others,
        os.getloadavg()[0],
    )


def bare_figure(seconds: float, workers: int = 2) -> Figure:
    """The bare Django view (bench/_bare.py) on the app servers' stack: gunicorn with
    ``workers`` uvicorn workers, loaded directly."""
    port = BASE + 99
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "bench._bare:asgi_application", "--worker-class",
         "uvicorn_worker.UvicornWorker", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", "--keep-alive", "75"], cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(300):
            if fetch(f"http://127.0.0.1:{port}/")[0] == 200:
                break
            time.sleep(0.1)
        return measure(f"http://127.0.0.1:{port}/", seconds, [proc.pid])
    finally:
        proc.terminate()
        proc.wait()


def backup_and_restore(archive: Path) -> list[str]:
    """Restore ``archive`` (written by ``luntan backup`` during the load) into a fresh
    PostgreSQL database and a fresh S3 bucket with ``luntan restore``, then compare the
    manifest with them here as well: every table's row count, every file's SHA-256 read
    back from S3. Returns the problems found (printed as it goes)."""
    import hashlib
    import tarfile

    import boto3
    import psycopg

    problems: list[str] = []
    with tarfile.open(archive) as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        manifest = json.loads(handle.read())
    tables, files = manifest["database"]["tables"], manifest["files"]
    print(
        f"backup during the load: {archive.stat().st_size / 1e6:.1f} MB, {len(tables)} tables,"
        f" {sum(tables.values())} rows, {len(files)} files"
    )
    drop_database(RESTORE_DB_NAME)
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{RESTORE_DB_NAME}"')
    env = cluster_env()
    s3 = boto3.client(
        "s3",
        endpoint_url=env["LUNTAN_S3_ENDPOINT_URL"],
        aws_access_key_id=env["LUNTAN_S3_ACCESS_KEY"],
        aws_secret_access_key=env["LUNTAN_S3_SECRET_KEY"],
        region_name=env["LUNTAN_S3_REGION"],
    )
    bucket = RESTORE_BUCKET
    try:
        old = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        for o in old:
            s3.delete_object(Bucket=bucket, Key=o["Key"])
    except s3.exceptions.NoSuchBucket:
        s3.create_bucket(Bucket=bucket)
    env.update(DATABASE_URL=f"{PG}/{RESTORE_DB_NAME}", LUNTAN_S3_BUCKET=bucket)
    t0 = time.monotonic()
    done = subprocess.run([str(BIN / "luntan"), "restore", str(archive)], env=env, cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    print(
        f"restore into a fresh database and bucket: exit {done.returncode} in"
        f" {time.monotonic() - t0:.0f} s; {done.stdout.strip()[-200:]}"
    )
    if done.returncode:
        problems.append(f"luntan restore failed: {done.stderr.strip()[-800:]}")
    with psycopg.connect(f"{PG}/{RESTORE_DB_NAME}") as conn:
        counts = {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608
            for t in tables
        }
    differing = {t: (n, counts[t]) for t, n in tables.items() if counts[t] != n}
    keys = {o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for o in page.get("Contents", [])}  # fmt: skip
    bad_files = []
    for name, meta in files.items():
        key = env.get("LUNTAN_S3_PREFIX", "").strip("/")
        key = f"{key}/{name}" if key else name
        if key not in keys:
            bad_files.append(name)
            continue
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if hashlib.sha256(body).hexdigest() != meta["sha256"]:
            bad_files.append(name)
    print(
        f"restored copy: {len(tables) - len(differing)}/{len(tables)} tables with the manifest's"
        f" row count, {len(files) - len(bad_files)}/{len(files)} files in S3 with its SHA-256"
    )
    if differing:
        problems.append(f"restored row counts differ from the manifest: {differing}")
    if bad_files:
        problems.append(f"restored files missing or different: {bad_files[:5]}")
    drop_database(RESTORE_DB_NAME)
    return problems


def load_and_check(args: argparse.Namespace, plan: dict) -> list[str]:
    """The load with its breakages, a backup taken meanwhile, then every check; returns
    the problems found."""
    problems: list[str] = []
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
    at(0.45)
    archive = DIR / "backup.tar"
    archive.unlink(missing_ok=True)
    backup = subprocess.Popen([str(BIN / "luntan"), "backup", str(archive)], env=cluster_env(),
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    print("  luntan backup started")
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
    backup_out, _ = backup.communicate(timeout=600)
    print(f"  luntan backup: exit {backup.returncode}; {backup_out.strip()[-300:]}")
    if backup.returncode:
        problems.append("luntan backup during the load failed")
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
        r for r in bad if r["started"] <= kill + 1 and r["ended"] >= kill and r["kind"] != "read"
    ]
    # Refused (429 rate limit failing closed, 503), not a 500 after a half-done write.
    redis_window = [
        r
        for r in bad
        if events["redis_down"] - 1 <= r["ended"] <= events["redis_up"] + 3
        and r["kind"] != "read"
        and r["status"] in (429, 503)
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
        f" {checks['queued']} queued, {checks['started']} started; {checks['fallback']} kept in"
        f" the database queue while Redis was down; replies not in the search index:"
        f" {checks['unindexed']}"
    )
    if checks["unindexed"]:
        problems.append(f"{checks['unindexed']} replies never indexed (their job was lost)")
    if checks["failed"] or checks["queued"] or checks["started"]:
        problems.append(f"the task queue did not drain cleanly: {state}")
    if checks["gaps"]:
        problems.append(f"floors with gaps in threads {checks['gaps']}")
    print(f"floors dense in every thread: {not checks['gaps']} ({checks['posts']} posts)")
    rebuilt = subprocess.run([str(BIN / "luntan"), "rebuild_counters", "--check"],
                             env=cluster_env(), capture_output=True, text=True)  # fmt: skip
    print(f"rebuild_counters --check: exit {rebuilt.returncode}; {rebuilt.stdout.strip()[-300:]}")
    if rebuilt.returncode:
        problems.append("counters differ from a rebuild")
    made: dict[str, int] = {}
    for r in reads:
        if r["status"] == 200:
            made[str(r["thread"])] = made.get(str(r["thread"]), 0) + 1
    before = {str(k): v for k, v in plan["views"].items()}
    grown = {
        k: checks["views"][k] - before[k] for k in map(str, plan["threads"]) if k in checks["views"]
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
    uploads = [r for r in rows if r["kind"] == "upload" and r["status"] == 201 and r["id"] in bound]
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

    if archive.exists() and not backup.returncode:
        problems += backup_and_restore(archive)
    return problems


def bench(args: argparse.Namespace, plan: dict) -> None:
    """Print the guest thread page's requests/s and CPU per request through nginx with
    two and with one app server, and the bare Django view's on the same stack."""
    thread_url = f"http://127.0.0.1:{PORT}/t/{plan['threads'][0]}/"
    fetch(thread_url)  # the guest page cache is warm, as on a live site
    secs = args.bench_seconds
    two = measure(thread_url, secs, [pid("app1"), pid("app2"), pid("nginx")])
    sh(str(CLUSTER), "stop-one", "app2")
    time.sleep(1)
    one = measure(thread_url, secs, [pid("app1"), pid("nginx")])
    sh(str(CLUSTER), "start-app", "app2", str(APP_PORTS[1]))
    bare = bare_figure(secs)
    print(f"guest thread page through nginx (wrk, 8 connections, {secs:.0f} s each):")
    print(f"  one app server:  {one}")
    print(f"  two app servers: {two}  ({two.rps / max(one.rps, 0.1):.2f}x one)")
    print(f"  bare Django view, gunicorn + 2 uvicorn workers, direct: {bare}")
    print(
        f"  thread page / bare view: {one.rps / max(bare.rps, 0.1):.2f} of the requests/s,"
        f" {one.cpu_ms / max(bare.cpu_ms, 0.01):.1f}x the CPU per request"
    )
    print(
        f"  ({os.cpu_count()} CPUs shared with other work: when the cores are the limit a"
        " second app server on the same machine adds little)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--bench-seconds", type=float, default=10)
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument(
        "--bench-only", action="store_true", help="no load, kills or checks: only the figures"
    )
    args = parser.parse_args()
    sh(str(CLUSTER), "stop")
    drop_database()
    # A fresh cluster: no jobs or views of an earlier run in Redis's append-only file,
    # no files of one in SeaweedFS (the static files and the secret key are kept).
    shutil.rmtree(DIR / "appendonlydir", ignore_errors=True)
    shutil.rmtree(DIR / "weed", ignore_errors=True)
    (DIR / "backup.tar").unlink(missing_ok=True)
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
        if not args.bench_only:
            problems += load_and_check(args, plan)
        bench(args, plan)
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
