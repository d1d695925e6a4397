"""--expectations: known failures, stale and unknown entries, and the gate's exit status.

Each test runs the demo suite (reports/synthetic.py: one test passing everywhere,
two failing on shim, one skipped) against shim and flask in a pytester session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from conformance.cli import main as cli_main
from reports.synthetic import DEMO_SUITE, write_demo_catalog

FAILS_ON_SHIM = "test_demo.py::test_fails_on_shim[*]"


@dataclass
class Run:
    ret: int
    output: str
    results: list[dict[str, Any]]

    def outcomes(self) -> dict[str, str]:
        return {r["nodeid"].split("::")[1]: r["outcome"] for r in self.results}


@pytest.fixture
def run(pytester: pytest.Pytester):
    spec = write_demo_catalog(pytester.path / "spec")
    pytester.makepyfile(test_demo=DEMO_SUITE)

    def go(expectations: str | None, *args: str, subprocess: bool = False) -> Run:
        out = pytester.path / "results.json"
        out.unlink(missing_ok=True)
        argv = ["-p", "no:cacheprovider", "--impl=shim", "--impl=flask", f"--spec-dir={spec}",
                f"--conformance-json={out}", "-rA", *args]
        if expectations is not None:
            (pytester.path / "exp.toml").write_text(expectations)
            argv.append(f"--expectations={pytester.path / 'exp.toml'}")
        result = pytester.runpytest_subprocess(*argv) if subprocess else pytester.runpytest_inprocess(*argv)
        results = json.loads(out.read_text())["results"] if out.exists() else []
        return Run(int(result.ret), result.stdout.str() + result.stderr.str(), results)

    return go


def entry(pattern: str, status: str = "fail", key: str = "test", impl: str = "shim", reason: str = "known bug") -> str:
    return f'[[impl.{impl}]]\n{key} = "{pattern}"\nstatus = "{status}"\nreason = "{reason}"\n\n'


def test_without_expectations_a_failure_fails_the_run(run):
    assert run(None).ret == pytest.ExitCode.TESTS_FAILED


def test_an_expected_failure_that_fails_is_known_and_the_run_passes(run):
    r = run(entry(FAILS_ON_SHIM, reason="counts from zero"))
    assert r.ret == pytest.ExitCode.OK, r.output
    assert r.outcomes()["test_fails_on_shim[shim-1]"] == "known-fail"
    assert r.outcomes()["test_fails_on_shim[flask-1]"] == "passed"
    assert "XFAIL test_demo.py::test_fails_on_shim[shim-1] - known failure: counts from zero" in r.output
    assert "2 known-fail, 0 known-skip, 0 stale" in r.output
    record = next(x for x in r.results if x["outcome"] == "known-fail")
    assert record["message"] == "AssertionError: shim gets 1 wrong\nassert 'shim' != 'shim'".splitlines()[0]
    assert record["expectation"]["reason"] == "counts from zero"


@pytest.mark.parametrize(
    "pattern",
    [
        entry("test_demo.py::test_fails_on_shim[1]") + entry("test_demo.py::test_fails_on_shim[2]"),
        entry("test_demo.py::test_fails_on_shim[shim-1]") + entry("test_demo.py::test_fails_on_shim[shim-2]"),
        entry("test_demo.py::test_fails_on_shim[?]"),
        entry("demo.two", key="spec"),
        entry("demo.t*", key="spec"),
    ],
    ids=["test-ids", "node-ids", "glob", "spec-id", "spec-glob"],
)
def test_entries_match_by_test_id_node_id_spec_id_or_glob(run, pattern):
    r = run(pattern)
    assert r.ret == pytest.ExitCode.OK, r.output
    assert sorted(o for o in r.outcomes().values() if o == "known-fail") == ["known-fail"] * 2


def test_an_expected_failure_that_passes_is_stale_and_fails_the_run(run):
    r = run(entry(FAILS_ON_SHIM) + entry("test_demo.py::test_passes_everywhere"))
    assert r.ret == pytest.ExitCode.TESTS_FAILED
    assert r.outcomes()["test_passes_everywhere[shim]"] == "stale"
    assert "[stale expectation] passed, but exp.toml line 6: [[impl.shim]] #2" in r.output
    assert "STALE test_demo.py::test_passes_everywhere[shim]" in r.output


def test_a_flaky_entry_accepts_a_pass_and_a_failure(run):
    r = run(entry(FAILS_ON_SHIM, "flaky") + entry("test_demo.py::test_passes_everywhere", "flaky"))
    assert r.ret == pytest.ExitCode.OK, r.output
    assert r.outcomes()["test_passes_everywhere[shim]"] == "passed"
    assert r.outcomes()["test_fails_on_shim[shim-2]"] == "known-fail"


def test_a_skip_entry_does_not_run_the_test(run, pytester):
    pytester.makepyfile(
        test_side="""
        import pytest

        @pytest.mark.spec("demo.one")
        def test_writes(impl, tmp_path_factory):
            (tmp_path_factory.getbasetemp().parent / f"ran-{impl.name}").write_text("x")
        """
    )
    r = run(entry(FAILS_ON_SHIM) + entry("test_side.py::test_writes", "skip", reason="hangs"))
    assert r.ret == pytest.ExitCode.OK, r.output
    assert r.outcomes()["test_writes[shim]"] == "known-skip"
    assert r.outcomes()["test_writes[flask]"] == "passed"
    assert next(x for x in r.results if x["outcome"] == "known-skip")["message"] == "known skip: hangs"


def test_an_entry_matching_no_test_fails_the_run(run):
    r = run(entry(FAILS_ON_SHIM) + entry("test_demo.py::test_no_such_thing"))
    assert r.ret == pytest.ExitCode.TESTS_FAILED
    assert (
        "ERROR expectations exp.toml line 6: [[impl.shim]] #2 (test 'test_demo.py::test_no_such_thing') "
        "matches no test; fix the pattern or remove the entry"
    ) in r.output


def test_an_entry_for_a_test_deselected_with_k_is_not_unknown(run):
    r = run(entry(FAILS_ON_SHIM), "-k", "passes_everywhere")
    assert r.ret == pytest.ExitCode.OK, r.output


def test_entries_for_an_implementation_not_in_the_run_are_ignored(run):
    r = run(entry(FAILS_ON_SHIM) + entry("test_demo.py::nothing", impl="other"))
    assert r.ret == pytest.ExitCode.OK, r.output
    assert "note: entries for other ignored (not tested in this run)" in r.output


def test_entries_for_a_transport_not_in_the_run_are_not_unknown(run):
    # An expectations file may describe runs over several transports; a run over
    # fewer cannot tell those entries from typos, and must not call them unknown.
    over_http = entry("test_demo.py::test_no_such_thing") + 'transport = "http"\n\n'
    r = run(entry(FAILS_ON_SHIM) + over_http)
    assert r.ret == pytest.ExitCode.OK, r.output
    assert "matches no test" not in r.output


def test_an_unexpected_failure_still_fails_the_run(run):
    r = run(entry("test_demo.py::test_fails_on_shim[1]"))
    assert r.ret == pytest.ExitCode.TESTS_FAILED
    assert r.outcomes()["test_fails_on_shim[shim-2]"] == "failed"


def test_the_gate_works_under_xdist(run):
    r = run(entry(FAILS_ON_SHIM) + entry("test_demo.py::test_passes_everywhere") + entry("nope", key="spec"),
            "-n", "2", subprocess=True)
    assert r.ret == pytest.ExitCode.TESTS_FAILED
    assert r.outcomes()["test_fails_on_shim[shim-1]"] == "known-fail"
    assert r.outcomes()["test_passes_everywhere[shim]"] == "stale"
    assert "(spec 'nope') matches no test" in r.output
    # Known failures reach the controller as xfails: only the stale entry counts.
    assert "1 failed, 3 passed, 2 skipped, 2 xfailed" in r.output


def test_a_starting_file_from_a_run_makes_the_next_run_pass(run, pytester, capsys):
    first = run(None)
    assert first.ret == pytest.ExitCode.TESTS_FAILED
    target = pytester.path / "generated.toml"
    assert cli_main(["expectations", str(pytester.path / "results.json"), "-o", str(target)]) == 0
    again = run(target.read_text())
    assert again.ret == pytest.ExitCode.OK, again.output
    assert sorted(again.outcomes().values()).count("known-fail") == 2


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[impl.shim]]\ntest = "x"\nstatus = "fail"\n', "[[impl.shim]] #1: missing 'reason'"),
        ('[[impl.shim]]\ntest = "x"\nstatus = "broken"\nreason = "r"\n', "'status' must be one of fail, skip, flaky"),
        ('[[impl.shim]]\ntest = "x"\nspec = "y"\nstatus = "fail"\nreason = "r"\n', "give exactly one of 'test'"),
        ('[[impl.shim]]\ntest = "x"\nstatus = "fail"\nreason = "r"\nissues = "1"\n', "unknown key 'issues'"),
        ('[[impl.shim]]\ntest = "x"\nstatus = "fail"\nreason = ""\n', "'reason' must be a non-empty string"),
        ("[[impl.shim]\n", "invalid TOML"),
        ('[impl]\nshim = "x"\n', "impl.shim must be an array of tables"),
        ('[[shim]]\ntest = "x"\n', "unknown top-level key 'shim'"),
    ],
)
def test_a_malformed_file_is_a_usage_error_in_one_line(run, text, problem):
    r = run(text)
    assert r.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in r.output.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1 and problem in errors[0], r.output
    assert "Traceback" not in r.output


def test_a_missing_file_is_a_usage_error(pytester):
    pytester.makepyfile(test_demo=DEMO_SUITE)
    result = pytester.runpytest_inprocess("--expectations=nope.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "nope.toml: no such file" in result.stderr.str()


def test_a_run_of_some_shipped_suite_files_does_not_check_unmatched_entries(run_suite, tmp_path):
    exp = tmp_path / "exp.toml"
    exp.write_text(entry("conformance/suite/test_other_area.py::test_x", impl="flask"))
    r = run_suite("--impl=flask", f"--expectations={exp}", files=("test_url_for.py",))
    assert r.ret == pytest.ExitCode.OK, r.stdout[-2000:]
    assert "only part of the suite was collected, so unmatched entries were not checked" in r.stdout
