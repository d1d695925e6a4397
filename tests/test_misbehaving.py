"""Implementations that crash, hang, exit, leak contexts or chatter (tests/broken/):
a crash is never a pass, a hang never stalls the run, a killed run keeps its results.

Every fault fires on a redirect with code 307, so a few tests of test_redirect.py
show it; each run is a bounded subprocess, serial and under ``-n 2``, and the
results file must hold the exact outcome of every test, the same in both modes.
"""

from __future__ import annotations

import contextvars
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reports.badge import score_badge
from reports.model import ResultsError, load_run, score

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parent
SUITE = REPO / "conformance" / "suite"

FILES = ("test_redirect.py",)
#: Seven tests: the six codes of one table, and an app's own redirect method (307).
SUBSET = ("-k", "test_redirect_uses_the_given_code or test_redirect_uses_an_overridden_app_redirect")
LIMIT = "--conformance-timeout=2"
GIVEN = "conformance/suite/test_redirect.py::test_redirect_uses_the_given_code"
OVERRIDDEN = "conformance/suite/test_redirect.py::test_redirect_uses_an_overridden_app_redirect"
CODES = (301, 302, 303, 305, 307, 308)
MODES = {"serial": (), "xdist": ("-n", "2")}


@pytest.fixture(autouse=True)
def _broken_importable(monkeypatch):
    # pytester's subprocesses see PYTHONPATH: make broken.<name> importable there.
    monkeypatch.setenv("PYTHONPATH", str(TESTS_DIR))


def _expected(fault: str | None) -> dict[str, str]:
    """Every test of the subset passes, except the two that redirect with 307."""
    outcomes = {f"{GIVEN}[{code}]": "passed" for code in CODES}
    outcomes[OVERRIDDEN] = "passed"
    if fault:
        outcomes[f"{GIVEN}[307]"] = outcomes[OVERRIDDEN] = fault
    return outcomes


# (implementation, outcome of the tests that redirect with 307)
CORPUS = [
    ("broken.hang_in_view", "timeout"),
    ("broken.hang_stubbornly", "timeout"),  # swallows the signal: the backstop ends the process
    ("broken.exit_in_view", "failed"),  # SystemExit is the test's failure, not the run's end
    ("broken.leaks_context", "failed"),  # the leak breaks only the test that leaks
    ("broken.chatty", None),
    ("broken.crash_in_view", "crashed"),
]


def _outcomes(run) -> dict[str, str]:
    return {r["test"]: r["outcome"] for r in run.results}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("implementation", "fault"), CORPUS, ids=[c[0] for c in CORPUS])
def test_misbehaviour_gets_its_exact_outcome(run_suite, implementation, fault, mode):
    run = run_suite(f"--impl={implementation}", LIMIT, *SUBSET, *MODES[mode], files=FILES, subprocess=True, timeout=90)
    expected = _expected(fault)
    got = _outcomes(run)
    ends_pytest = mode == "serial" and implementation in ("broken.crash_in_view", "broken.hang_stubbornly")
    if ends_pytest:
        # Without xdist the process dies with the test: every result before it is
        # kept, the test itself is recorded, and the file says the run is incomplete.
        assert run.ret != 0, run.stdout[-2000:]
        assert got == {t: expected[t] for t in got}
        assert got[f"{GIVEN}[307]"] == fault
        assert run.document["footer"]["complete"] is False
        assert run.document["footer"]["reason"]
    else:
        assert got == expected, run.stdout[-3000:]
        assert run.ret == (1 if fault else 0), run.stdout[-2000:]
        assert run.document["footer"]["complete"] is True
    if fault in ("timeout", "crashed"):
        assert f"1 {fault}" in run.stdout or f"2 {fault}" in run.stdout or ends_pytest, run.stdout[-2000:]


@pytest.mark.parametrize(
    ("implementation", "option", "expected"),
    [
        ("broken.crash_on_import", (), "loading it ended the Python process (exit status 3); its import crashes"),
        (
            "broken.hang_on_import",
            ("--conformance-load-timeout=2",),
            "loading it did not finish within 2 s (--conformance-load-timeout); its import hangs",
        ),
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_an_import_that_crashes_or_hangs_stops_the_run_with_one_line(run_suite, implementation, option, expected, mode):
    started = time.monotonic()
    run = run_suite(f"--impl={implementation}", *option, *MODES[mode], files=FILES, subprocess=True, timeout=60)
    assert run.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    assert errors == [f"ERROR: implementation {implementation!r}: {expected}"]
    assert time.monotonic() - started < 30


def test_a_known_failure_covers_a_crash(run_suite, tmp_path):
    expectations = tmp_path / "known.toml"
    expectations.write_text(
        '[[impl."broken.crash_in_view"]]\n'
        f'test = "{GIVEN}[307]"\nstatus = "fail"\nreason = "307 ends the process"\n\n'
        '[[impl."broken.crash_in_view"]]\n'
        f'test = "{OVERRIDDEN}"\nstatus = "flaky"\nreason = "307 ends the process"\n'
    )
    run = run_suite(
        "--impl=broken.crash_in_view", f"--expectations={expectations}", *SUBSET, "-n", "2",
        files=FILES, subprocess=True, timeout=90,
    )
    got = _outcomes(run)
    assert got == {**_expected(None), f"{GIVEN}[307]": "known-fail", OVERRIDDEN: "known-fail"}
    assert run.ret == 0, run.stdout[-2000:]


def test_a_partial_selection_says_so(run_suite, tmp_path):
    run = run_suite("--impl=shim", *SUBSET, files=FILES)
    selection = run.document["header"]["selection"]
    assert selection["narrowed_by"] == ["-k", "files"]
    assert selection["selected"] == 7 < selection["collected"]
    total = len(list(SUITE.glob("test_*.py")))
    assert selection["suite_files"] == [1, total]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(run.document))
    loaded = load_run(path)
    assert loaded.partial
    assert loaded.header.selection.text == f"partial selection: 7 of {selection['collected']} tests (-k; 1 of {total} suite files)"
    assert "100.0% (partial)" in score_badge(score(loaded.results), partial=loaded.partial)


# --- runs that die -------------------------------------------------------------------


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[bytes], Path, Path]:
    results, html = tmp_path / "results.json", tmp_path / "report.html"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS_DIR), str(REPO)])}
    command = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(SUITE / "test_redirect.py"),
        "--impl=broken.hang_in_view", "--conformance-timeout=60",
        f"--conformance-json={results}", f"--conformance-html={html}", *args,
    ]  # fmt: skip
    child = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return child, results, html


def _wait_for_results(path: Path, child: subprocess.Popen[bytes], count: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().count('{"result"') >= count:
            return
        time.sleep(0.2)
    child.kill()
    pytest.fail(f"the run wrote fewer than {count} results in 60 s")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance.cli", *args], capture_output=True, text=True, timeout=60, cwd=REPO
    )


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_killed_run_keeps_its_results(tmp_path, how):
    # hang_in_view with a 60 s limit: the run is stuck on the 307 test when it is stopped.
    child, results, html = _start(tmp_path)
    try:
        _wait_for_results(results, child, 4)
        time.sleep(0.5)
        child.send_signal(getattr(signal, how))
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    run = load_run(results, allow_incomplete=True)
    assert not run.complete
    assert len(run.results) >= 4
    if how == "SIGTERM":
        # Interrupted, not crashed: the test that was running is left out.
        assert {r.outcome for r in run.results} == {"passed"}
        assert run.footer.reason == "terminated by SIGTERM"
        assert "INCOMPLETE RUN" in html.read_text()
        assert "terminated by SIGTERM" in html.read_text()
    else:
        # Killed outright: the test that was running is all the file can blame.
        died = [(r.test, r.outcome) for r in run.results if r.outcome != "passed"]
        assert died == [(f"{GIVEN}[307]", "crashed")]
        assert run.footer.reason.startswith("the run died before it finished")
        assert "INCOMPLETE RUN" in html.read_text()  # the page written at the start says where the results are
    report = tmp_path / "out.html"
    done = _cli("report", str(results), "--allow-incomplete", "-o", str(report))
    assert done.returncode == 0, done.stderr
    assert "INCOMPLETE RUN" in report.read_text()
    for command in (["diff", str(results), str(results)], ["expectations", str(results), "-o", str(tmp_path / "e")]):
        refused = _cli(*command)
        assert refused.returncode == 2
        assert len(refused.stderr.strip().splitlines()) == 1
        assert "the run is incomplete" in refused.stderr
    with pytest.raises(ResultsError, match="incomplete"):
        load_run(results)


def test_a_context_left_pushed_does_not_reach_the_next_test(pytester):
    pytester.makepyfile(
        test_leak="""
def test_leaks(flask):
    flask.Flask("leaked").app_context().push()
    assert flask.has_app_context()

def test_the_next_test_starts_clean(flask):
    assert not flask.has_app_context()
"""
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--impl=shim", "--impl=flask")
    result.assert_outcomes(passed=4)
    # Without the guard the leaked context decides the next test. (Run in a context
    # of its own, so the leak stays out of this process's later tests.)
    unguarded = contextvars.Context().run(
        pytester.runpytest_inprocess, "-p", "no:cacheprovider", "--impl=shim", "--impl=flask", "-p", "no:conformance-guard"
    )
    unguarded.assert_outcomes(passed=2, failed=2)


def test_an_environment_variable_a_test_sets_does_not_reach_the_next_test(pytester, monkeypatch):
    # FlaskGroup.make_context sets FLASK_RUN_FROM_CLI for good, which makes a later
    # test's app.run() a silent no-op.
    monkeypatch.delenv("CONFORMANCE_LEAK", raising=False)
    pytester.makepyfile(
        test_leak="""
import os

def test_sets(flask):
    os.environ["CONFORMANCE_LEAK"] = "yes"

def test_the_next_test_starts_clean(flask):
    assert "CONFORMANCE_LEAK" not in os.environ
"""
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--impl=shim")
    result.assert_outcomes(passed=2)
    assert "CONFORMANCE_LEAK" not in os.environ
    # Without the guard the variable decides the next test (monkeypatch removes it after).
    unguarded = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--impl=shim", "-p", "no:conformance-guard")
    unguarded.assert_outcomes(passed=1, failed=1)


def test_a_failure_pytest_cannot_format_is_still_a_failure(pytester):
    # CPython 3.11 can raise SystemError from ast.parse while pytest renders a
    # traceback (seen with Quart, whose threads parse source too); unhandled, that
    # internal error ended the xdist worker's whole session. Simulated here.
    pytester.makeconftest(
        """
import _pytest._code.code as code

def refuse(self, *args, **kwargs):
    raise SystemError("AST constructor recursion depth mismatch (simulated)")

code.ExceptionInfo.getrepr = refuse
"""
    )
    pytester.makepyfile(
        test_format="""
def test_fails(flask):
    assert flask.redirect("/x").status_code == 399

def test_passes(flask):
    assert flask.redirect("/x").status_code == 302
"""
    )
    out = pytester.path / "results.json"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--impl=shim", "-n", "2", f"--conformance-json={out}")
    result.assert_outcomes(passed=1, failed=1)
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    assert "pytest could not format this failure: SystemError" in result.stdout.str()
