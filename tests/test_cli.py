"""The flask-conformance command: each subcommand, its exit codes and its one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conformance.cli import main
from conftest import TESTS_DIR
from reports.synthetic import document, result, write_demo_catalog

T = "suite/test_demo.py::test_x"


@pytest.fixture
def write(tmp_path):
    def make(name: str, results, impls=(("shim", "0.1.0"), ("flask", "3.1.3")), **kw) -> str:
        path = tmp_path / name
        path.write_text(json.dumps(document(results, impls, **kw)))
        return str(path)

    return make


@pytest.fixture
def spec_dir(tmp_path):
    return str(write_demo_catalog(tmp_path / "spec"))


def one_error_line(capsys, *fragments: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("flask-conformance: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


# --- report ---------------------------------------------------------------------------


def test_report_writes_one_html_file_for_several_runs(write, spec_dir, tmp_path, capsys):
    a = write("a.json", [result(T, "shim", "failed", ("demo.one",), "boom")], (("shim", "1"),))
    b = write("b.json", [result(T, "flask", "passed", ("demo.one",))], (("flask", "3.1.3"),))
    out = tmp_path / "out" / "report.html"
    assert main(["report", a, b, "-o", str(out), "--spec-dir", spec_dir, "--title", "Nightly"]) == 0
    html = out.read_text()
    assert "<title>Nightly</title>" in html and "Matrix: tests by implementation" in html
    assert 'data-testid="score-c0">0.0%<' in html and 'data-testid="score-c1">100.0%<' in html


def test_report_summary_prints_a_markdown_score_table(write, spec_dir, tmp_path, capsys):
    path = write("r.json", [result(T, "shim"), result(T, "flask", "failed")])
    assert main(["report", path, "-o", str(tmp_path / "r.html"), "--spec-dir", spec_dir, "--summary"]) == 0
    out = capsys.readouterr().out
    assert "| shim | 100.0% | 1 | 1 | 0 |" in out and "| flask | 0.0% | 0 | 1 | 0 |" in out


def test_report_refuses_an_incomplete_run_unless_allowed(write, spec_dir, tmp_path, capsys):
    path = write("r.json", [result(T)], complete=False)
    out = tmp_path / "r.html"
    assert main(["report", path, "-o", str(out), "--spec-dir", spec_dir]) == 2
    one_error_line(capsys, "r.json: the run is incomplete", "--allow-incomplete")
    assert not out.exists()
    assert main(["report", path, "-o", str(out), "--spec-dir", spec_dir, "--allow-incomplete"]) == 0
    assert "INCOMPLETE RUN" in out.read_text()


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["report"], ["the following arguments are required: RESULTS.json, -o/--output", "--help"]),
        (["report", "{good}"], ["required: -o/--output"]),
        (["report", "{tmp}/missing.json", "-o", "{tmp}/x.html"], ["missing.json: no such file"]),
        (["report", "{bad}", "-o", "{tmp}/x.html"], ["bad.json: not JSON"]),
        (["report", "{good}", "-o", "{tmp}/x.html", "--spec-dir", "{tmp}"], ["no documents.toml here"]),
        (["report", "{good}", "-o", "{good}/x.html", "--spec-dir", "{spec}"], ["cannot write", "pick a writable path"]),
        (["bogus"], ["invalid choice: 'bogus'"]),
        ([], ["required: COMMAND"]),
        (["diff", "{good}"], ["required: HEAD.json"]),
        (["diff", "{good}", "{good}", "--format", "xml"], ["invalid choice: 'xml'"]),
        (["badge", "{good}", "-o", "{tmp}/b.svg"], ["holds 2 implementations (shim, flask); pick one with --impl"]),
        (["badge", "{good}", "-o", "{tmp}/b.svg", "--impl", "nope"], ["'nope' is not in", "it has: shim, flask"]),
        (["expectations", "{good}", "-o", "{good}"], ["exists; pass --force"]),
        (["expectations", "{good}", "-o", "{tmp}/e.toml", "--impl", "x"], ["'x' is not in"]),
        (["smoke"], ["required: --impl"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(write, spec_dir, tmp_path, capsys, argv, fragments):
    good = write("good.json", [result(T)])
    (tmp_path / "bad.json").write_text("{")
    values = {"good": good, "bad": str(tmp_path / "bad.json"), "tmp": str(tmp_path), "spec": spec_dir}
    assert main([a.format(**values) for a in argv]) == 2
    one_error_line(capsys, *fragments)


def test_the_console_script_prints_no_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")],
        capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "a.json: no such file" in done.stderr


# --- diff -------------------------------------------------------------------------------


def test_diff_exits_1_on_a_regression_and_lists_it(write, capsys):
    base = write("base.json", [result(T, "shim", "passed", ("demo.one",)), result(f"{T}2", "shim", "failed")])
    head = write("head.json", [result(T, "shim", "failed", ("demo.one",), "now broken"), result(f"{T}2", "shim")])
    assert main(["diff", base, head]) == 1
    out = capsys.readouterr().out
    assert f"shim  {T} [demo.one]  passed -> failed" in out and "Fixed: 1" in out
    assert out.rstrip().endswith("REGRESSION: 1 newly failing")


def test_diff_exits_0_without_a_regression(write, tmp_path, capsys):
    base = write("base.json", [result(T, "shim", "failed")])
    head = write("head.json", [result(T, "shim", "passed"), result(f"{T}2", "flask", "failed")])
    out = tmp_path / "summary.md"
    assert main(["diff", base, head, "--format", "markdown", "-o", str(out)]) == 0
    text = out.read_text()
    assert "**OK: no newly failing tests**" in text and "| Added | 1 |" in text


def test_diff_refuses_an_incomplete_run_with_exit_2(write, capsys):
    base = write("base.json", [result(T)])
    head = write("head.json", [result(T, "shim", "failed")], complete=False)
    assert main(["diff", base, head]) == 2
    one_error_line(capsys, "head.json: the run is incomplete")


# --- expectations and badge --------------------------------------------------------------


def test_expectations_writes_a_starting_file(write, tmp_path, capsys):
    path = write("r.json", [result(T, "shim", "failed", message="boom"), result(T, "flask")])
    out = tmp_path / "exp.toml"
    assert main(["expectations", path, "-o", str(out)]) == 0
    assert '[[impl.shim]]\ntest = "suite/test_demo.py::test_x"\nstatus = "fail"' in out.read_text()
    assert main(["expectations", path, "-o", str(out), "--force"]) == 0


def test_badge_writes_the_score_of_the_only_or_named_implementation(write, tmp_path, capsys):
    single = write("one.json", [result(T, "shim"), result(f"{T}2", "shim", "failed")], (("shim", "1"),))
    out = tmp_path / "badge.svg"
    assert main(["badge", single, "-o", str(out)]) == 0
    assert ">50.0%</text>" in out.read_text()
    both = write("both.json", [result(T, "shim"), result(T, "flask", "failed")])
    assert main(["badge", both, "-o", str(out), "--impl", "flask", "--label", "flask 3.1"]) == 0
    assert ">0.0%</text>" in out.read_text() and ">flask 3.1</text>" in out.read_text()


# --- smoke --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["shim", "flask"])
def test_smoke_passes_on_the_registered_implementations(name, capsys):
    assert main(["smoke", "--impl", name]) == 0
    out = capsys.readouterr().out
    assert f"smoke {name}: serve one request: ok (GET / -> 200 OK" in out
    assert f"smoke {name}: OK in " in out


@pytest.fixture
def impl_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(TESTS_DIR))  # tests/broken/*
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    ("name", "source", "problem"),
    [
        ("nosuchthing", None, "load the implementation: FAILED: unknown implementation 'nosuchthing'"),
        ("broken.fails_on_import", None, "load the implementation: FAILED: implementation 'broken.fails_on_import': "
         "cannot import 'broken.fails_on_import': ImportError"),
        ("smoke_noclass", "x = 1\n", "build an app and a route: FAILED: module 'smoke_noclass' has no Flask class"),
        ("smoke_badroute", "class Flask:\n    def __init__(self, name):\n        self.config = {}\n"
         "    def route(self, rule):\n        raise NotImplementedError('routing')\n",
         "build an app and a route: FAILED: NotImplementedError: routing"),
        ("smoke_wrongbody", "from shim import *\nfrom shim import Flask as _F\n"
         "class Flask(_F):\n    def make_response(self, rv):\n        return super().make_response('nope')\n",
         "serve one request: FAILED: GET / answered '200 OK' with body b'nope'; expected 200"),
    ],
)
def test_smoke_says_which_step_fails_and_why(impl_dir, capsys, name, source, problem):
    if source is not None:
        (impl_dir / f"{name}.py").write_text(source)
    assert main(["smoke", "--impl", name]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"smoke {name}: ") and problem in err[0], err
