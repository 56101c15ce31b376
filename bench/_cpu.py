"""How much CPU *other* processes took during a measurement (Linux ``/proc``).

The benchmark machine may be shared (test suites, builds). :class:`OtherCpu` measures the
machine's busy CPU time over a window and subtracts what the benchmark itself used (this
process, its waited-for children such as wrk, and the gunicorn processes named), giving
the number of CPUs' worth (e.g. 0.8 of 2) that competed with the run.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")  # /proc jiffies per second


def _busy_seconds() -> float:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def _tree(root: int) -> list[int]:
    """``root`` and its children (one level: gunicorn master and its workers)."""
    pids = [root]
    try:
        children = Path(f"/proc/{root}/task/{root}/children").read_text().split()
    except OSError:
        return pids
    return pids + [int(c) for c in children]


def _process_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _own_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class OtherCpu:
    """Use as ``with OtherCpu(server_pid) as cpu: …``.

    Afterwards ``cpu.cpus`` is the CPUs' worth other processes used (≥ 0),
    ``cpu.server_seconds`` the CPU time of the gunicorn master and workers and
    ``cpu.client_seconds`` that of this process and its finished children (wrk), in s.
    """

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.cpus = self.server_seconds = self.client_seconds = 0.0

    def _server(self) -> float:
        return sum(_process_seconds(p) for p in self.pids)

    def __enter__(self) -> OtherCpu:
        self.pids = _tree(self.server_pid)
        self.started = time.monotonic()
        self.busy, self.server, self.client = _busy_seconds(), self._server(), _own_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.monotonic() - self.started
        self.server_seconds = self._server() - self.server
        self.client_seconds = _own_seconds() - self.client
        others = _busy_seconds() - self.busy - self.server_seconds - self.client_seconds
        self.cpus = max(others, 0.0) / wall if wall > 0 else 0.0
