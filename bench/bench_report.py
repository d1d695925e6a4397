"""HTML report benchmark: a synthetic 20,000-result file, built and opened.

Run by hand (never as a test):

    python bench/bench_report.py [--results 20000] [--rounds 3] [--keep DIR]

Rows: loading the results file into the model, rendering the HTML (combine,
scores, Jinja2), and, when Chromium and Playwright are installed
(.ci/ensure-browser), opening the file in headless Chromium until every list
shows its first page, then applying an outcome filter. Each row keeps the best
of its rounds. The target set by issue 7: the report of 20,000 results renders
(opens) in under 2 seconds; the exit status is 1 when a row misses it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from conformance.catalog import load_catalog
from conformance.reporting import spec_info
from reports.browser import CHROMIUM_ARGS, find_chromium
from reports.html import render_html
from reports.model import combine, load_run
from reports.synthetic import large_document

TARGET_SECONDS = 2.0


def best(rounds: int, action: Callable[[], float | None]) -> float:
    """The best of several rounds; an action may return its own measurement."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        measured = action()
        times.append(measured if measured is not None else time.perf_counter() - started)
    return min(times)


def browser_rows(html: Path, rounds: int) -> list[tuple[str, float]]:
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        print("browser rows skipped: the playwright package is missing (run .ci/ensure-browser)")
        return []
    chromium = find_chromium()
    if chromium is None:
        print("browser rows skipped: no Chromium installed (run .ci/ensure-browser)")
        return []
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def open_report() -> float:
                started = time.perf_counter()
                page.goto(html.as_uri())
                page.wait_for_selector("body[data-ready]")
                return time.perf_counter() - started

            rows.append(("open in Chromium until lists are shown (wall)", best(rounds, open_report)))
            ready_ms = float(page.get_attribute("body", "data-ready") or "nan")
            rows.append(("  of which navigation to first render (in page)", ready_ms / 1000))

            def filter_failed() -> float:
                page.select_option("#f-outcome", "")
                started = time.perf_counter()
                page.select_option("#f-outcome", "failed")
                # expect() polls from Playwright's side: the report's CSP forbids eval.
                expect(page.get_by_test_id("tests-count")).to_contain_text(" of ")
                return time.perf_counter() - started

            rows.append(("apply the outcome filter 'failed'", best(rounds, filter_failed)))
        finally:
            browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="keep the generated files in DIR")
    args = parser.parse_args()

    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        return measure(Path(args.keep), args)
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        return measure(Path(folder), args)


def measure(folder: Path, args: argparse.Namespace) -> int:
    results_path, html_path = folder / "results.json", folder / "report.html"
    results_path.write_text(json.dumps(large_document(args.results)), encoding="utf-8")
    catalog = spec_info(load_catalog())

    rows = [("load the results file into the model", best(args.rounds, lambda: (load_run(results_path), None)[1]))]
    run = load_run(results_path)

    def render() -> None:
        html_path.write_text(render_html(combine([run]), catalog), encoding="utf-8")

    rows.append(("render the HTML report (combine, scores, Jinja2, write)", best(args.rounds, render)))
    rows.append(("  load + render together", rows[0][1] + rows[1][1]))
    rows += browser_rows(html_path, args.rounds)

    size = html_path.stat().st_size / 1e6
    print(f"{len(run.results)} results, report {size:.1f} MB at {html_path}")
    width = max(len(name) for name, _ in rows)
    missed = False
    for name, seconds in rows:
        flag = "" if seconds < TARGET_SECONDS else f"  MISSES the {TARGET_SECONDS:.0f} s target"
        missed = missed or bool(flag)
        print(f"{name:<{width}}  {seconds:7.3f} s{flag}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
