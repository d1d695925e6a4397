"""The result model, its JSON Schema, the HTML report, the diff, the badge and the
expectations file writer, on small synthetic results and on real pytester runs."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance.catalog import load_catalog
from conformance.reporting import spec_info
from reports import synthetic
from reports.badge import color_for, score_badge
from reports.diff import FORMATS, diff_runs
from reports.expectations import parse_expectations, render_expectations
from reports.html import render_html
from reports.model import OUTCOMES, ResultsError, Score, combine, load_run, parse_run, score
from reports.synthetic import DEMO_SUITE, document, result, write_demo_catalog

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "reports" / "results.schema.json").read_text())
T = "suite/test_demo.py::test_x"


def _run(results, impls=(("shim", "0.1.0"), ("flask", "3.1.3")), **kw):
    return parse_run(document(results, impls, **kw), "mem.json", allow_incomplete=True, label="mem")


@pytest.fixture
def demo_catalog(tmp_path):
    return spec_info(load_catalog(write_demo_catalog(tmp_path / "spec")))


# --- the schema, against the writer's real output -------------------------------


def _pytester_results(pytester: pytest.Pytester, *args: str) -> dict:
    spec = write_demo_catalog(pytester.path / "spec")
    pytester.makepyfile(test_demo=DEMO_SUITE)
    out = pytester.path / "results.json"
    pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--impl=shim", "--impl=flask", f"--spec-dir={spec}", f"--conformance-json={out}",
        *args,
    )
    return json.loads(out.read_text())


@pytest.fixture
def validate():
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema comes with the 'test' extra")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate


def test_the_writers_output_matches_the_schema(pytester, validate):
    doc = _pytester_results(pytester)
    validate(doc)
    assert {r["outcome"] for r in doc["results"]} == {"passed", "failed", "skipped"}


def test_an_interrupted_run_matches_the_schema_and_says_incomplete(pytester, validate):
    doc = _pytester_results(pytester, "-x")
    validate(doc)
    assert doc["footer"]["complete"] is False


def test_known_outcomes_and_the_reason_match_the_schema(pytester, validate):
    pytester.makefile(
        ".toml",
        exp='[[impl.shim]]\nspec = "demo.two"\nstatus = "fail"\nreason = "counts wrong"\nissue = "https://x/1"\n',
    )
    doc = _pytester_results(pytester, f"--expectations={pytester.path / 'exp.toml'}")
    validate(doc)
    known = [r for r in doc["results"] if r["outcome"] == "known-fail"]
    assert len(known) == 2
    assert known[0]["expectation"] == {"status": "fail", "reason": "counts wrong", "issue": "https://x/1"}
    assert known[0]["message"].startswith("AssertionError: shim gets")


def test_the_schema_lists_exactly_the_writers_outcomes():
    assert SCHEMA["$defs"]["outcome"]["enum"] == list(OUTCOMES)


def test_the_synthetic_documents_match_the_schema(validate):
    validate(synthetic.large_document(200))
    validate(document([result(T, outcome="known-fail", expectation={"status": "fail", "reason": "r", "issue": None})]))


# --- loading ---------------------------------------------------------------------


def test_a_run_loads_into_typed_records(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(document([result(T, "shim", "failed", ("demo.two",), "boom")])))
    run = load_run(path)
    (r,) = run.results
    assert (r.implementation, r.test, r.spec, r.outcome, r.message) == ("shim", T, ("demo.two",), "failed", "boom")
    assert r.nodeid == "suite/test_demo.py::test_x[shim]"
    assert run.header.implementations[1].label == "flask 3.1.3"
    assert run.complete and run.label == "r"


def test_an_incomplete_run_is_refused_unless_allowed(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(document([result(T)], complete=False)))
    with pytest.raises(ResultsError, match=r"r\.json: the run is incomplete .*--allow-incomplete"):
        load_run(path)
    assert load_run(path, allow_incomplete=True).complete is False


def test_a_run_without_a_footer_is_incomplete(tmp_path):
    doc = document([result(T)])
    del doc["footer"]
    with pytest.raises(ResultsError, match="incomplete"):
        parse_run(doc, "x.json")
    assert parse_run(doc, "x.json", allow_incomplete=True).complete is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="junit"), "'format' is 'junit'"),
        (lambda d: d.update(format_version=9), "format_version 9 is not supported"),
        (lambda d: d["results"][0].update(outcome="bogus"), r"results\[0\]\.outcome is 'bogus'"),
        (lambda d: d["results"][0].pop("test"), r"results\[0\]\.test is missing"),
        (lambda d: d["results"][0].update(spec="demo.one"), r"results\[0\]\.spec: expected an array"),
        (lambda d: d["header"].update(python=3), r"header\.python: expected an object"),
        (lambda d: d["footer"].update(complete="yes"), r"footer\.complete: expected true or false"),
        (lambda d: d["results"].append(dict(d["results"][0])), "appears twice for implementation 'shim'"),
    ],
)
def test_an_invalid_document_is_one_line_naming_the_field(change, message):
    doc = document([result(T)])
    change(doc)
    with pytest.raises(ResultsError, match=message) as info:
        parse_run(doc, "x.json")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("content", "message"), [(None, "no such file"), ("{nope", "not JSON")])
def test_an_unreadable_file_is_one_line(tmp_path, content, message):
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ResultsError, match=message):
        load_run(path)


# --- scores and combining ----------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "text"),
    [
        (["passed"] * 999 + ["failed"], "99.9%"),
        (["passed"] * 1999 + ["failed"], "99.9%"),  # floored: never 100.0% with a failure
        (["passed", "skipped", "known-skip"], "100.0%"),
        (["passed", "known-fail"], "50.0%"),
        (["stale", "error"], "50.0%"),
        (["skipped"], "n/a"),
    ],
)
def test_score_counts_passing_over_results_with_a_verdict(outcomes, text):
    run = _run([result(f"{T}[{n}]", "shim", o) for n, o in enumerate(outcomes)])
    assert score(run.results).text == text


def test_combined_runs_form_a_matrix_labelled_by_version():
    old = _run([result(T, "flask", "failed", ("demo.one",))], impls=(("flask", "3.0.3"),))
    new = _run([result(T, "flask", "passed", ("demo.one",)), result(f"{T}2", "flask")], impls=(("flask", "3.1.3"),))
    combined = combine([old, new])
    assert [c.label for c in combined.columns] == ["flask 3.0.3", "flask 3.1.3"]
    assert combined.tests == (T, f"{T}2")
    assert [c.score.text for c in combined.columns] == ["0.0%", "100.0%"]


def test_the_same_implementation_and_version_twice_is_told_apart_by_run():
    a = parse_run(document([result(T)], (("shim", "1"),)), "a.json", label="a")
    b = parse_run(document([result(T)], (("shim", "1"),)), "b.json", label="b")
    assert [c.label for c in combine([a, b]).columns] == ["shim 1 (a)", "shim 1 (b)"]


def test_scores_per_area_and_entry_count_a_test_in_every_area_it_cites():
    run = _run(
        [
            result(f"{T}[1]", "shim", "passed", ("demo.one", "other.x")),
            result(f"{T}[2]", "shim", "failed", ("demo.two",)),
            result(f"{T}[3]", "shim", "passed", ()),
        ],
        impls=(("shim", "1"),),
    )
    combined = combine([run])
    (column,) = combined.columns
    areas = combined.area_scores(column)
    assert (areas["demo"].passed, areas["demo"].counted) == (1, 2)
    assert (areas["other"].passed, areas["other"].counted) == (1, 1)
    assert areas["(no spec)"].counted == 1
    assert combined.spec_scores(column)["demo.two"] == Score(0, 1)
    assert combined.areas() == ["(no spec)", "demo", "other"]


# --- the HTML report -------------------------------------------------------------


def _blob(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def _two_impls():
    return _run(
        [
            result(f"{T}[1]", "shim", "passed", ("demo.one",)),
            result(f"{T}[1]", "flask", "passed", ("demo.one",)),
            result(f"{T}[2]", "shim", "failed", ("demo.two",), "AssertionError: </script><b>x</b>"),
            result(f"{T}[2]", "flask", "passed", ("demo.two",)),
            result(f"{T}[3]", "shim", "known-fail", ("demo.two",), "boom",
                   {"status": "fail", "reason": "why", "issue": None}),
            result(f"{T}[3]", "flask", "skipped", ("demo.two",), "n/a"),
        ]
    )


def test_the_report_is_one_self_contained_file(demo_catalog):
    html = render_html(combine([_two_impls()]), demo_catalog)
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b|@import|url\((?!#)", html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<b>x</b>" not in html  # messages are escaped, even inside the JSON blob


def test_the_report_shows_scores_per_implementation_and_area(demo_catalog):
    html = render_html(combine([_two_impls()]), demo_catalog)
    assert re.search(r'data-testid="score-c0">33\.3%<', html)
    assert re.search(r'data-testid="score-c1">100\.0%<', html)
    assert re.search(r'data-testid="area-0-c0">33\.3% <small>1/3</small>', html)
    assert "Demo behaviours" in html


def test_the_blob_lists_tests_failures_and_entries_with_sources(demo_catalog):
    data = _blob(render_html(combine([_two_impls()]), demo_catalog))
    assert data["columns"] == ["shim", "flask"]
    assert [t[0] for t in data["tests"]] == [f"{T}[1]", f"{T}[2]", f"{T}[3]"]
    outcomes = data["outcomes"]
    failures = {(f[3], outcomes[f[2]], f[4], f[5]) for f in data["failures"]}
    assert failures == {
        ("suite/test_demo.py::test_x[shim-2]", "failed", "AssertionError: </script><b>x</b>", None),
        ("suite/test_demo.py::test_x[shim-3]", "known-fail", "boom", "why"),
    }
    two = next(s for s in data["specs"] if s[0] == "demo.two")
    assert two[2] == "The second demo behaviour."
    assert two[3] == [["S0: Two — Demo seed", None]]
    assert two[4] == [[0, 2, 0], [1, 1, 0]]  # passed, counted, not applicable


def test_the_report_lists_errata_and_the_environment(demo_catalog):
    html = render_html(combine([_two_impls()]), demo_catalog)
    assert "The seed says the first behaviour answers 418." in html
    assert "Flask answers 200." in html
    assert "CPython 3.11.7" in html and "Linux-synthetic" in html
    assert "<b>flask</b> 3.1.3" in html and "werkzeug 3.1.3" in html


def test_an_incomplete_run_is_marked_incomplete(demo_catalog):
    run = _run([result(T)], complete=False)
    html = render_html(combine([run]), demo_catalog)
    assert 'data-testid="incomplete"' in html and "INCOMPLETE RUN" in html
    complete = render_html(combine([_run([result(T)])]), demo_catalog)
    assert 'data-testid="incomplete"' not in complete


def test_the_report_renders_without_a_catalog():
    data = _blob(render_html(combine([_two_impls()]), None))
    assert data["specs"][0][2].startswith("(not in the catalog")


def test_conformance_html_writes_the_report_during_a_run(pytester):
    spec = write_demo_catalog(pytester.path / "spec")
    pytester.makepyfile(test_demo=DEMO_SUITE)
    out = pytester.path / "out" / "report.html"
    result_ = pytester.runpytest_inprocess("-p", "no:cacheprovider", f"--spec-dir={spec}", f"--conformance-html={out}")
    assert result_.ret == pytest.ExitCode.TESTS_FAILED
    result_.stdout.fnmatch_lines([f"flask-conformance: HTML report written to {out}"])
    html = out.read_text()
    assert 'data-testid="score-c0">33.3%<' in html  # shim: 1 of 3 with a verdict
    assert "INCOMPLETE" not in html


def test_an_interrupted_runs_html_report_says_incomplete(pytester):
    spec = write_demo_catalog(pytester.path / "spec")
    pytester.makepyfile(test_demo=DEMO_SUITE)
    out = pytester.path / "report.html"
    json_out = pytester.path / "r.json"
    pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-x", f"--spec-dir={spec}", f"--conformance-html={out}",
        f"--conformance-json={json_out}",
    )
    assert "INCOMPLETE RUN" in out.read_text()
    assert json.loads(json_out.read_text())["footer"]["complete"] is False


# --- diff ----------------------------------------------------------------------------


def _diff_pair():
    base = _run(
        [
            result("t::a", "shim", "passed", ("demo.one",)),
            result("t::b", "shim", "failed", ("demo.two",), "old message"),
            result("t::c", "shim", "failed", ("demo.two",), "same"),
            result("t::d", "shim", "failed"),
            result("t::gone", "shim"),
        ]
    )
    head = _run(
        [
            result("t::a", "shim", "failed", ("demo.one",), "now broken"),
            result("t::b", "shim", "failed", ("demo.two",), "new message"),
            result("t::c", "shim", "known-fail", ("demo.two",), "same"),
            result("t::d", "shim", "passed"),
            result("t::new", "flask", "failed"),
        ]
    )
    return diff_runs(base, head)


def test_diff_sorts_changes_into_categories():
    d = _diff_pair()
    keys = {k: [(c.implementation, c.test) for c in changes] for k, _, changes in d.categories()}
    assert keys == {
        "newly_failing": [("shim", "t::a")],
        "fixed": [("shim", "t::d")],
        "still_failing": [("shim", "t::b"), ("shim", "t::c")],
        "message_changed": [("shim", "t::b")],
        "newly_applicable": [],
        "no_longer_applicable": [],
        "added": [("flask", "t::new")],
        "removed": [("shim", "t::gone")],
    }
    assert d.regression


def test_diff_without_newly_failing_tests_is_no_regression():
    run = _run([result("t::a", "shim", "failed"), result("t::b", "shim")])
    assert not diff_runs(run, run).regression


def test_diff_formats_name_the_test_and_spec_ids():
    d = _diff_pair()
    text = FORMATS["text"](d)
    assert "shim  t::a [demo.one]  passed -> failed" in text
    assert "was: old message" in text and text.rstrip().endswith("REGRESSION: 1 newly failing")
    markdown = FORMATS["markdown"](d)
    assert "| Newly failing | 1 |" in markdown and "`t::a`" in markdown
    data = json.loads(FORMATS["json"](d))
    assert data["regression"] is True
    assert data["newly_failing"][0]["spec"] == ["demo.one"]
    assert data["newly_failing"][0]["head"]["message"] == "now broken"


# --- badge ---------------------------------------------------------------------------


def test_the_badge_is_svg_showing_the_score():
    svg = score_badge(Score(877, 888))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["flask conformance", "flask conformance", "98.7%", "98.7%"]


@pytest.mark.parametrize(
    ("s", "complete", "color"),
    [(Score(10, 10), True, "#4c1"), (Score(96, 100), True, "#97ca00"), (Score(1, 10), True, "#e05d44"),
     (Score(10, 10), False, "#9f9f9f"), (Score(0, 0), True, "#9f9f9f")],
)
def test_the_badge_colour_follows_the_score(s, complete, color):
    assert color_for(s, complete) == color


# --- a starting expectations file ----------------------------------------------------------


def test_a_starting_expectations_file_lists_failures_and_round_trips():
    tricky = 'quote " backslash \\ newline\n tab\t é 😀'
    run = _run(
        [
            result("t::ok", "shim"),
            result("t::bad[x]", "shim", "failed", ("demo.two",), tricky),
            result("t::known", "shim", "known-fail", expectation={"status": "flaky", "reason": "racy", "issue": "#4"}),
            result("t::stale", "shim", "stale", expectation={"status": "fail", "reason": "old", "issue": None}),
            result("t::ks", "shim", "known-skip", expectation={"status": "skip", "reason": "hangs", "issue": None}),
            result("t::err", "flask", "error", message="boom"),
        ]
    )
    entries = parse_expectations(render_expectations(run), "gen.toml")
    got = [(e.implementation, e.pattern, e.status, e.reason, e.issue) for e in entries]
    assert got == [
        ("shim", "t::bad[x]", "fail", f"TODO: explain why; it failed with: {tricky}", None),
        ("shim", "t::known", "flaky", "racy", "#4"),
        ("shim", "t::ks", "skip", "hangs", None),
        ("flask", "t::err", "fail", "TODO: explain why; it failed with: boom", None),
    ]
    assert all(e.matches(e.pattern, "", ()) for e in entries)  # brackets are literal
    only_flask = parse_expectations(render_expectations(run, ["flask"]), "gen.toml")
    assert [e.pattern for e in only_flask] == ["t::err"]
