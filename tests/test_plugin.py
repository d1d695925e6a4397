"""The --impl plugin: resolution, parametrization, linting, and its error lines."""

from __future__ import annotations

import re

import pytest
from conftest import TESTS_DIR

USES_FLASK = """
import pytest

@pytest.mark.parametrize("code", [301, 302])
def test_redirect(flask, code):
    assert flask.redirect("/x", code).status_code == code
"""


def _error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("ERROR")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nosuchthing", "unknown implementation 'nosuchthing'"),
        ("no-such-thing", "unknown implementation 'no-such-thing'"),
        ("nosuch.module.path", "unknown implementation 'nosuch.module.path'"),
        ("broken.fails_on_import", "cannot import 'broken.fails_on_import': ImportError: No module named 'werkzeug_extras'"),
    ],
)
def test_bad_impl_is_a_usage_error_in_one_line(pytester, monkeypatch, name, expected):
    monkeypatch.setenv("PYTHONPATH", str(TESTS_DIR))  # broken.* for the subprocess
    pytester.makepyfile(test_x=USES_FLASK)
    result = pytester.runpytest_subprocess(f"--impl={name}", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = _error_lines(result.stderr.str())
    assert len(errors) == 1, result.stderr.str()
    assert expected in errors[0]
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


def test_unknown_impl_lists_the_known_names(pytester):
    pytester.makepyfile(test_x=USES_FLASK)
    result = pytester.runpytest_inprocess("--impl=nosuchthing")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert re.search(r"known names: .*flask.*shim", result.stderr.str())


def test_each_impl_gets_its_own_test_ids(pytester):
    pytester.makepyfile(test_x=USES_FLASK)
    result = pytester.runpytest_inprocess("--impl=shim", "--impl=flask", "--collect-only", "-q")
    ids = [line for line in result.stdout.lines if "::" in line]
    assert ids == [
        "test_x.py::test_redirect[shim-301]",
        "test_x.py::test_redirect[shim-302]",
        "test_x.py::test_redirect[flask-301]",
        "test_x.py::test_redirect[flask-302]",
    ]


def test_each_impl_gets_its_own_copy_of_a_mutable_table_row(pytester):
    # A row consumed by one implementation's run (click's parser pops the argument
    # list it is handed) must reach the next implementation whole.
    pytester.makepyfile(
        test_x="""
import pytest

@pytest.mark.parametrize("args", [["--cert", "adhoc"]])
@pytest.mark.parametrize("options", [{"a": [1]}])
def test_it(impl, args, options):
    assert args == ["--cert", "adhoc"] and options == {"a": [1]}
    args.clear()
    options["a"].pop()
"""
    )
    result = pytester.runpytest_inprocess("--impl=shim", "--impl=flask", "-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_repeated_impl_names_run_once(pytester):
    pytester.makepyfile(test_x=USES_FLASK)
    result = pytester.runpytest_inprocess("--impl=shim", "--impl=shim")
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("ini", "expected"),
    [
        ("[pytest]\nconformance_impls = flask\n", ["flask"]),
        ("[pytest]\nconformance_impls = flask shim\n", ["flask", "shim"]),
        ("[pytest]\n", ["shim"]),
    ],
)
def test_default_impls_come_from_the_ini_then_shim(pytester, ini, expected):
    pytester.makeini(ini)
    pytester.makepyfile(test_x="def test_it(impl):\n    pass\n")
    result = pytester.runpytest_inprocess("--collect-only", "-q")
    assert [line.split("[")[1].rstrip("]") for line in result.stdout.lines if "::" in line] == expected


def test_impl_option_overrides_the_ini(pytester):
    pytester.makeini("[pytest]\nconformance_impls = flask\n")
    pytester.makepyfile(test_x="def test_it(impl):\n    pass\n")
    result = pytester.runpytest_inprocess("--impl=shim", "--collect-only", "-q")
    assert "test_x.py::test_it[shim]" in result.stdout.lines


def test_report_header_names_each_impl_and_version(pytester):
    pytester.makepyfile(test_x="def test_it(impl):\n    pass\n")
    result = pytester.runpytest_inprocess("--impl=shim", "--impl=flask")
    header = [line for line in result.stdout.lines if line.startswith("flask-conformance implementations:")]
    assert re.fullmatch(r"flask-conformance implementations: shim \S+, flask 3\.1\.\d+", header[0])


def test_impl_record_exposes_submodules_by_flask_name(pytester):
    pytester.makepyfile(
        test_x="""
def test_it(impl, submodule):
    assert submodule("json.provider").__name__ == impl.module + ".json.provider"
"""
    )
    pytester.runpytest_inprocess("--impl=shim", "--impl=flask").assert_outcomes(passed=2)


def test_a_missing_submodule_fails_only_that_test(pytester):
    pytester.makepyfile(
        test_x="""
def test_missing(submodule):
    submodule("no_such_part")

def test_fine(flask):
    assert flask.Flask
"""
    )
    result = pytester.runpytest_inprocess("--impl=shim")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*implementation 'shim' (flask.no_such_part): cannot import 'shim.no_such_part'*"])


def test_an_attribute_error_inside_the_implementation_keeps_its_traceback(pytester):
    pytester.makepyfile(
        test_x="""
def test_bug(app):
    del app.view_functions  # the implementation's own code now trips over it
    app.add_url_rule("/", "index", lambda: "")
"""
    )
    result = pytester.runpytest_inprocess("--impl=shim")
    result.assert_outcomes(failed=1)
    assert "lacks" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*AttributeError*view_functions*"])


LINT_CASES = [
    ("def test_x(flask):\n    pass\n", "cites no spec entry"),
    ('import pytest\n@pytest.mark.spec("url-for.nope")\ndef test_x(flask):\n    pass\n', "unknown spec id 'url-for.nope'"),
    ('import pytest\n@pytest.mark.spec("url-for.anchor")\ndef test_x():\n    pass\n', "does not use the implementation"),
]


@pytest.mark.parametrize(("source", "problem"), LINT_CASES)
def test_suite_tests_with_bad_metadata_fail_with_one_line(pytester, monkeypatch, source, problem):
    from conformance import plugin

    # Pretend the pytester folder is the suite, where every test is linted.
    monkeypatch.setattr(plugin, "SUITE_DIR", pytester.path)
    pytester.makepyfile(test_lint=source)
    result = pytester.runpytest_inprocess("--impl=shim")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"*{problem}*"])


def test_user_tests_outside_the_suite_need_no_spec(pytester):
    pytester.makepyfile(test_mine="def test_mine(flask):\n    assert flask.Flask\n")
    pytester.runpytest_inprocess("--impl=shim").assert_outcomes(passed=1)


def test_a_broken_catalog_is_a_usage_error_naming_file_and_line(pytester):
    spec_dir = pytester.mkdir("myspec")
    (spec_dir / "documents.toml").write_text('[documents.S0]\ntitle = "x"\n')
    (spec_dir / "area.toml").write_text('[area]\nid = "a"\ntitle = "A"\n\n[[entry]]\nid = "a.b"\nsummary = \n')
    pytester.makepyfile(test_x='import pytest\n@pytest.mark.spec("a.b")\ndef test_x(flask):\n    pass\n')
    result = pytester.runpytest_inprocess("--impl=shim", f"--spec-dir={spec_dir}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = _error_lines(result.stderr.str())
    assert len(errors) == 1
    assert errors[0].startswith("ERROR: spec catalog: myspec/area.toml:7: invalid TOML")


def test_results_json_records_every_result_with_a_complete_footer(run_suite):
    run = run_suite("--impl=shim", "--impl=flask", files=("test_redirect.py",))
    doc = run.document
    assert doc["format"] == "flask-conformance-results"
    assert [i["name"] for i in doc["header"]["implementations"]] == ["shim", "flask"]
    assert doc["footer"]["complete"] is True
    assert doc["footer"]["count"] == len(doc["results"]) == sum(doc["footer"]["totals"].values())
    record = next(r for r in doc["results"] if r["nodeid"].endswith("test_redirect_uses_the_given_code[flask-308]"))
    assert record["test"].endswith("test_redirect_uses_the_given_code[308]")
    assert record["implementation"] == "flask"
    assert record["spec"] == ["redirect.code"]
    assert record["params"] == {"code": 308}
    assert record["outcome"] == "passed"


def test_an_interrupted_run_is_marked_incomplete(run_suite):
    run = run_suite("--impl=broken.redirect_ignores_code", "-x", files=("test_redirect.py",))
    assert run.document["footer"]["complete"] is False


def test_results_under_xdist_appear_exactly_once(run_suite):
    run = run_suite("--impl=shim", "--impl=flask", "-n", "2", subprocess=True)
    assert run.ret == 0, run.stdout[-2000:]
    nodeids = [r["nodeid"] for r in run.results]
    assert len(nodeids) == len(set(nodeids))
    # Every result the terminal counts is in the file, once: passed and not applicable.
    shown = {word: int(n) for n, word in re.findall(r"(\d+) (passed|not applicable)", run.stdout)}
    outcomes = [r["outcome"] for r in run.results]
    assert shown.get("passed") == outcomes.count("passed")
    assert shown.get("not applicable", 0) == outcomes.count("not-applicable")
    assert len(nodeids) == outcomes.count("passed") + outcomes.count("not-applicable")
    assert run.document["footer"]["complete"] is True
    per_test: dict[str, set[str]] = {}
    for r in run.results:
        per_test.setdefault(r["test"], set()).add(r["implementation"])
    singles, pairs = {"shim", "flask"}, {"shim-to-shim", "shim-to-flask", "flask-to-shim", "flask-to-flask"}
    assert all(impls in (singles, pairs) for impls in per_test.values())
    assert any(impls == pairs for impls in per_test.values())


def test_impl_pair_runs_every_ordered_pair(pytester):
    pytester.makepyfile(
        test_x="""
def test_pair(impl_pair):
    assert impl_pair.first.load() and impl_pair.second.load()
"""
    )
    result = pytester.runpytest_inprocess("--impl=shim", "--impl=flask", "--collect-only", "-q")
    ids = sorted(line for line in result.stdout.lines if "::" in line)
    assert ids == [
        "test_x.py::test_pair[flask-to-flask]",
        "test_x.py::test_pair[flask-to-shim]",
        "test_x.py::test_pair[shim-to-flask]",
        "test_x.py::test_pair[shim-to-shim]",
    ]


def test_parameters_of_any_type_cross_to_the_xdist_controller(pytester, tmp_path):
    pytester.makepyfile(
        test_x="""
import enum, http, pytest

class Colour(enum.Enum):
    RED = 1

@pytest.mark.parametrize("value", [http.HTTPStatus.OK, Colour.RED, {"k": (1, http.HTTPStatus.NOT_FOUND)}, object])
def test_it(impl, value):
    pass
"""
    )
    out = tmp_path / "r.json"
    result = pytester.runpytest_subprocess("--impl=shim", "-n", "2", f"--conformance-json={out}", "-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()[-2000:]
    import json

    params = sorted(json.dumps(r["params"]) for r in json.loads(out.read_text())["results"])
    assert params == sorted(
        json.dumps({"value": v})
        for v in ["<HTTPStatus.OK: 200>", "<Colour.RED: 1>", {"k": [1, "<HTTPStatus.NOT_FOUND: 404>"]}, "<class 'object'>"]
    )
