"""Run luntan's production server (gunicorn) for a benchmark, as ``make run`` does.

``make run`` = ``luntan migrate`` + ``luntan collectstatic`` + gunicorn ``luntan.asgi`` with
2 uvicorn workers (``--worker-class uvicorn_worker.UvicornWorker``) on 127.0.0.1, DEBUG off.
:class:`Server` serves ``luntan.wsgi`` with sync workers unless given ``asgi=True`` (the
page benchmarks' figures in docs/benchmarks.md were taken that way; ``bench_live``
compares both). The benchmark server differs only in the port (a free
one) and in writing no access log (a reverse proxy logs in production).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    """Run ``luntan <args>`` (the project's manage.py) with ``env``; raise if it fails.

    Runs ``python -m luntan.manage`` from ``REPO`` so the checkout beside this file is used.
    """
    cmd = [sys.executable, "-m", "luntan.manage", *args]
    subprocess.run(cmd, env=env, cwd=REPO, check=True)


class Server:
    """gunicorn serving ``app`` (``luntan.wsgi`` unless told) on ``127.0.0.1:port`` until
    :meth:`stop`."""

    def __init__(
        self,
        env: dict[str, str],
        workers: int = 2,
        log: Path | None = None,
        repo: Path = REPO,
        app: str = "luntan.wsgi",
        asgi: bool = False,
    ) -> None:
        """Start gunicorn serving ``app`` (a WSGI path); ``repo`` is the checkout it serves
        (another one — e.g. a ``git worktree`` of an older commit — is put first on
        ``PYTHONPATH``, so that the same virtual environment runs that checkout's code).
        ``asgi``: serve ``luntan.asgi`` with uvicorn workers, as ``make run`` does."""
        if repo != REPO:
            env = dict(env)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH")]))
        self.repo = repo
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log or os.devnull, "ab")  # noqa: SIM115 - closed in stop()
        kind = ["--worker-class", "uvicorn_worker.UvicornWorker"] if asgi else []
        if asgi and app == "luntan.wsgi":
            app = "luntan.asgi"
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{self.port}", *kind]
            + ["--workers", str(workers), "--log-level", "warning"],
            env=env,
            cwd=repo,
            stdout=self._log,
            stderr=self._log,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until the server answers HTTP (any status); raise if it died or timed out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.proc.returncode}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=5).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop gunicorn (SIGTERM, then SIGKILL after 10 s) and close its log."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
