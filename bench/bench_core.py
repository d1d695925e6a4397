"""Core request-cycle benchmark: each implementation side by side, as ratios.

Run by hand (never as a test):

    python bench/bench_core.py [--impl shim --impl flask] [--seconds 0.5] [--rounds 5]

Every row builds the same app on each implementation and measures operations per
second over several rounds, keeping the best round (the least disturbed by the
machine). The ratio column is the first implementation's rate divided by the
last's; the targets are the ones issue 16 sets: >= 1.8 on the hello route and >= 1.2
on every other row. The hello row also measures bare Werkzeug (a Request, a one-rule
Map, a Response) in the same rounds: the ceiling for anything built on Werkzeug. A
second table gives each row's per-request allocation peak (tracemalloc).

Fairness on a shared machine: within each round every implementation is measured
once, in turn (the order alternating from round to round), so that all of them
sample the same stretch of machine load; measuring one implementation's rounds
and only then the next let a burst of load land on one side only and swing the
ratio by a tenth or more. Time is CPU time of this process
(:func:`time.process_time`), which leaves out the time other processes hold the
CPU, rather than wall-clock time.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
import types
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.routing import Map, Rule
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from conformance.implementations import resolve


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable[[bytes], None]:
    return lambda data: None


def _request(app: object, path: str) -> Callable[[], None]:
    environ = EnvironBuilder(path=path).get_environ()

    def call() -> None:
        body = app(dict(environ), _start_response)  # type: ignore[operator]
        for _ in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()

    return call


def hello(flask: types.ModuleType) -> Callable[[], None]:
    app = flask.Flask("bench")
    app.add_url_rule("/", "hello", lambda: "Hello, World!")
    return _request(app, "/")


def bare_werkzeug_hello() -> Callable[[], None]:
    """The hello route with Werkzeug alone: a Request, a one-rule Map, a Response. No
    implementation built on Werkzeug can answer faster, so this is the hello row's ceiling."""
    url_map = Map([Rule("/", endpoint="hello")])

    def app(environ: dict[str, object], start_response: Callable[..., object]) -> object:
        request = Request(environ)
        endpoint, _ = url_map.bind_to_environ(request.environ).match()
        body = "Hello, World!" if endpoint == "hello" else ""
        return Response(body, mimetype="text/html")(environ, start_response)

    return _request(app, "/")


def routing_table(flask: types.ModuleType) -> Callable[[], None]:
    app = flask.Flask("bench")
    for i in range(200):
        app.add_url_rule(f"/section{i}/<int:item>/detail", f"r{i}", lambda item: "ok")
    return _request(app, "/section150/42/detail")


def url_building(flask: types.ModuleType) -> Callable[[], None]:
    app = flask.Flask("bench")
    for i in range(50):
        app.add_url_rule(f"/section{i}/<int:item>", f"r{i}", lambda item: "ok")
    ctx = app.test_request_context()
    ctx.push()  # kept for the whole measurement, as inside a view
    url_for = flask.url_for
    return lambda: url_for("r25", item=7, page=2)


def json_response(flask: types.ModuleType) -> Callable[[], None]:
    app = flask.Flask("bench")
    payload = {"id": 1, "name": "widget", "tags": ["a", "b"], "price": 9.5}
    app.add_url_rule("/item", "item", lambda: payload)
    return _request(app, "/item")


def handled_error(flask: types.ModuleType) -> Callable[[], None]:
    app = flask.Flask("bench")

    def missing() -> None:
        flask.abort(404)

    app.add_url_rule("/missing", "missing", missing)
    app.register_error_handler(404, lambda e: ("not here", 404))
    return _request(app, "/missing")


@dataclass(frozen=True)
class Row:
    name: str
    make: Callable[[types.ModuleType], Callable[[], None]]
    target: float
    #: A plain-Werkzeug version of the row, measured in the same rounds: the ceiling.
    ceiling: Callable[[], Callable[[], None]] | None = None


ROWS = [
    Row("hello route (requests/s)", hello, 1.8, ceiling=bare_werkzeug_hello),
    Row("200-rule routing table (requests/s)", routing_table, 1.2),
    Row("url_for builds/s", url_building, 1.2),
    Row("JSON response (requests/s)", json_response, 1.2),
    Row("error answered by a handler (requests/s)", handled_error, 1.2),
]


def batch_size(op: Callable[[], None], seconds: float) -> int:
    """How many calls of ``op`` take about a tenth of a round (this also warms it up)."""
    batch = 1
    while True:
        start = time.process_time()
        for _ in range(batch):
            op()
        if time.process_time() - start > seconds / 10:
            return batch
        batch *= 2


def one_round(op: Callable[[], None], batch: int, seconds: float) -> float:
    """Operations per second of CPU time over one round of about ``seconds``."""
    gc.collect()
    count, start = 0, time.process_time()
    while (elapsed := time.process_time() - start) < seconds:
        for _ in range(batch):
            op()
        count += batch
    return count / elapsed


def measure(ops: list[Callable[[], None]], seconds: float, rounds: int) -> list[float]:
    """Best operations per second of each of ``ops`` over ``rounds`` rounds of about
    ``seconds`` each, the ops taking turns within every round."""
    batches = [batch_size(op, seconds) for op in ops]
    best = [0.0] * len(ops)
    order = list(range(len(ops)))
    for _ in range(rounds):
        for i in order:
            best[i] = max(best[i], one_round(ops[i], batches[i], seconds))
        order.reverse()  # neither side always goes first
    return best


def peak_bytes(op: Callable[[], None], requests: int = 200) -> int:
    """Median over ``requests`` calls of the memory one call of ``op`` holds at its
    peak, above what was allocated before it (tracemalloc): the per-request allocation
    high-water mark."""
    for _ in range(20):  # warm caches, so that only per-request allocations count
        op()
    gc.collect()
    tracemalloc.start()
    try:
        peaks = []
        for _ in range(requests):
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            op()
            peaks.append(tracemalloc.get_traced_memory()[1] - before)
    finally:
        tracemalloc.stop()
    return sorted(peaks)[len(peaks) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--impl", action="append", help="implementations (default: shim flask)")
    parser.add_argument("--seconds", type=float, default=0.5, help="length of one round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per measurement")
    parser.add_argument("--only", help="run only the rows whose name contains this text")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc table")
    args = parser.parse_args()
    impls = [resolve(name) for name in (args.impl or ["shim", "flask"])]
    modules = [impl.load() for impl in impls]
    rows = [row for row in ROWS if args.only is None or args.only in row.name]

    header = ["benchmark", *(f"{i.name} {i.version}" for i in impls), f"{impls[0].name}/{impls[-1].name}", "target"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in rows:
        ops = [row.make(module) for module in modules]
        if row.ceiling is not None:
            ops.append(row.ceiling())
        rates = measure(ops, args.seconds, args.rounds)
        impl_rates, flask_rate = rates[: len(modules)], rates[len(modules) - 1]
        ratio = impl_rates[0] / flask_rate
        verdict = "ok" if ratio >= row.target else "MISSED"
        cells = [row.name, *(f"{r:,.0f}" for r in impl_rates), f"{ratio:.2f}x", f">= {row.target}x {verdict}"]
        print(" | ".join(cells), flush=True)
        if row.ceiling is not None:
            # The ceiling's rate stands in the first column; its ratio is to the last implementation.
            ceiling = rates[-1]
            cells = ["bare Werkzeug, the ceiling of the row above", f"{ceiling:,.0f}", *("" for _ in modules[1:]),
                     f"{ceiling / flask_rate:.2f}x", "(ceiling)"]
            print(" | ".join(cells), flush=True)

    if args.no_memory:
        return
    print()
    header = ["per-request allocation peak (tracemalloc)", *(i.name for i in impls), f"{impls[0].name}/{impls[-1].name}"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in rows:
        peaks = [peak_bytes(row.make(module)) for module in modules]
        cells = [row.name.split(" (")[0], *(f"{p / 1024:.1f} KiB" for p in peaks), f"{peaks[0] / peaks[-1]:.2f}x"]
        print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
