"""Fixtures for the harness's own tests: run the conformance suite in a pytester
session and read back its JSON results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reports.model import decode

#: tests/samples holds projects that tests run in sessions of their own
#: (tests/test_dropin.py); this run must not collect them. Said here, not in a
#: conftest.py of theirs: a second top-level ``conftest`` module would shadow this
#: one for the harness modules that import from it.
collect_ignore = ["samples"]

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parent
SUITE = REPO / "conformance" / "suite"


@dataclass
class SuiteRun:
    """The outcome of one pytester run of (part of) the suite."""

    ret: int
    stdout: str
    stderr: str
    document: dict[str, Any] | None

    @property
    def results(self) -> list[dict[str, Any]]:
        return self.document["results"] if self.document else []

    def failed_functions(self) -> set[str]:
        """Test functions (without parameters) with at least one failing result."""
        return {_function(r["nodeid"]) for r in self.results if r["outcome"] in ("failed", "error")}

    def passed_functions(self) -> set[str]:
        return {_function(r["nodeid"]) for r in self.results if r["outcome"] == "passed"}


def _function(nodeid: str) -> str:
    return nodeid.split("::")[-1].split("[")[0]


@pytest.fixture
def run_suite(pytester: pytest.Pytester) -> Callable[..., SuiteRun]:
    """Run suite files (names under conformance/suite) with extra pytest arguments."""
    pytester.syspathinsert(TESTS_DIR)  # makes broken.<name> importable as an implementation

    def run(*args: str, files: tuple[str, ...] = (), subprocess: bool = False, timeout: float | None = None) -> SuiteRun:
        out = pytester.path / "results.json"
        paths = [str(SUITE / f) for f in files] or [str(SUITE)]
        argv = ["-p", "no:cacheprovider", f"--conformance-json={out}", *args, *paths]
        if subprocess:  # bounded, when given a timeout: a run that hangs fails the test
            result = pytester.runpytest_subprocess(*argv, timeout=timeout)
        else:
            result = pytester.runpytest_inprocess(*argv)
        # A run that died leaves JSON Lines: read them as the document they amount to.
        document = decode(out.read_text(), str(out)) if out.exists() else None
        return SuiteRun(result.ret, result.stdout.str(), result.stderr.str(), document)

    return run
