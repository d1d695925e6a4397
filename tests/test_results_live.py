"""The results file while a run goes on and after it dies (JSON Lines), and what
reports make of timeouts, crashes, partial selections and transports."""

from __future__ import annotations

import json

import pytest

from reports.diff import diff_runs
from reports.expectations import parse_expectations, render_expectations
from reports.html import render_html
from reports.model import DIED_WHILE_RUNNING, ResultsError, combine, load_run, parse_run, score
from reports.synthetic import document, result

T = "suite/test_demo.py::test_x"


def _lines(*items: dict) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def _head() -> dict:
    doc = document([])
    return {"format": doc["format"], "format_version": doc["format_version"], "header": doc["header"]}


def _started(test: str) -> dict:
    record = result(test)
    return {k: v for k, v in record.items() if k not in ("outcome", "duration", "message")}


def test_json_lines_without_a_footer_load_as_an_incomplete_run(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(
        _lines(_head(), {"result": result(f"{T}[1]")}, {"started": _started(f"{T}[2]")}, {"result": result(f"{T}[2]")},
               {"started": _started(f"{T}[3]")})
        + '{"result": {"nodeid": "cut sho'  # the line being written when the run was killed
    )  # fmt: skip
    with pytest.raises(ResultsError, match="the run is incomplete .the run died before it finished"):
        load_run(path)
    run = load_run(path, allow_incomplete=True)
    assert not run.complete
    # The test that began and never finished took the run down with it.
    assert [(r.test, r.outcome) for r in run.results] == [
        (f"{T}[1]", "passed"),
        (f"{T}[2]", "passed"),
        (f"{T}[3]", "crashed"),
    ]
    assert run.results[2].message == DIED_WHILE_RUNNING
    assert "INCOMPLETE RUN" in render_html(combine([run]))


def test_a_signal_footer_says_why_and_leaves_the_running_test_out(tmp_path):
    path = tmp_path / "r.json"
    footer = {"complete": False, "finished": None, "exitstatus": 2, "collection_errors": [], "reason": "terminated by SIGTERM"}
    path.write_text(_lines(_head(), {"result": result(f"{T}[1]")}, {"started": _started(f"{T}[2]")}, {"footer": footer}))
    run = load_run(path, allow_incomplete=True)
    assert run.footer.reason == "terminated by SIGTERM"
    assert [r.outcome for r in run.results] == ["passed"]
    assert "terminated by SIGTERM" in render_html(combine([run]))


def test_a_bad_line_in_the_middle_is_one_line(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(_lines(_head()) + "{broken\n" + _lines({"result": result(T)}))
    with pytest.raises(ResultsError, match="line 2 is not JSON"):
        load_run(path, allow_incomplete=True)


def test_timeouts_and_crashes_fail_and_are_counted_apart():
    outcomes = ["passed", "passed", "timeout", "crashed", "skipped", "known-skip", "not-applicable"]
    run = parse_run(document([result(f"{T}[{n}]", "shim", o) for n, o in enumerate(outcomes)]), "r.json")
    s = score(run.results)
    assert (s.passed, s.counted, s.timeout, s.crashed, s.skipped, s.known_skip, s.not_applicable) == (2, 4, 1, 1, 1, 1, 1)
    assert s.text == "50.0%"
    assert s.notes() == "3 left out (1 skipped, 1 known-skip, 1 not applicable); 1 timeout, 1 crashed counted as failing"
    html = render_html(combine([run]))
    assert s.notes() in html


@pytest.mark.parametrize("broke", ["timeout", "crashed"])
def test_a_test_that_passed_and_now_hangs_or_crashes_is_a_regression(broke):
    base = parse_run(document([result(T, "shim")]), "base.json")
    head = parse_run(document([result(T, "shim", broke, message=f"{broke}: ...")]), "head.json")
    d = diff_runs(base, head)
    assert d.regression
    assert [c.test for c in d.newly_failing] == [T]


def test_results_are_keyed_by_transport_too():
    def over(transport, outcome):
        return {**result(T, "shim", outcome), "nodeid": f"{T}[shim-{transport}]", "transport": transport}

    base = parse_run(document([over("wsgi", "passed"), over("asgi", "passed")]), "base.json")
    head = parse_run(document([over("wsgi", "passed"), over("asgi", "failed")]), "head.json")
    d = diff_runs(base, head)
    assert [(c.implementation, c.transport, c.test) for c in d.newly_failing] == [("shim", "asgi", T)]
    assert [c.where for c in d.newly_failing] == ["shim (asgi)"]
    # One row per transport in the report, and one expectations entry per transport.
    assert combine([head]).tests == (f"{T} [wsgi]", f"{T} [asgi]")
    text = render_expectations(head)
    assert 'transport = "asgi"' in text
    (entry,) = parse_expectations(text, "e.toml")
    assert entry.matches(T, "x", [], "asgi") and not entry.matches(T, "x", [], "wsgi")


def test_a_partial_selection_is_in_the_report():
    doc = document([result(T)])
    doc["header"]["selection"] = {"collected": 40, "selected": 1, "narrowed_by": ["-k"]}
    run = parse_run(doc, "r.json")
    assert run.partial
    assert "PARTIAL SELECTION" in render_html(combine([run]))
    assert "partial selection: 1 of 40 tests (-k)" in render_html(combine([run]))
