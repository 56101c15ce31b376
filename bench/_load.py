"""HTTP load generation on loopback: ``wrk`` when installed, else a small Python client.

Both keep connections alive, send ``Accept-Encoding: gzip`` like a browser, run for a
fixed time and report requests/s and latency percentiles in milliseconds.
"""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "luntan-bench"}

# wrk calls done() once at the end; latencies are in microseconds.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "LUNTAN requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d errors=%d bad_status=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class LoadResult:
    """One load run: ``requests`` completed in ``seconds``; latencies in milliseconds.

    ``errors`` counts socket errors and timeouts, ``bad_status`` responses outside 2xx/3xx.
    """

    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int = 0
    bad_status: int = 0

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def have_wrk() -> bool:
    """True when the ``wrk`` binary is on PATH."""
    return shutil.which("wrk") is not None


def run_wrk(
    url: str, seconds: float, threads: int, connections: int, headers: dict | None = None
) -> LoadResult:
    """Load ``url`` with wrk for ``seconds`` s using ``threads`` threads, ``connections`` conns.

    ``headers`` are sent besides :data:`HEADERS` (e.g. a session ``Cookie``)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
        cmd += ["--timeout", "10s", "-s", script.name]
        for name, value in {**HEADERS, **(headers or {})}.items():
            cmd += ["-H", f"{name}: {value}"]
        out = subprocess.run(
            [*cmd, url], capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
    finally:
        Path(script.name).unlink()
    found = re.search(r"^LUNTAN (.*)$", out, re.M)
    if not found:
        raise RuntimeError(f"wrk printed no report:\n{out}")
    v = {k: int(n) for k, n in (kv.split("=") for kv in found.group(1).split())}
    return LoadResult(
        tool="wrk",
        requests=v["requests"],
        seconds=v["duration_us"] / 1e6,
        p50_ms=v["p50_us"] / 1e3,
        p95_ms=v["p95_us"] / 1e3,
        p99_ms=v["p99_us"] / 1e3,
        errors=v["errors"],
        bad_status=v["bad_status"],
    )


def run_python(
    url: str, seconds: float, connections: int, headers: dict | None = None
) -> LoadResult:
    """Load ``url`` for ``seconds`` s from ``connections`` threads, one keep-alive conn each.

    Slower than wrk (the GIL limits the client to about one core), so figures above a
    few hundred requests/s measure the client as much as the server.
    """
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    counts = {"errors": 0, "bad_status": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine: list[float] = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={**HEADERS, **(headers or {})})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    counts["errors"] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
            if response.status >= 400:
                with lock:
                    counts["bad_status"] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return LoadResult(
        tool="python",
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=cuts[49] * 1e3,
        p95_ms=cuts[94] * 1e3,
        p99_ms=cuts[98] * 1e3,
        **counts,
    )


def run(
    url: str,
    seconds: float,
    *,
    threads: int = 2,
    connections: int = 8,
    python: bool = False,
    headers: dict | None = None,
) -> LoadResult:
    """Load ``url`` for ``seconds`` s with wrk, or the Python client if asked or no wrk.

    ``headers``: extra request headers (e.g. ``{"Cookie": "sessionid=…"}``)."""
    if python or not have_wrk():
        return run_python(url, seconds, connections, headers)
    return run_wrk(url, seconds, threads, connections, headers)


def combine(results: list[LoadResult]) -> LoadResult:
    """Merge the rounds of one page: totals add up; percentiles are request-weighted means.

    (Exact percentiles of the union would need the raw latencies; with rounds of similar
    size the weighted mean is within the rounds' own spread.)
    """
    total = sum(r.requests for r in results) or 1

    def mean(name: str) -> float:
        return sum(getattr(r, name) * r.requests for r in results) / total

    return LoadResult(
        tool=results[0].tool,
        requests=sum(r.requests for r in results),
        seconds=sum(r.seconds for r in results),
        p50_ms=mean("p50_ms"),
        p95_ms=mean("p95_ms"),
        p99_ms=mean("p99_ms"),
        errors=sum(r.errors for r in results),
        bad_status=sum(r.bad_status for r in results),
    )
