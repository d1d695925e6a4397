"""Suite time per transport, measured side by side.

Run by hand (never as a test):

    python bench/bench_transports.py [--rounds 1] [-n 2] [--impl shim --impl flask]

Runs ``pytest conformance/suite`` once per transport (wsgi, asgi, http) and round,
the transports alternating within a round so that a busy machine slows them alike,
and prints each one's best wall time, its ratio to wsgi, and how many results it
produced. The target set by issue 12: the http transport costs at most 3x wsgi; the
exit status is 1 when it does not.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRANSPORTS = ("wsgi", "asgi", "http")
TARGET_RATIO = 3.0


def run(transport: str, impls: list[str], workers: int) -> tuple[float, str]:
    command = [sys.executable, "-m", "pytest", "conformance/suite", "-q", "-p", "no:cacheprovider",
               f"--transport={transport}", *(f"--impl={i}" for i in impls)]
    if workers:
        command += ["-n", str(workers)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - started
    summary = next((line for line in reversed(done.stdout.splitlines()) if re.search(r"\d+ (passed|failed)", line)), "")
    if done.returncode != 0:
        summary += f" (exit {done.returncode})"
    return elapsed, summary.strip("= ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("-n", type=int, default=2, dest="workers", help="xdist workers (0: none)")
    parser.add_argument("--impl", action="append", help="implementations (default: shim and flask)")
    args = parser.parse_args(argv)
    impls = args.impl or ["shim", "flask"]
    best: dict[str, float] = {}
    summaries: dict[str, str] = {}
    for _ in range(args.rounds):
        for transport in TRANSPORTS:
            elapsed, summaries[transport] = run(transport, impls, args.workers)
            best[transport] = min(best.get(transport, elapsed), elapsed)
    print(f"suite on {', '.join(impls)} with -n {args.workers}, best of {args.rounds} round(s)\n")
    print("| transport | wall time | vs wsgi | results |")
    print("| --- | ---: | ---: | --- |")
    for transport in TRANSPORTS:
        ratio = best[transport] / best["wsgi"]
        print(f"| {transport} | {best[transport]:.1f} s | {ratio:.2f}x | {summaries[transport]} |")
    ratio = best["http"] / best["wsgi"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"\nhttp costs {ratio:.2f}x wsgi: {verdict} the target of at most {TARGET_RATIO:g}x")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
