"""Write a run's results (``--conformance-json``) so that they survive the run's death.

While the run goes on, the file holds JSON Lines, appended and flushed as each
result finishes (the forms are described in reports/model.py): a run killed
with SIGKILL, or a pytest that crashed, leaves every finished result readable
(``flask-conformance report PATH --allow-incomplete``). SIGTERM and Ctrl-C write a
footer saying why the run stopped. When the session ends, the file is replaced,
atomically, by one JSON document (header, one record per test, footer whose
``complete`` flag says the run finished), as ``reports/results.schema.json``
describes. Under pytest-xdist only the controller writes: workers' reports reach
it through ``pytest_runtest_logreport``, so every result appears exactly once.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from reports.model import FORMAT, FORMAT_VERSION, OUTCOMES

from .implementations import Implementation

__all__ = ["FORMAT", "FORMAT_VERSION", "OUTCOMES", "ResultsRecorder", "is_xdist_worker"]


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
    transport: str | None = None
    outcome: str = "passed"
    duration: float = 0.0
    message: str | None = None
    #: The matching --expectations entry: status, reason, issue.
    expectation: dict[str, str | None] | None = None
    #: For a not-applicable result: the capability the implementation lacks.
    capability: str | None = None

    @classmethod
    def from_meta(cls, nodeid: str, meta: dict[str, Any]) -> _Record:
        return cls(
            nodeid=nodeid,
            implementation=meta["implementation"],
            test=meta["test"],
            spec=list(meta["spec"]),
            params=meta["params"],
            transport=meta.get("transport"),
        )

    def identity(self) -> dict[str, Any]:
        """What a "started" line says: the test, before any outcome."""
        return {
            "nodeid": self.nodeid,
            "test": self.test,
            "implementation": self.implementation,
            "transport": self.transport,
            "spec": self.spec,
            "params": self.params,
            "expectation": None,
            "capability": None,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **self.identity(),
            "outcome": self.outcome,
            "duration": round(self.duration, 6),
            "message": self.message,
            "expectation": self.expectation,
            "capability": self.capability,
        }


def _expectation(report: pytest.TestReport) -> dict[str, Any] | None:
    """What conformance/expectations.py attached to the report (survives xdist)."""
    return getattr(report, "conformance_expectation", None)


def _phase_outcome(report: pytest.TestReport) -> str:
    verdict = (_expectation(report) or {}).get("verdict")
    if verdict:
        return str(verdict)
    broke = getattr(report, "conformance_outcome", None)  # "timeout" or "crashed" (conformance/guard.py)
    if broke and report.failed:
        return str(broke)
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    if report.skipped and getattr(report, "conformance_not_applicable", None):
        return "not-applicable"
    if report.failed:
        return "failed" if report.when == "call" else "error"
    return report.outcome


def short_message(report: pytest.TestReport) -> str | None:
    """The first line of a report's failure, skip reason or xfail reason."""
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
    """A pytest plugin object that appends results as they finish and writes the
    final document when the session ends."""

    def __init__(self, config: pytest.Config, path: Path, impls: list[Implementation]) -> None:
        self.config = config
        self.path = path
        self.impls = impls
        self.started = _now()
        self.records: dict[str, _Record] = {}
        #: Node ids whose result is final (their teardown ran, or their process died).
        self.finished: set[str] = set()
        self.collection_errors: list[dict[str, str | None]] = []
        self.selection: dict[str, Any] | None = None
        #: Why the run stopped early, when a signal stopped it.
        self.reason: str | None = None
        # The time-limit backstop writes from its own thread; reentrant for the SIGTERM handler.
        self._lock = threading.RLock()
        self._fd: int | None = None
        self._previous_sigterm: Any = None

    # --- the live file: JSON Lines ------------------------------------------

    def _append(self, item: dict[str, Any]) -> None:
        line = (json.dumps(item, separators=(",", ":")) + "\n").encode("utf-8")
        with self._lock:
            if self._fd is not None:
                os.write(self._fd, line)  # one write per line, straight to the OS: survives SIGKILL

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        self._append({"format": FORMAT, "format_version": FORMAT_VERSION, "header": self._header()})
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
            self._previous_sigterm = signal.signal(signal.SIGTERM, self._on_sigterm)

    def _on_sigterm(self, signum: int, frame: object) -> None:
        # The footer goes out first, in case the shutdown that follows hangs and
        # the run is killed outright; pytest then ends the session as for Ctrl-C.
        self.reason = "terminated by SIGTERM"
        self._append({"footer": self._footer(pytest.ExitCode.INTERRUPTED, complete=False)})
        raise KeyboardInterrupt("SIGTERM")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            text = str(report.longrepr).strip().splitlines()
            self.collection_errors.append(
                {"nodeid": report.nodeid, "message": text[-1] if text else None}
            )

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        selection = self.config.stash.get(SELECTION, None)
        if selection is not None and self.selection is None:
            self.selection = selection
            self._append({"selection": selection})

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        # Serial runs only (xdist workers have no recorder): if the test takes
        # pytest down, this line is how the file tells that it crashed.
        meta = dict(item.user_properties).get("conformance")
        if meta is not None:
            self._append({"started": _Record.from_meta(item.nodeid, meta).identity()})

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        selection = getattr(report, "conformance_selection", None)
        if selection is not None and self.selection is None:
            self.selection = selection
            self._append({"selection": selection})
        meta = dict(report.user_properties).get("conformance")
        record = self.records.get(report.nodeid)
        if record is None:
            if meta is None:  # not a conformance test (e.g. the harness's own tests)
                return
            record = self.records[report.nodeid] = _Record.from_meta(report.nodeid, meta)
        outcome = _phase_outcome(report)
        expected = _expectation(report)
        if expected is not None:
            record.expectation = {k: expected.get(k) for k in ("status", "reason", "issue")}
        capability = getattr(report, "conformance_missing_capability", None)
        if capability and outcome == "not-applicable":
            record.capability = str(capability)
        record.duration += report.duration
        if OUTCOMES.index(outcome) < OUTCOMES.index(record.outcome):
            record.outcome = outcome
            record.message = short_message(report)
        # The last phase, or the report of a process that died during the test.
        if report.when not in ("setup", "call"):
            self.finished.add(report.nodeid)
            self._append({"result": record.to_json()})

    def record_death(self, item: pytest.Item, outcome: str, message: str, reason: str) -> None:
        """The process is about to end in the middle of ``item`` (conformance/guard.py's
        backstop): record the test's outcome and a footer saying why."""
        meta = dict(item.user_properties).get("conformance")
        if meta is not None:
            record = self.records.setdefault(item.nodeid, _Record.from_meta(item.nodeid, meta))
            record.outcome, record.message = outcome, message
            self.finished.add(item.nodeid)
            self._append({"result": record.to_json()})
        self.reason = reason
        self._append({"footer": self._footer(pytest.ExitCode.INTERNAL_ERROR, complete=False)})

    # --- the end: one JSON document -----------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        if self.selection is None:
            self.selection = self.config.stash.get(SELECTION, None)
        complete = int(exitstatus) in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and not (
            session.shouldfail or session.shouldstop
        )
        if self.reason is None:
            self.reason = self._why_incomplete(session, exitstatus)
        complete = complete and self.reason is None
        header = self._header()
        results = [r.to_json() for n, r in self.records.items() if n in self.finished]
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "header": header,
            "results": results,
            "footer": {**self._footer(exitstatus, complete=complete), "totals": _totals(results), "count": len(results)},
        }
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            partial = self.path.with_name(self.path.name + ".partial")
            partial.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
            os.replace(partial, self.path)  # readers never see a half-written file

    def _why_incomplete(self, session: pytest.Session, exitstatus: int | pytest.ExitCode) -> str | None:
        status = int(exitstatus)
        if status == pytest.ExitCode.INTERRUPTED:
            return "interrupted (Ctrl-C)"
        if status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            return f"pytest ended with exit status {status}"
        if session.shouldfail or session.shouldstop:
            return f"stopped early: {session.shouldfail or session.shouldstop}"
        selected = (self.selection or {}).get("selected")
        missing = selected - len(self.finished) if isinstance(selected, int) else 0
        if missing > 0:
            why = " (xdist stopped replacing crashed workers: see --max-worker-restart)" if self._xdist else ""
            return f"{missing} of {selected} selected tests have no result{why}"
        return None

    @property
    def _xdist(self) -> bool:
        return bool(getattr(self.config.option, "numprocesses", None))

    def _footer(self, exitstatus: int | pytest.ExitCode, *, complete: bool) -> dict[str, Any]:
        return {
            "complete": complete,
            "finished": _now(),
            "exitstatus": int(exitstatus),
            "collection_errors": list(self.collection_errors),
            "reason": None if complete else self.reason,
        }

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
            "selection": self.selection,
        }


def _totals(results: list[dict[str, Any]]) -> dict[str, int]:
    return dict(sorted(Counter(r["outcome"] for r in results).items()))


#: What the run selected to run (conformance/guard.py fills it where tests are collected).
SELECTION = pytest.StashKey[dict[str, Any]]()
