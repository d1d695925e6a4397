"""Write a run's results as one JSON document (``--conformance-json``).

The document has a header (suite, implementations, environment, start time), one
record per test and a footer whose ``complete`` flag says the run finished. Under
pytest-xdist only the controller writes: workers' reports reach it through
``pytest_runtest_logreport``, so every result appears exactly once.
The format is described by ``reports/results.schema.json``.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from .implementations import Implementation

FORMAT = "flask-conformance-results"
FORMAT_VERSION = 1

#: Outcomes a record may have, worst first when phases disagree (a record is
#: "passed" only when every phase passed). Three come from ``--expectations``
#: (conformance/expectations.py): "known-fail" (a failure the expectations file
#: lists: not a failure of the run), "known-skip" (skipped because the file says
#: so) and "stale" (listed as failing but passed: fails the run). One comes from
#: the spec's version facts: "not-applicable" (the test checks behaviour newer than
#: the Flask version the implementation declares; never a pass, never a failure).
OUTCOMES = (
    "error",
    "failed",
    "stale",
    "xpassed",
    "known-fail",
    "xfailed",
    "known-skip",
    "not-applicable",
    "skipped",
    "passed",
)


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


@dataclass
class _Record:
    nodeid: str
    implementation: str | None
    test: str
    spec: list[str]
    params: dict[str, Any]
    outcome: str = "passed"
    duration: float = 0.0
    message: str | None = None
    #: The matching --expectations entry: status, reason, issue.
    expectation: dict[str, str | None] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "nodeid": self.nodeid,
            "test": self.test,
            "implementation": self.implementation,
            "spec": self.spec,
            "params": self.params,
            "outcome": self.outcome,
            "duration": round(self.duration, 6),
            "message": self.message,
            "expectation": self.expectation,
        }


def _expectation(report: pytest.TestReport) -> dict[str, Any] | None:
    """What conformance/expectations.py attached to the report (survives xdist)."""
    return getattr(report, "conformance_expectation", None)


def _phase_outcome(report: pytest.TestReport) -> str:
    verdict = (_expectation(report) or {}).get("verdict")
    if verdict:
        return str(verdict)
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    if report.skipped and getattr(report, "conformance_not_applicable", None):
        return "not-applicable"
    if report.failed:
        return "failed" if report.when == "call" else "error"
    return report.outcome


def _short_message(report: pytest.TestReport) -> str | None:
    # A known failure keeps its own failure message, not the expectation's reason.
    if hasattr(report, "wasxfail") and report.skipped and _expectation(report) is None:
        return report.wasxfail or None
    longrepr = report.longrepr
    if longrepr is None:
        return None
    if isinstance(longrepr, tuple):  # a skip: (path, line, reason)
        return str(longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    lines = text.strip().splitlines()
    return lines[0][:500] if lines else None


class ResultsRecorder:
    """A pytest plugin object that gathers results and writes them at session end."""

    def __init__(self, config: pytest.Config, path: Path, impls: list[Implementation]) -> None:
        self.config = config
        self.path = path
        self.impls = impls
        self.started = _now()
        self.records: dict[str, _Record] = {}
        self.collection_errors: list[dict[str, str | None]] = []

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            text = str(report.longrepr).strip().splitlines()
            self.collection_errors.append(
                {"nodeid": report.nodeid, "message": text[-1] if text else None}
            )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        meta = dict(report.user_properties).get("conformance")
        if meta is None:  # not a conformance test (e.g. the harness's own tests)
            return
        record = self.records.get(report.nodeid)
        if record is None:
            record = self.records[report.nodeid] = _Record(
                nodeid=report.nodeid,
                implementation=meta["implementation"],
                test=meta["test"],
                spec=list(meta["spec"]),
                params=meta["params"],
            )
        outcome = _phase_outcome(report)
        expected = _expectation(report)
        if expected is not None:
            record.expectation = {k: expected.get(k) for k in ("status", "reason", "issue")}
        record.duration += report.duration
        if OUTCOMES.index(outcome) < OUTCOMES.index(record.outcome):
            record.outcome = outcome
            record.message = _short_message(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        complete = int(exitstatus) in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and not (
            session.shouldfail or session.shouldstop
        )
        results = [r.to_json() for r in self.records.values()]
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "header": self._header(),
            "results": results,
            "footer": {
                "complete": complete,
                "finished": _now(),
                "exitstatus": int(exitstatus),
                "collection_errors": self.collection_errors,
                "totals": dict(sorted(Counter(r["outcome"] for r in results).items())),
                "count": len(results),
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, self.path)  # readers never see a half-written file

    def _header(self) -> dict[str, Any]:
        workers = getattr(self.config.option, "numprocesses", None)
        return {
            "suite": {"name": "flask-conformance", "version": _version("flask-conformance")},
            "implementations": [impl.describe() for impl in self.impls],
            "python": {
                "version": platform.python_version(),
                "implementation": platform.python_implementation(),
            },
            "platform": platform.platform(),
            "dependencies": {
                name: _version(name)
                for name in ("werkzeug", "jinja2", "itsdangerous", "click", "blinker", "pytest")
            },
            "started": self.started,
            "argv": sys.argv[1:],
            "workers": workers if isinstance(workers, int) else None,
        }
