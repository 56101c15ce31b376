"""Run the benchmarks: ``python -m bench [--only NAME] [--quick] [module args…]``.

Each ``bench/bench_<name>.py`` exposes ``main(argv: list[str]) -> None`` and prints its
figures; ``--only NAME`` runs one, ``--quick`` asks every benchmark for a small data set.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--only", help="run only bench_<ONLY>.py")
    parser.add_argument("--quick", action="store_true", help="small data sets (a smoke run)")
    args, rest = parser.parse_known_args()
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if args.only:
        names = [n for n in names if n == f"bench_{args.only}"]
        if not names:
            sys.exit(f"no benchmark named {args.only!r}")
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        module.main(rest + (["--quick"] if args.quick else []))
        print(f"== {name} done in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
