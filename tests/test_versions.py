"""Version-aware spec: version arithmetic, what implementations declare, the
not-applicable outcome and ``behaviour_at`` in real pytester runs, and how the
report and the diff treat them."""

from __future__ import annotations

import dataclasses
import json
from importlib import metadata

import pytest

import conformance.implementations as implementations
from conformance import versions
from conformance.catalog import Change, Entry, Source, load_catalog
from conformance.implementations import FLASK, INSTALLED, SHIM, Implementation, ImplementationError
from conformance.reporting import diff_with_catalog
from reports.diff import FORMATS, diff_runs
from reports.html import render_html
from reports.model import combine, parse_run, score
from reports.synthetic import document, result, write_demo_catalog

# --- version arithmetic -----------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "version", "covered"),
    [
        (None, "9.9", True),  # None declares the newest Flask
        ("3.1", "3.1", True),
        ("3.1", "3.1.3", True),  # a series covers its patches
        ("3.1", "3.2", False),
        ("3.0.3", "3.0.3", True),
        ("3.0.3", "3.0.4", False),
        ("3.0.3", "3.1", False),
        ("2.3.3", "2.3", True),
        ("3", "3.9.9", True),
        ("3.1.0rc1", "3.1", False),  # a pre-release precedes its release
        ("3.1.0", "3.1.0rc1", True),
    ],
)
def test_a_declaration_covers_what_it_includes(declared, version, covered):
    assert versions.covers(declared, version) is covered


@pytest.mark.parametrize("text", ["three", "3.x", "", "3.1.2.4", "v3.1"])
def test_anything_but_a_version_is_refused(text):
    with pytest.raises(versions.VersionError, match="is not a Flask version"):
        versions.check(text)


def test_the_oldest_declaration_wins_and_none_is_the_newest():
    assert versions.oldest(["3.1", "2.3.3", None]) == "2.3.3"
    assert versions.oldest([None, None]) is None


@pytest.mark.parametrize(
    ("low", "high", "version", "between"),
    [("3.0.3", "3.1.3", "3.1", True), ("3.1.3", "3.0.3", "3.1", True), ("3.0.3", "3.1.3", "3.0", False),
     ("3.0.3", "3.1.3", "3.2", False), ("3.0.3", None, "3.2", True)],
)
def test_a_version_lies_between_two_declarations_in_either_direction(low, high, version, between):
    assert versions.in_range(low, high, version) is between


def _entry(*changes: str, since: str | None = None) -> Entry:
    return Entry(
        id="demo.entry", area="demo", summary="A demo behaviour.", sources=(Source("S0", "One"),), since=since,
        changed=tuple(Change(v, f"what came before {v}") for v in changes), file="demo.toml",
    )


@pytest.mark.parametrize(
    ("declared", "expected"),
    [(None, "now"), ("3.1", "now"), ("3.0.3", "before 3.1"), ("2.3.3", "before 3.0"), ("3.1.2", "now")],
)
def test_expected_picks_the_oldest_change_the_declaration_predates(declared, expected):
    entry = _entry("3.0", "3.1")
    assert versions.expected(entry, declared, "now", {"3.0": "before 3.0", "3.1": "before 3.1"}) == expected


@pytest.mark.parametrize(
    ("entry", "before", "problem"),
    [
        (_entry(), {}, "records no \\[\\[entry.changed\\]\\]"),
        (_entry("3.1"), {"3.2": 1}, "records no change in 3.2"),
        (_entry("3.0", "3.1"), {"3.1": 1}, "the test gives no expectation for it"),
    ],
    ids=["no-change", "unknown-version", "missing-before"],
)
def test_expected_refuses_a_table_that_does_not_match_the_spec(entry, before, problem):
    with pytest.raises(versions.VersionError, match=problem):
        versions.expected(entry, "2.3.3", 0, before)


def test_not_applicable_names_the_entry_and_both_versions():
    reason = versions.not_applicable([_entry(since="3.1"), _entry(since="2.0")], "3.0.3")
    assert reason == (
        "not applicable: demo.entry (since 3.1) is newer than Flask 3.0.3, which the implementation declares"
    )
    assert versions.not_applicable([_entry(since="3.1")], None) is None


# --- what the implementations declare ----------------------------------------------


def test_the_shim_declares_the_newest_series_and_flask_its_installed_release():
    assert SHIM.declared_version == "3.1"
    assert FLASK.conforms_to == INSTALLED
    assert FLASK.declared_version == metadata.version("flask")
    assert FLASK.describe()["conforms_to"] == metadata.version("flask")
    assert Implementation(name="x", module="json").declared_version is None


def test_a_record_declaring_no_version_is_refused_at_start_up(monkeypatch):
    class EntryPoint:
        value = "pkg:RECORD"

        def load(self):
            return Implementation(name="odd", module="json", conforms_to="three")

    monkeypatch.setattr(implementations, "_entry_points", lambda: {"odd": EntryPoint()})
    with pytest.raises(ImplementationError, match="implementation 'odd' declares conforms_to='three'"):
        implementations.resolve("odd")


def test_the_shipped_catalog_has_usable_version_facts():
    # A change in the version of `since` is allowed: the tests cover the behaviour
    # from then on and `before` only documents the older form.
    problems = []
    for entry in load_catalog():
        for change in entry.changed:
            versions.check(change.version)
            if entry.since and versions.release_key(change.version) < versions.release_key(entry.since):
                problems.append(f"{entry.id}: change in {change.version} predates since {entry.since}")
    assert problems == []


# --- in a run: not applicable, behaviour_at -------------------------------------------

VERSIONED_AREA = """
[area]
id = "ver"
title = "Versioned demo behaviours"

[[entry]]
id = "ver.future"
summary = "Something only a far future Flask does."
since = "99.0"
sources = [{ doc = "S0", section = "One" }]

[[entry]]
id = "ver.recent"
summary = "Something new in 3.1."
since = "3.1"
sources = [{ doc = "S0", section = "One" }]

[[entry]]
id = "ver.changed"
summary = "Something that changed in 3.1."
sources = [{ doc = "S0", section = "Two" }]

[[entry.changed]]
version = "3.1"
before = "It was different."
"""

VERSIONED_SUITE = '''
import pytest
from conformance.versions import NOT_APPLICABLE, Changed

spec = pytest.mark.spec
# A harness fixture, not a conformance test: it may name implementations.
DECLARES_OLD = {"flask": True, "shim": False}


@spec("ver.future")
def test_future(flask):
    raise AssertionError("a not-applicable test never runs")


@spec("ver.recent")
def test_recent(flask):
    assert flask.Flask


@spec("ver.changed")
def test_changed(impl, behaviour_at):
    expected = "old" if DECLARES_OLD[impl.name] else "new"
    assert behaviour_at("ver.changed", current="new", before={"3.1": "old"}) == expected


@spec("ver.changed")
@pytest.mark.parametrize("cell", [Changed("ver.changed", current=1, before={"3.1": NOT_APPLICABLE})], ids=["variant"])
def test_variant(impl, behaviour_at, cell):
    assert behaviour_at.resolve(cell) == 1


@spec("ver.changed")
def test_uncited(behaviour_at):
    behaviour_at("ver.recent", current=1, before={})


@spec("ver.changed")
def test_missing_before(behaviour_at):
    behaviour_at("ver.changed", current=1, before={})
'''


@pytest.fixture
def versioned_run(pytester, monkeypatch):
    """Run the versioned demo suite on the shim (3.1) and on Flask declaring 3.0.3."""
    spec_dir = write_demo_catalog(pytester.path / "spec")
    (spec_dir / "ver.toml").write_text(VERSIONED_AREA, encoding="utf-8")
    pytester.makepyfile(test_versioned=VERSIONED_SUITE)
    # The entry point loads this attribute when the run starts (in process, no xdist).
    monkeypatch.setattr(implementations, "FLASK", dataclasses.replace(FLASK, conforms_to="3.0.3"))
    out = pytester.path / "results.json"
    result = pytester.runpytest_inprocess(
        "--impl=shim", "--impl=flask", f"--spec-dir={spec_dir}", f"--conformance-json={out}", "-p", "no:cacheprovider"
    )
    outcomes = {r["nodeid"].split("::")[-1]: r for r in json.loads(out.read_text())["results"]}
    return result, outcomes


def test_a_newer_entry_is_not_applicable_never_a_pass_nor_a_failure(versioned_run):
    result, outcomes = versioned_run
    assert outcomes["test_future[shim]"]["outcome"] == "not-applicable"
    assert outcomes["test_future[flask]"]["outcome"] == "not-applicable"
    assert outcomes["test_recent[shim]"]["outcome"] == "passed"
    assert outcomes["test_recent[flask]"]["outcome"] == "not-applicable"
    assert outcomes["test_recent[flask]"]["message"] == (
        "not applicable: ver.recent (since 3.1) is newer than Flask 3.0.3, which the implementation declares"
    )
    assert "not applicable" in result.stdout.lines[-1]


def test_behaviour_at_expects_what_the_declared_version_does(versioned_run):
    _, outcomes = versioned_run
    assert outcomes["test_changed[shim]"]["outcome"] == "passed"
    assert outcomes["test_changed[flask]"]["outcome"] == "passed"
    assert outcomes["test_variant[shim-variant]"]["outcome"] == "passed"
    assert outcomes["test_variant[flask-variant]"]["outcome"] == "not-applicable"
    message = outcomes["test_variant[flask-variant]"]["message"]
    assert message.startswith("not applicable: ver.changed: this variant is new in 3.1")


def test_behaviour_at_fails_a_test_whose_table_does_not_match_the_spec(versioned_run):
    result, outcomes = versioned_run
    assert outcomes["test_uncited[shim]"]["outcome"] == "failed"
    assert "does not cite that entry" in outcomes["test_uncited[shim]"]["message"]
    assert outcomes["test_missing_before[shim]"]["outcome"] == "passed"  # 3.1 predates no change
    assert outcomes["test_missing_before[flask]"]["outcome"] == "failed"
    assert "the test gives no expectation for it" in outcomes["test_missing_before[flask]"]["message"]
    assert result.ret == pytest.ExitCode.TESTS_FAILED


# --- reports and the diff ----------------------------------------------------------------


def _run(records, declared, label):
    doc = document(records, [("flask", declared)], conforms_to={"flask": declared})
    return parse_run(doc, f"{label}.json", label=label)


def test_not_applicable_is_left_out_of_the_score_and_counted_apart():
    run = _run([result("t::a", "flask"), result("t::b", "flask", "not-applicable")], "3.0.3", "old")
    s = score(run.results)
    assert (s.passed, s.counted, s.skipped, s.not_applicable, s.text) == (1, 1, 0, 1, "100.0%")
    html = render_html(combine([run]))
    assert 'data-testid="not-applicable-c0">1<' in html
    assert "conforms to Flask 3.0.3" in html


def test_the_diff_separates_applicability_and_lists_documented_changes():
    catalog = load_catalog()
    base = _run(
        [
            result("t::vary", "flask", "passed", ("sessions.access-varies-on-cookie",)),
            result("t::hosts", "flask", "not-applicable", ("wrappers.trusted-hosts",)),
            result("t::same", "flask", "passed", ("redirect.default-code",)),
        ],
        "3.0.3",
        "old",
    )
    head = _run(
        [
            result("t::vary", "flask", "passed", ("sessions.access-varies-on-cookie",)),
            result("t::hosts", "flask", "passed", ("wrappers.trusted-hosts",)),
            result("t::same", "flask", "passed", ("redirect.default-code",)),
        ],
        "3.1.3",
        "new",
    )
    d = diff_with_catalog(base, head, catalog)
    assert [c.test for c in d.newly_applicable] == ["t::hosts"]
    assert not d.regression and not d.no_longer_applicable
    documented = {doc.spec: doc for doc in d.documented}
    three = {"sessions.access-varies-on-cookie", "routing.server-name-not-restrictive", "cli.env-file"}
    assert three <= set(documented)
    assert documented["sessions.access-varies-on-cookie"].tests == (("t::vary", "passed", "passed"),)
    assert documented["wrappers.trusted-hosts"].kind == "new"
    assert "redirect.default-code" not in documented
    text = FORMATS["text"](d)
    assert "sessions.access-varies-on-cookie  changed in 3.1.3" in text
    assert "before 3.1.3: Only reading or writing values" in text
    assert json.loads(FORMATS["json"](d))["documented"][0]["base_version"] == "3.0.3"
    # Backwards: a downgrade lists the same changes; no catalog, no list.
    assert {doc.spec for doc in diff_with_catalog(head, base, catalog).documented} == set(documented)
    assert diff_runs(base, head).documented == []
