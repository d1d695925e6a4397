"""Core request-cycle benchmark: each implementation side by side, as ratios.

Run by hand (never as a test):

    python bench/bench_core.py [--impl shim --impl flask] [--seconds 0.5] [--rounds 5]

Every row builds the same app on each implementation and measures operations per
second over several rounds, keeping the best round (the least disturbed by the
machine). The ratio column is the first implementation's rate divided by the
last's; the targets are the ones issue 3 sets: >= 1.5 on request dispatch and
>= 1.0 on every other row.

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
import types
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.test import EnvironBuilder

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


ROWS = [
    Row("hello route (requests/s)", hello, 1.5),
    Row("200-rule routing table (requests/s)", routing_table, 1.0),
    Row("url_for builds/s", url_building, 1.0),
    Row("JSON response (requests/s)", json_response, 1.0),
    Row("error answered by a handler (requests/s)", handled_error, 1.0),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--impl", action="append", help="implementations (default: shim flask)")
    parser.add_argument("--seconds", type=float, default=0.5, help="length of one round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per measurement")
    args = parser.parse_args()
    impls = [resolve(name) for name in (args.impl or ["shim", "flask"])]
    modules = [impl.load() for impl in impls]

    header = ["benchmark", *(f"{i.name} {i.version}" for i in impls), f"{impls[0].name}/{impls[-1].name}", "target"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in ROWS:
        rates = measure([row.make(module) for module in modules], args.seconds, args.rounds)
        ratio = rates[0] / rates[-1]
        verdict = "ok" if ratio >= row.target else "MISSED"
        cells = [row.name, *(f"{r:,.0f}" for r in rates), f"{ratio:.2f}x", f">= {row.target}x {verdict}"]
        print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
