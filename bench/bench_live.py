"""Normal pages while 1,000 live-reply listeners are connected.

``python -m bench --only live [--quick] [--listeners N] [--seconds S]``

``make run`` serves ``luntan.asgi`` with uvicorn workers so that a live-reply stream
(``/live/t/<id>/``, server-sent events) is a coroutine, not a worker. This benchmark:

1. generates a small site (:mod:`bench.datagen`) in a throwaway ``LUNTAN_HOME`` (SQLite,
   or ``DATABASE_URL`` when set: an *empty, throwaway* database), guest page cache off
   (``LUNTAN_PAGE_CACHE_SECONDS=0``: every request renders the page);
2. loads a thread page (guest) with wrk (or the Python client) on gunicorn as it ran
   before (``luntan.wsgi``, sync workers), then on gunicorn as ``make run`` runs it now
   (``luntan.asgi``, uvicorn workers), both with ``--workers`` (default 2);
3. opens ``--listeners`` (default 1,000; ``--quick`` 200) event streams on that thread
   against the ASGI server, checks each got its first event, loads the thread page again
   with all of them connected, then publishes a new reply count and counts the listeners
   that received it within 2 seconds;
4. prints requests/s of the thread page without and with the listeners and the ratio.

Nothing fails on a threshold; the exit status is 1 when a listener could not connect or a
page did not answer 200.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import _load
from bench._server import REPO, Server, manage


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench --only live")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--listeners", type=int)
    parser.add_argument("--seconds", type=float, help="seconds of load per measurement")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--python-load", action="store_true")
    args, _unknown = parser.parse_known_args(argv)
    args.listeners = args.listeners or (200 if args.quick else 1000)
    args.seconds = args.seconds or (3.0 if args.quick else 10.0)
    return args


class Listeners:
    """``n`` server-sent-event connections to ``host:port`` ``path`` held open by an event
    loop in a background thread; counts first events and later messages."""

    def __init__(self, host: str, port: int, path: str, n: int) -> None:
        self.host, self.port, self.path, self.n = host, port, path, n
        self.connected = 0
        self.failed = 0
        self.received: dict[int, float] = {}  # listener → time.time() of its 2nd event
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self, timeout: float = 120.0) -> None:
        """Open every connection (in batches); return when all answered or failed."""
        self._thread.start()
        self._ready.wait(timeout)

    def _run(self) -> None:
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        tasks = []
        for start in range(0, self.n, 100):
            batch = [
                asyncio.ensure_future(self._one(i)) for i in range(start, min(self.n, start + 100))
            ]
            tasks += batch
            await asyncio.sleep(0.05)
        while self.connected + self.failed < self.n:
            await asyncio.sleep(0.05)
        self._ready.set()
        await self._stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _one(self, i: int) -> None:
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            writer.write(
                f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 60)
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                raise RuntimeError(head[:40])
            events = 0
            buffer = b""
            while True:
                chunk = await reader.read(4096)
                if not chunk:
                    break
                buffer += chunk
                while b"event: replies" in buffer:
                    buffer = buffer.split(b"event: replies", 1)[1]
                    events += 1
                    if events == 1:
                        self.connected += 1
                    elif i not in self.received:
                        self.received[i] = time.time()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - counted, reported
            if i not in self.received and self.connected + self.failed < self.n:
                self.failed += 1

    def stop(self) -> None:
        """Close every connection."""
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LUNTAN_HOME=str(home),
        DJANGO_SETTINGS_MODULE="luntan.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        LUNTAN_PAGE_CACHE_SECONDS="0",
        LUNTAN_LIVE_SECONDS="3600",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    return env


def _load_page(url: str, args: argparse.Namespace) -> _load.LoadResult:
    _load.run(url, 3.0, python=args.python_load)  # warm-up (templates, connections)
    return _load.run(url, args.seconds, python=args.python_load)


def main(argv: list[str]) -> None:
    """Generate, serve, load, listen, print; see the module docstring."""
    args = _args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.listeners * 2 + 512
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    home = Path(tempfile.mkdtemp(prefix="luntan-bench-live-"))
    env = _environment(home)
    broken = False
    servers: list[Server] = []
    listeners: Listeners | None = None
    try:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        cmd = [sys.executable, "-m", "bench.datagen", "--json", str(home / "site.json")]
        cmd += ["--threads", "50", "--users", "50", "--templates", "40", "--big-floors", "200"]
        cmd += ["--no-check"]
        subprocess.run(cmd, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        site = json.loads((home / "site.json").read_text())
        thread_id = site["small_thread_id"]
        path = f"/t/{thread_id}/"
        tool = "python client" if args.python_load or not _load.have_wrk() else "wrk"
        broker = "Redis pub/sub" if env.get("REDIS_URL") else "shared file cache, polled"
        print(
            f"thread page {path} ({site['small_floors']} floors, guest, page cache off); "
            f"gunicorn --workers {args.workers}; load: {tool}, {args.seconds:.0f} s; "
            f"broker: {broker}",
            flush=True,
        )

        wsgi = Server(env, workers=args.workers, log=home / "wsgi.log")
        servers.append(wsgi)
        wsgi.wait_ready()
        before = _load_page(wsgi.url + path, args)
        wsgi.stop()
        servers.remove(wsgi)
        print(f"  sync workers (luntan.wsgi, before)       {before.rps:8.1f} req/s  p50 {before.p50_ms:6.1f} ms  p99 {before.p99_ms:6.1f} ms", flush=True)  # fmt: skip

        asgi = Server(env, workers=args.workers, log=home / "asgi.log", asgi=True)
        servers.append(asgi)
        asgi.wait_ready()
        without = _load_page(asgi.url + path, args)
        print(f"  uvicorn workers (luntan.asgi), 0 listeners {without.rps:8.1f} req/s  p50 {without.p50_ms:6.1f} ms  p99 {without.p99_ms:6.1f} ms", flush=True)  # fmt: skip

        started = time.monotonic()
        listeners = Listeners("127.0.0.1", asgi.port, f"/live/t/{thread_id}/", args.listeners)
        listeners.start()
        print(
            f"  opened {listeners.connected} of {args.listeners} event streams in "
            f"{time.monotonic() - started:.1f} s ({listeners.failed} failed)",
            flush=True,
        )
        broken |= listeners.connected < args.listeners
        with_them = _load_page(asgi.url + path, args)
        print(f"  uvicorn workers, {listeners.connected} listeners        {with_them.rps:8.1f} req/s  p50 {with_them.p50_ms:6.1f} ms  p99 {with_them.p99_ms:6.1f} ms", flush=True)  # fmt: skip

        code = (
            "import time; from luntan.live import broker; "
            f"broker.publish({thread_id}, 10**6); print(time.time())"
        )
        done = subprocess.run(
            [sys.executable, "-m", "luntan.manage", "shell", "--no-imports", "-c", code],
            env=env, cwd=REPO, check=True, capture_output=True, text=True,
        )  # fmt: skip
        sent = float(done.stdout.strip().splitlines()[-1])
        time.sleep(2.5)
        delays = sorted(t - sent for t in listeners.received.values())
        got = sum(1 for d in delays if d <= 2.0)
        slowest = f"{delays[-1] * 1000:.0f} ms" if delays else "-"
        print(
            f"  a published reply count reached {got} of {listeners.connected} listeners "
            f"within 2 s (slowest {slowest})",
            flush=True,
        )
        broken |= got < listeners.connected
        for result in (before, without, with_them):
            broken |= bool(result.errors or result.bad_status)
        ratio = with_them.rps / without.rps if without.rps else 0.0
        print(
            f"  thread page req/s: without listeners {without.rps:.1f}, with "
            f"{listeners.connected} listeners {with_them.rps:.1f}, ratio {ratio:.2f} "
            f"(sync workers before: {before.rps:.1f})",
            flush=True,
        )
    finally:
        if listeners is not None:
            listeners.stop()
        for server in servers:
            server.stop()
        if args.keep:
            print(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    if broken:
        sys.exit("bench_live: listeners failed to connect or pages failed (see above)")


if __name__ == "__main__":
    main(sys.argv[1:])
