"""Synthetic results documents, for the harness's tests and bench/bench_report.py."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .model import FORMAT, FORMAT_VERSION


def result(
    test: str,
    impl: str | None = "shim",
    outcome: str = "passed",
    spec: Sequence[str] = ("demo.one",),
    message: str | None = None,
    expectation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One result record as conformance/results.py writes it."""
    name, _, params = test.partition("[")
    nodeid = f"{name}[{impl}-{params}" if params else f"{name}[{impl}]"
    return {
        "nodeid": nodeid,
        "test": test,
        "implementation": impl,
        "spec": list(spec),
        "params": {},
        "outcome": outcome,
        "duration": 0.001,
        "message": message,
        "expectation": expectation,
    }


def document(
    results: Iterable[dict[str, Any]],
    impls: Sequence[tuple[str, str | None]] = (("shim", "0.1.0"), ("flask", "3.1.3")),
    *,
    complete: bool = True,
    started: str = "2025-01-01T00:00:00+00:00",
    conforms_to: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A whole results document around result records; ``conforms_to`` maps an
    implementation to the Flask version it declares (default: none, the newest)."""
    records = list(results)
    totals: dict[str, int] = {}
    for r in records:
        totals[r["outcome"]] = totals.get(r["outcome"], 0) + 1
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "header": {
            "suite": {"name": "flask-conformance", "version": "0.1.0"},
            "implementations": [
                {"name": n, "module": n, "version": v, "conforms_to": (conforms_to or {}).get(n)}
                for n, v in impls
            ],
            "python": {"version": "3.11.7", "implementation": "CPython"},
            "platform": "Linux-synthetic",
            "dependencies": {"werkzeug": "3.1.3", "jinja2": "3.1.6"},
            "started": started,
            "argv": ["conformance/suite"],
            "workers": None,
        },
        "results": records,
        "footer": {
            "complete": complete,
            "finished": "2025-01-01T00:01:00+00:00",
            "exitstatus": 0 if complete else 2,
            "collection_errors": [],
            "totals": dict(sorted(totals.items())),
            "count": len(records),
        },
    }


def large_document(count: int = 20_000, impls: Sequence[str] = ("shim", "flask"), seed: int = 7) -> dict[str, Any]:
    """``count`` results over 40 areas of 25 entries, about 6% failing, some known."""
    rng = random.Random(seed)
    per_impl = count // len(impls)
    records = []
    for n in range(per_impl):
        area = f"area{n % 40}"
        spec = [f"{area}.entry-{(n // 40) % 25}"]
        test = f"conformance/suite/test_{area}.py::test_behaviour_{n // 40}[variant-{n}]"
        for impl in impls:
            roll = rng.random()
            if roll < 0.05:
                records.append(result(test, impl, "failed", spec, f"AssertionError: assert {n} == {n + 1}"))
            elif roll < 0.06:
                known = {"status": "fail", "reason": "not implemented yet", "issue": None}
                records.append(result(test, impl, "known-fail", spec, "NotImplementedError", known))
            elif roll < 0.07:
                records.append(result(test, impl, "skipped", spec, "needs asgiref"))
            else:
                records.append(result(test, impl, "passed", spec))
    return document(records, [(i, "1.0") for i in impls])


# --- a tiny catalog and suite for pytester runs of the plugins ----------------

DEMO_DOCUMENTS = """
[documents.S0]
title = "Demo seed"
file = "demo.txt"
"""

DEMO_AREA = """
[area]
id = "demo"
title = "Demo behaviours"

[[entry]]
id = "demo.one"
summary = "The first demo behaviour."
sources = [{ doc = "S0", section = "One" }]

[[entry.errata]]
source = { doc = "S0", section = "One" }
claim = "The seed says the first behaviour answers 418."
actual = "Flask answers 200."

[[entry]]
id = "demo.two"
summary = "The second demo behaviour."
sources = [{ doc = "S0", section = "Two" }]

[[entry]]
id = "demo.three"
summary = "The third demo behaviour."
sources = [{ doc = "S0", section = "Three" }]
"""

#: A suite module whose results differ by implementation (a harness fixture,
#: not a conformance test: it may look at the implementation's name).
DEMO_SUITE = '''
import pytest

@pytest.mark.spec("demo.one")
def test_passes_everywhere(flask):
    assert flask.Flask

@pytest.mark.spec("demo.two")
@pytest.mark.parametrize("n", [1, 2])
def test_fails_on_shim(impl, n):
    assert impl.name != "shim", f"shim gets {n} wrong"

@pytest.mark.spec("demo.three")
def test_skipped(flask):
    pytest.skip("not applicable here")
'''


def write_demo_catalog(folder: Path) -> Path:
    """Write the demo catalog into ``folder`` (for ``--spec-dir``) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "documents.toml").write_text(DEMO_DOCUMENTS, encoding="utf-8")
    (folder / "demo.toml").write_text(DEMO_AREA, encoding="utf-8")
    return folder
