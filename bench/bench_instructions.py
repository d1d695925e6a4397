"""Machine instructions per request of each bench_core row, counted with valgrind.

Run by hand (never as a test; needs ``valgrind`` on PATH, takes minutes):

    python bench/bench_instructions.py [--only hello] [--requests 1000]

Timing ratios on a shared machine move by a tenth from run to run; an instruction
count does not move at all, so it shows what a change to the request path saves even
when the saving is smaller than the timing noise. Each count runs the row in a fresh
interpreter under callgrind twice, after ``--requests`` extra requests and after none
(both after the same warm-up), and divides the difference: interpreter start-up and
imports cancel out. Instructions are not time: Werkzeug's code runs at a higher rate
per instruction than the shim's many short calls, so the time ratio is not the
instruction ratio (see the README's Performance section).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

#: The hello row's ceiling, counted like an implementation.
CEILING = "werkzeug"
_COLLECTED = re.compile(rb"Collected : (\d+)")


def _child(row_name: str, impl_name: str, requests: int) -> None:
    """Inside valgrind: build the row's operation, warm it up, run ``requests`` more."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench_core
    from conformance.implementations import resolve

    row = next(row for row in bench_core.ROWS if row.name == row_name)
    if impl_name == CEILING:
        op = row.ceiling()  # type: ignore[misc]
    else:
        op = row.make(resolve(impl_name).load())
    for _ in range(200 + requests):
        op()


def _instructions(row_name: str, impl_name: str, requests: int) -> int:
    """Instructions the child process executes in all (callgrind's total)."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
               sys.executable, os.path.abspath(__file__), "--child", row_name, impl_name, str(requests)]
    # A fixed hash seed: set and dict layouts, hence instruction counts, repeat exactly.
    done = subprocess.run(command, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "0"}, timeout=1800)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed for {impl_name} on {row_name!r}: {done.stderr[-300:].decode(errors='replace')}")
    return int(found.group(1))


def per_request(row_name: str, impl_name: str, requests: int) -> float:
    """Instructions of one request: the difference of two runs over the extra requests."""
    # One plain run first writes any stale .pyc files: otherwise one of the two counted
    # runs may compile a module the other loads, and the difference is off by thousands.
    subprocess.run([sys.executable, os.path.abspath(__file__), "--child", row_name, impl_name, "0"],
                   capture_output=True, timeout=300, check=True)
    with ThreadPoolExecutor(2) as pool:
        more, base = pool.map(lambda n: _instructions(row_name, impl_name, n), (requests, 0))
    return (more - base) / requests


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench_core

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--impl", action="append", help="implementations (default: shim flask)")
    parser.add_argument("--requests", type=int, default=1000, help="requests counted per run")
    parser.add_argument("--only", help="run only the rows whose name contains this text")
    args = parser.parse_args()
    impls = args.impl or ["shim", "flask"]
    header = ["instructions per request (callgrind)", *impls, f"{impls[-1]}/{impls[0]}"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in bench_core.ROWS:
        if args.only is not None and args.only not in row.name:
            continue
        counts = [per_request(row.name, impl, args.requests) for impl in impls]
        name = row.name.split(" (")[0]
        print(" | ".join([name, *(f"{c / 1000:,.1f}k" for c in counts), f"{counts[-1] / counts[0]:.2f}x"]), flush=True)
        if row.ceiling is not None:
            ceiling = per_request(row.name, CEILING, args.requests)
            cells = ["bare Werkzeug, the ceiling", f"{ceiling / 1000:,.1f}k", *("" for _ in impls[1:]),
                     f"{counts[-1] / ceiling:.2f}x"]
            print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
