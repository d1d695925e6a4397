"""Reports from the plugin's side: what reports/ needs from conformance/, handed
over as plain data, and the hook that writes ``--conformance-html``.

reports/ never imports conformance/. The catalog reaches a report as a
:class:`reports.spec.SpecInfo` (:func:`spec_info`), and the documented behaviour
changes between two runs, which need the catalog's version facts, are computed
here (:func:`documented_changes`) and handed to :func:`reports.diff.diff_runs`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from reports.diff import Diff, Documented, diff_runs
from reports.html import write_report
from reports.model import ResultsError, Run, load_run
from reports.spec import Erratum, SpecEntry, SpecInfo

from . import versions
from .catalog import Catalog, CatalogError, Source, load_catalog


def spec_info(catalog: Catalog) -> SpecInfo:
    """What a report shows of the catalog: summaries, sources with links, errata, area titles."""
    return SpecInfo(
        entries={
            entry.id: SpecEntry(
                id=entry.id,
                summary=entry.summary,
                sources=tuple(_source(s, catalog) for s in entry.sources),
                errata=tuple(Erratum(_source(e.source, catalog), e.claim, e.actual) for e in entry.errata),
            )
            for entry in catalog
        },
        areas={a.id: a.title for a in catalog.areas},
    )


def _source(source: Source, catalog: Catalog) -> tuple[str, str | None]:
    """(label, link or None) for one cited source."""
    doc = catalog.documents.get(source.document)
    label = source.label()
    if doc is not None:
        label = f"{label} — {doc.title}"
    link = None
    if doc is not None and doc.url and source.page:
        link = doc.url.rstrip("/") + f"/{source.page}/" + (f"#{source.anchor}" if source.anchor else "")
    return (label, link)


# --- diffs: documented behaviour changes ---------------------------------------------


def diff_with_catalog(base: Run, head: Run, catalog: Catalog | None) -> Diff:
    """:func:`reports.diff.diff_runs`, with the documented changes when there is a catalog."""
    return diff_runs(base, head, documented_changes(base, head, catalog) if catalog is not None else ())


def _declared(run: Run) -> dict[str, str | None]:
    return {i.name: i.conforms_to for i in run.implementations()}


def documented_changes(base: Run, head: Run, catalog: Catalog) -> list[Documented]:
    """Spec entries new or changed between the versions each implementation declares
    in BASE and in HEAD, oldest version first."""
    found: list[tuple[tuple[float, ...], Documented]] = []
    head_declared = _declared(head)
    for name, low in _declared(base).items():
        if name not in head_declared or head_declared[name] == low:
            continue
        high = head_declared[name]
        if not (_usable(low) and _usable(high)):
            continue  # a file from elsewhere with an unusable declaration: nothing to say
        tests = _tests_by_spec(base, head, name)
        for entry in catalog:
            facts = [("changed", c.version, c.before) for c in entry.changed]
            if entry.since is not None and entry.since not in {c.version for c in entry.changed}:
                facts.append(("new", entry.since, None))  # a change in that version says more
            for kind, version, old in facts:
                if versions.in_range(low, high, version):
                    item = Documented(
                        name, low, high, entry.id, kind, version, entry.summary, old, tuple(tests.get(entry.id, ()))
                    )
                    found.append(((*versions.release_key(version), kind == "new"), item))
    return [d for _, d in sorted(found, key=lambda pair: (pair[0], pair[1].spec))]


def _usable(declared: str | None) -> bool:
    try:
        return declared is None or bool(versions.check(declared))
    except versions.VersionError:
        return False


def _tests_by_spec(base: Run, head: Run, name: str) -> dict[str, list[tuple[str, str | None, str | None]]]:
    before = {r.test: r for r in base.results if (r.implementation or "") == name}
    after = {r.test: r for r in head.results if (r.implementation or "") == name}
    index: dict[str, list[tuple[str, str | None, str | None]]] = {}
    for test in sorted(before.keys() | after.keys()):
        b, h = before.get(test), after.get(test)
        for spec_id in (h or b).spec:  # type: ignore[union-attr]
            index.setdefault(spec_id, []).append((test, b and b.outcome, h and h.outcome))
    return index


# --- during a run: --conformance-html PATH --------------------------------------------


class HtmlReportPlugin:
    """Writes the HTML report when the session ends, from the results JSON.

    Without --conformance-json the results go to a scratch file that is removed
    afterwards; ``results_path`` is where the ResultsRecorder must write. Until the
    session ends, the HTML file says the run has not finished and where its
    results are, so a run killed outright leaves a page pointing at them.
    """

    def __init__(self, config: pytest.Config, html_path: Path, json_path: str | None) -> None:
        self.config = config
        self.html_path = html_path
        self.scratch = json_path is None
        if json_path is None:
            handle, name = tempfile.mkstemp(prefix="flask-conformance-", suffix=".json")
            os.close(handle)
            json_path = name
        self.results_path = Path(json_path)
        self.problem: str | None = None

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        try:
            self.html_path.parent.mkdir(parents=True, exist_ok=True)
            self.html_path.write_text(_unfinished_page(self.results_path), encoding="utf-8")
        except OSError as exc:
            self.problem = f"cannot write {self.html_path}: {exc.strerror or exc}"

    # trylast makes this the innermost wrapper: the ResultsRecorder (trylast) has
    # written the JSON before, and the terminal summary comes after.
    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int):  # type: ignore[no-untyped-def]
        result = yield
        try:
            catalog = load_catalog(self.config.option.conformance_spec_dir)
            run = load_run(self.results_path, allow_incomplete=True)
            write_report([run], self.html_path, spec_info(catalog))
            self.problem = None
        except (ResultsError, CatalogError, OSError) as exc:
            self.problem = str(exc)
        finally:
            if self.scratch:
                self.results_path.unlink(missing_ok=True)
        return result

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.problem:
            terminalreporter.write_line(f"ERROR flask-conformance: no HTML report: {self.problem}", red=True)
        else:
            terminalreporter.write_line(f"flask-conformance: HTML report written to {self.html_path}")


def _unfinished_page(results: Path) -> str:
    from html import escape

    path = escape(str(results))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>flask-conformance: run not finished'
        "</title></head><body><h1>INCOMPLETE RUN: this run has not finished</h1>"
        "<p>The report is written when the run ends. If the run was killed, every result that finished "
        f"is in <code>{path}</code>; render them with <code>flask-conformance report {path} "
        "--allow-incomplete -o report.html</code>.</p></body></html>\n"
    )

