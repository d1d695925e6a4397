"""The HTML report: one self-contained file rendered with Jinja2 from the model.

Summary tables (scores per implementation and area, errata, environment) are
rendered as HTML; the long lists (spec entries, tests, failures) travel as one
JSON blob that a small inline script pages through, so a report of 20,000
results opens as fast as one of 200. Nothing is fetched from the network.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import jinja2

from .model import (
    FAIL_LIKE,
    NO_AREA,
    OUTCOMES,
    RUN_FAILURES,
    Combined,
    Run,
    Score,
    area_of,
    combine,
)
from .spec import SpecInfo

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_TITLE = "Flask API conformance report"

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# Compact JSON for the embedded blob; tojson still escapes <, >, & and '.
_ENV.policies["json.dumps_kwargs"] = {"separators": (",", ":"), "ensure_ascii": False}


def render_html(combined: Combined, catalog: SpecInfo | None = None, *, title: str = DEFAULT_TITLE) -> str:
    """The report as one HTML document."""
    return _ENV.get_template("report.html.j2").render(**build_view(combined, catalog, title=title))


def write_report(
    runs: Sequence[Run], path: str | Path, catalog: SpecInfo | None = None, *, title: str = DEFAULT_TITLE
) -> None:
    """Render runs side by side and write the file atomically."""
    text = render_html(combine(runs), catalog, title=title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


# --- the view: everything the template shows, computed from the model -------


def build_view(combined: Combined, catalog: SpecInfo | None, *, title: str = DEFAULT_TITLE) -> dict[str, Any]:
    entries = catalog.entries if catalog is not None else {}
    area_titles = catalog.areas if catalog is not None else {}
    columns = combined.columns
    areas = combined.areas()
    area_index = {a: n for n, a in enumerate(areas)}
    outcome_index = {o: n for n, o in enumerate(OUTCOMES)}
    spec_ids = combined.spec_ids()
    spec_index = {s: n for n, s in enumerate(spec_ids)}

    tests = []
    test_index = {}
    for number, test in enumerate(combined.tests):
        test_index[test] = number
        cited = combined.specs_of[test]
        outcomes = [outcome_index[c.results[test].outcome] if test in c.results else -1 for c in columns]
        test_areas = sorted({area_index[area_of(s)] for s in cited}) if cited else [area_index[NO_AREA]]
        tests.append([test, [spec_index[s] for s in cited], outcomes, test_areas])

    failures = []
    for col_number, column in enumerate(columns):
        for row, result in column.results.items():
            if result.outcome in FAIL_LIKE or result.outcome in RUN_FAILURES:
                known = result.expectation
                failures.append(
                    [
                        test_index[row],
                        col_number,
                        outcome_index[result.outcome],
                        result.nodeid,
                        result.message or "",
                        known.reason if known else None,
                        known.issue if known else None,
                    ]
                )

    by_spec = [combined.spec_scores(c) for c in columns]
    by_area = [combined.area_scores(c) for c in columns]
    specs = []
    for spec_id in spec_ids:
        entry = entries.get(spec_id)
        cells = [_pair(scores.get(spec_id, Score(0, 0))) for scores in by_spec]
        specs.append(
            [
                spec_id,
                area_index[area_of(spec_id)],
                entry.summary if entry else "(not in the catalog used for this report)",
                [list(s) for s in entry.sources] if entry else [],
                cells,
                len(entry.errata) if entry else 0,
            ]
        )

    present = [o for o in OUTCOMES if any(o in c.totals for c in columns)]
    groups = {
        "run-failures": [outcome_index[o] for o in OUTCOMES if o in RUN_FAILURES],
        "not-passing": [outcome_index[o] for o in OUTCOMES if o in FAIL_LIKE | RUN_FAILURES],
    }
    data = {
        "outcomes": list(OUTCOMES),
        "columns": [c.label for c in columns],
        "areas": areas,
        "groups": groups,
        "tests": tests,
        "specs": specs,
        "failures": failures,
    }
    return {
        "title": title,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tool_version": _tool_version(),
        "complete": combined.complete,
        "columns": [_column(c) for c in columns],
        "areas": [
            {
                "id": area,
                "title": area_titles.get(area, ""),
                "scores": [_score(scores.get(area, Score(0, 0))) for scores in by_area],
            }
            for area in areas
        ],
        "outcome_options": present,
        "several": len(columns) > 1,
        "errata": _errata(catalog),
        "runs": [_run(r) for r in combined.runs],
        "data": data,
    }


def _pair(s: Score) -> list[int]:
    return [s.passed, s.counted, s.not_applicable]


def _score(s: Score) -> dict[str, Any]:
    pct = s.percent
    cls = "na" if pct is None else "full" if s.passed == s.counted else "good" if pct >= 80 else "bad"
    return {
        "text": s.text,
        "passed": s.passed,
        "counted": s.counted,
        "skipped": s.skipped,
        "not_applicable": s.not_applicable,
        "known_skip": s.known_skip,
        "timeout": s.timeout,
        "crashed": s.crashed,
        "left_out": s.left_out,
        "notes": s.notes(),
        "cls": cls,
    }


def _column(c: Any) -> dict[str, Any]:
    totals = c.totals
    return {
        "key": c.key,
        "label": c.label,
        "conforms_to": c.implementation.conforms_to,
        "run": c.run.label,
        "complete": c.run.complete,
        "partial": c.run.header.selection.text if c.run.partial else "",  # type: ignore[union-attr]
        "implementation": c.implementation,
        **_score(c.score),
        "totals": [(o, totals[o]) for o in OUTCOMES if o in totals],
    }


def _errata(catalog: SpecInfo | None) -> list[dict[str, Any]]:
    if catalog is None:
        return []
    return [
        {
            "id": entry.id,
            "summary": entry.summary,
            "claims": [{"source": list(e.source), "claim": e.claim, "actual": e.actual} for e in entry.errata],
        }
        for entry in catalog.entries.values()
        if entry.errata
    ]


def _run(run: Run) -> dict[str, Any]:
    h, f = run.header, run.footer
    return {
        "label": run.label,
        "source": run.source,
        "complete": f.complete,
        "reason": f.reason,
        "selection": h.selection.text if h.selection is not None and h.selection.partial else "",
        "exitstatus": f.exitstatus,
        "started": h.started,
        "finished": f.finished,
        "suite_version": h.suite_version,
        "python": f"{h.python_implementation} {h.python_version}",
        "platform": h.platform,
        "implementations": h.implementations,
        "dependencies": sorted(h.dependencies.items()),
        "argv": " ".join(h.argv),
        "workers": h.workers,
        "collection_errors": f.collection_errors,
        "count": len(run.results),
    }


def _tool_version() -> str:
    try:
        return version("flask-conformance")
    except PackageNotFoundError:
        return "(unknown version)"
