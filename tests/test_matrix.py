"""``flask-conformance matrix`` on a fake runner: no environment is built and no
pip or pytest runs; the fake answers each step and writes synthetic results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conformance import cli
from conformance.catalog import default_spec_dir, load_catalog
from conformance.matrix import ERAS, Matrix, MatrixError, Runner, plan, requirements_for, suite_requirements
from reports.synthetic import document, result

CATALOG = load_catalog()


def test_the_suite_requirements_are_the_distributions_own():
    # Read from the installed metadata: everything the plugin imports (hypothesis for the
    # differential area, pytest-timeout, the transports' servers), the async and dotenv
    # extras, and neither Flask nor Werkzeug, which each environment pins itself.
    names = {re.split(r"[<>=!~; \\[]", r, maxsplit=1)[0].lower() for r in suite_requirements()}
    assert {"hypothesis", "pytest-timeout", "a2wsgi", "uvicorn", "asgiref", "python-dotenv", "jinja2"} <= names
    assert not names & {"flask", "werkzeug", "quart", "coverage", "playwright"}


def test_each_version_gets_the_werkzeug_of_its_era_and_the_suite():
    assert requirements_for("2.3.3") == ["flask==2.3.3", *ERAS["2.3"], *suite_requirements()]
    assert "werkzeug>=3.0.0,<3.1" in requirements_for("3.0.3")
    assert requirements_for("9.9.9") == ["flask==9.9.9", *suite_requirements()]  # an unknown era: pip decides


def test_the_plan_is_oldest_first_without_repeats(tmp_path):
    targets = plan(["3.1.3", "2.3.3", "3.0.3", "3.1.3"], tmp_path)
    assert [t.version for t in targets] == ["2.3.3", "3.0.3", "3.1.3"]
    assert targets[0].results == tmp_path / "results" / "flask-2.3.3.json"


@pytest.mark.parametrize(("versions", "problem"), [([], "no Flask version given"), (["three"], "--flask three")])
def test_a_bad_plan_is_refused(tmp_path, versions, problem):
    with pytest.raises(MatrixError, match=problem):
        plan(versions, tmp_path)


class FakeRunner(Runner):
    """Answers the matrix's commands the way pip, venv and pytest would."""

    def __init__(
        self, outcomes: dict[str, dict[str, str]] | None = None, pytest_exit: int | None = None, wheel_exit: int = 0
    ) -> None:
        self.commands: list[list[str]] = []
        self.outcomes = outcomes or {}
        self.pytest_exit = pytest_exit
        self.wheel_exit = wheel_exit

    def run(self, command, log, cwd=None):  # type: ignore[no-untyped-def]
        command = [str(c) for c in command]
        self.commands.append(command)
        if command[1:3] == ["-m", "venv"]:
            venv = Path(command[-1])
            (venv / "bin").mkdir(parents=True, exist_ok=True)
            (venv / "bin" / "python").write_text("")
            (venv / "lib" / "python3.11" / "site-packages").mkdir(parents=True, exist_ok=True)
        elif command[1:4] == ["-m", "pip", "wheel"]:
            if self.wheel_exit:
                return self.wheel_exit
            folder = Path(command[command.index("-w") + 1])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "flask_conformance-0.1.0-py3-none-any.whl").write_text("")
        elif command[1:3] == ["-m", "pytest"]:
            version = command[0].split("venv-flask-")[1].split("/")[0]
            if self.pytest_exit is not None:
                return self.pytest_exit
            out = Path(command[command.index("--conformance-json") + 1])
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(_results(version, self.outcomes.get(version, {}))))
            return 1 if "failed" in self.outcomes.get(version, {}).values() else 0
        return 0

    def steps(self, word: str) -> list[list[str]]:
        return [c for c in self.commands if word in c]


#: Tests and the spec entries they cite, with their outcome per version by default.
TESTS = {
    "t::vary": ("sessions.access-varies-on-cookie", {}),
    "t::env_file": ("cli.env-file", {}),
    "t::trusted": ("wrappers.trusted-hosts", {"2.3.3": "not-applicable", "3.0.3": "not-applicable"}),
    "t::redirect": ("redirect.default-code", {}),
}


def _results(version: str, overrides: dict[str, str]) -> dict:
    records = [
        result(test, "flask", overrides.get(test, by_version.get(version, "passed")), (spec_id,), "boom")
        for test, (spec_id, by_version) in TESTS.items()
    ]
    return document(records, [("flask", version)], conforms_to={"flask": version})


def _matrix(tmp_path, runner, versions=("2.3.3", "3.0.3", "3.1.3"), **kw) -> tuple[Matrix, list[str]]:
    said: list[str] = []
    matrix = Matrix(plan(list(versions), tmp_path), tmp_path, CATALOG, python="python3", runner=runner,
                    say=said.append, **kw)
    return matrix, said


def test_a_clean_matrix_writes_the_report_and_the_diffs(tmp_path):
    matrix, said = _matrix(tmp_path, FakeRunner())
    assert matrix.run() == 0
    assert said[-1].startswith("matrix OK: no unexplained failure (3 versions in")
    report = (tmp_path / "report.html").read_text()
    assert all(f"flask {v}" in report for v in ("2.3.3", "3.0.3", "3.1.3"))
    diff = (tmp_path / "diff-flask-3.0.3-to-flask-3.1.3.txt").read_text()
    for spec_id in ("sessions.access-varies-on-cookie", "routing.server-name-not-restrictive", "cli.env-file"):
        assert spec_id in diff
    assert "t::trusted" in diff and "not-applicable -> passed" in diff
    assert (tmp_path / "diff-flask-2.3.3-to-flask-3.0.3.md").exists()
    assert any(line.startswith("flask 2.3.3: 1 not-applicable, 3 passed; 2 passed on entries") for line in said)


def test_the_suite_runs_from_an_empty_folder_with_its_own_ini_and_stable_ids(tmp_path):
    runner = FakeRunner()
    _matrix(tmp_path, runner, versions=("3.1.3",))[0].run()
    (command,) = runner.steps("pytest")
    assert command[command.index("--pyargs") + 1] == "conformance.suite" and "--impl=flask" in command
    assert Path(command[command.index("-c") + 1]).read_text().startswith("[pytest]")
    assert command[command.index("--rootdir") + 1].endswith("site-packages")
    assert command[command.index("-n") + 1] == "2"


def test_environments_are_reused_until_their_requirements_change(tmp_path):
    first = FakeRunner()
    _matrix(tmp_path, first, versions=("3.1.3",))[0].run()
    assert len(first.steps("venv")) == 1 and len(first.steps("install")) == 2  # requirements, then the project
    again = FakeRunner()
    _matrix(tmp_path, again, versions=("3.1.3",))[0].run()
    assert again.steps("venv") == []
    assert len(again.steps("--force-reinstall")) == 1  # the project is always reinstalled
    rebuilt = FakeRunner()
    _matrix(tmp_path, rebuilt, versions=("3.1.3",), rebuild=True)[0].run()
    assert len(rebuilt.steps("venv")) == 1


def test_a_plain_failure_is_unexplained_and_fails_the_matrix(tmp_path):
    matrix, said = _matrix(tmp_path, FakeRunner({"3.0.3": {"t::redirect": "failed"}}))
    assert matrix.run() == 1
    assert "  UNEXPLAINED flask 3.0.3: t::redirect [redirect.default-code] failed: boom" in said
    assert said[-1].startswith("matrix FAILED")
    assert (tmp_path / "report.html").exists()  # the report still shows what happened


def test_a_run_that_does_not_finish_is_a_problem(tmp_path):
    matrix, said = _matrix(tmp_path, FakeRunner(pytest_exit=4), versions=("3.1.3",))
    assert matrix.run() == 1
    assert any("pytest exited 4" in line for line in said)


def test_a_project_that_does_not_build_stops_the_matrix(tmp_path):
    matrix, said = _matrix(tmp_path, FakeRunner(wheel_exit=1))
    assert matrix.run() == 1
    assert said[-1].startswith("matrix FAILED: could not build a wheel of")
    assert matrix.outcomes == []


def test_the_command_line_refuses_a_bad_version_in_one_line(capsys):
    assert cli.main(["matrix", "--flask", "three"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--flask three" in err


def test_the_surface_tool_is_a_subcommand(capsys):
    folder = default_spec_dir() / "surface"
    assert cli.main(["surface", "diff", str(folder / "flask-3.0.json"), str(folder / "flask-3.1.json")]) == 0
    assert capsys.readouterr().out.startswith("surface diff: flask 3.0.3 -> flask 3.1.3")
