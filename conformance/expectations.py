"""``--expectations FILE``: run the suite against an implementation's known deviations.

Semantics follow web-platform-tests and the ConnectRPC conformance runner:

* an expected failure that fails is reported as known (outcome ``known-fail``,
  shown as ``x``) and does not fail the run;
* an expected failure (status ``fail``) that passes fails the run: the entry is
  stale (outcome ``stale``); ``flaky`` entries accept both;
* a timeout or a crash is a failure: ``fail`` and ``flaky`` entries cover it;
* ``skip`` entries skip the test without running it (outcome ``known-skip``);
* an entry that matches no collected test fails the run;
* any other failure fails the run as usual.

The file format is read by reports/expectations.py. Reports are rewritten where
the test runs (under xdist: in the worker), so the verdict travels with the report;
the controller checks that every entry matched something.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reports.expectations import Entry, ExpectationsError, find, load_expectations

from .plugin import SUITE_DIR
from .results import is_xdist_worker

#: Key of the per-worker summary sent to the xdist controller.
WORKER_OUTPUT = "conformance_expectations"
_ENTRY = pytest.StashKey[Entry | None]()


class ExpectationsPlugin:
    """A pytest plugin object applying one expectations file to a run."""

    def __init__(self, config: pytest.Config, path: Path, entries: list[Entry], impls: list[str]) -> None:
        self.config = config
        self.path = path
        self.entries = [e for e in entries if e.implementation in impls]
        #: Implementations the file mentions that this run does not test.
        self.ignored = sorted({e.implementation for e in entries} - set(impls))
        self.worker = is_xdist_worker(config)
        self.matched: set[int] = set()
        self.collected = False  # whether collection results reached this process
        self.partial = False
        self.modules: set[Path] = set()
        #: Transports the collected tests run over: an entry for another transport
        #: is for a different run, like an entry for an implementation not tested.
        self.transports: set[str] = set()
        self.verdicts: dict[str, list[str]] = {"known-fail": [], "known-skip": [], "stale": []}
        self.unmatched: list[Entry] = []

    @classmethod
    def from_config(cls, config: pytest.Config, impls: list[str]) -> ExpectationsPlugin:
        path = Path(config.option.conformance_expectations).resolve()
        # xdist workers get the options after configure: hand them the absolute path.
        config.option.conformance_expectations = str(path)
        try:
            entries = load_expectations(path)
        except ExpectationsError as exc:
            raise pytest.UsageError(f"--expectations: {exc}") from None
        return cls(config, path, entries, impls)

    # --- matching ---------------------------------------------------------

    def _entry_for(self, item: pytest.Item) -> Entry | None:
        if _ENTRY not in item.stash:
            meta = _meta(item.user_properties)
            item.stash[_ENTRY] = (
                _find(self.entries, meta, item.nodeid) if meta else None
            )
        return item.stash[_ENTRY]

    def _note_collected(self, items: list[pytest.Item]) -> None:
        self.modules.update(item.path for item in items)
        shipped = set(SUITE_DIR.glob("test_*.py"))
        # Running some files of the shipped suite (not all) cannot tell a typo
        # from an entry for a file left out, so unmatched entries are not checked.
        self.partial = bool(self.modules & shipped) and not shipped <= self.modules
        for item in items:
            meta = _meta(item.user_properties)
            if meta is None:
                continue
            if meta.get("transport"):
                self.transports.add(meta["transport"])
            for number, entry in enumerate(self.entries):
                if number not in self.matched and entry.implementation == (meta["implementation"] or "") and (
                    entry.matches(meta["test"], item.nodeid, meta["spec"], meta.get("transport"))
                ):
                    self.matched.add(number)

    # --- collection: what every entry matched -------------------------------

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        # -k/-m/--deselect narrow what runs, not what the file may name.
        self._note_collected(items)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._note_collected(session.items)
        self.collected = True
        if self.worker:
            self.config.workeroutput[WORKER_OUTPUT] = {  # type: ignore[attr-defined]
                "matched": sorted(self.matched),
                "partial": self.partial,
                "transports": sorted(self.transports),
            }

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        output = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
        if output is not None:
            self.matched.update(output["matched"])
            self.partial = self.partial or output["partial"]
            self.transports.update(output["transports"])
            self.collected = True

    # --- running: rewrite reports where the test runs -----------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        entry = self._entry_for(item)
        if entry is not None and entry.status == "skip":
            pytest.skip(f"known skip: {entry.reason}")

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
        report = yield
        entry = self._entry_for(item)
        if entry is not None:
            self._apply(report, entry)
        return report

    @pytest.hookimpl(optionalhook=True)
    def pytest_handlecrashitem(self, crashitem: str, report: pytest.TestReport, sched: Any) -> None:
        # The controller's report of a test whose worker died (conformance/guard.py
        # gave it the test's metadata): a "fail" or "flaky" entry knows it too.
        meta = _meta(report.user_properties)
        entry = _find(self.entries, meta, crashitem) if meta else None
        if entry is not None:
            self._apply(report, entry)

    def _apply(self, report: pytest.TestReport, entry: Entry) -> None:
        """Rewrite a report as the entry says: known failure, known skip or stale."""
        verdict = None
        if entry.status == "skip":
            verdict = "known-skip" if report.skipped else None
        elif report.failed:
            # The same shape as an xfail: not counted as a failure, shown as "x".
            report.outcome = "skipped"
            report.wasxfail = f"known failure: {entry.reason}"
            verdict = "known-fail"
        elif entry.status == "fail" and report.when == "call" and report.passed:
            report.outcome = "failed"
            report.longrepr = (
                f"[stale expectation] passed, but {self.path.name} {entry.label} expects it to fail; "
                "remove or narrow the entry"
            )
            verdict = "stale"
        # A plain dict attribute: pytest-xdist carries it to the controller.
        report.conformance_expectation = {**entry.to_json(), "verdict": verdict, "entry": entry.label}

    # --- controller: tally and the unmatched-entry check ----------------------

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        info = getattr(report, "conformance_expectation", None)
        if info and info.get("verdict") and not self.worker:
            self.verdicts[info["verdict"]].append(report.nodeid)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.worker or not self.collected or self.partial:
            return
        if int(exitstatus) not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            return
        self.unmatched = [
            e
            for n, e in enumerate(self.entries)
            if n not in self.matched and (e.transport is None or e.transport in self.transports)
        ]
        if self.unmatched:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.worker:
            return
        tr = terminalreporter
        counts = ", ".join(f"{len(v)} {k}" for k, v in self.verdicts.items())
        tr.section("flask-conformance expectations")
        tr.write_line(f"{self.path}: {len(self.entries)} entries in use; {counts}")
        for nodeid in self.verdicts["stale"]:
            tr.write_line(f"STALE {nodeid}: passes but is expected to fail; remove or narrow its entry")
        for entry in self.unmatched:
            tr.write_line(
                f"ERROR expectations {self.path.name} {entry.label} matches no test; "
                "fix the pattern or remove the entry"
            )
        if self.partial:
            tr.write_line("note: only part of the suite was collected, so unmatched entries were not checked")
        if self.ignored:
            tr.write_line(f"note: entries for {', '.join(self.ignored)} ignored (not tested in this run)")


def _find(entries: list[Entry], meta: dict[str, Any], nodeid: str) -> Entry | None:
    return find(entries, meta["implementation"] or "", meta["test"], nodeid, meta["spec"], meta.get("transport"))


def _meta(user_properties: list[tuple[str, object]]) -> dict[str, Any] | None:
    meta = dict(user_properties).get("conformance")
    return meta if isinstance(meta, dict) else None
