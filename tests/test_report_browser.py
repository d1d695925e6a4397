"""The HTML report in a real browser: headless Debian Chromium driven by Playwright.

Skipped when Chromium or the playwright package is missing; .ci/run installs both
with .ci/ensure-browser (no browser download: Playwright drives /usr/bin/chromium).
"""

from __future__ import annotations

import pytest

from conformance.catalog import load_catalog
from conformance.reporting import spec_info
from reports.browser import CHROMIUM_ARGS, DEBIAN_CHROMIUM, find_chromium
from reports.html import render_html
from reports.model import combine, parse_run
from reports.synthetic import document, result, write_demo_catalog

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is missing; run .ci/ensure-browser (as .ci/run does)"
)
CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason=f"no Chromium ({DEBIAN_CHROMIUM}) installed; run .ci/ensure-browser (as .ci/run does)"
)


def _combined():
    """250 tests on two implementations: enough for two pages of the test list."""
    records = []
    for n in range(250):
        spec = ("demo.one",) if n % 2 else ("demo.two",)
        test = f"suite/test_demo.py::test_behaviour[{n}]"
        records.append(result(test, "shim", "failed" if n % 10 == 0 else "passed", spec, f"AssertionError: case {n}"))
        records.append(result(test, "flask", "skipped" if n % 25 == 0 else "passed", spec))
    return combine([parse_run(document(records), "demo.json", label="demo")])


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_the_report_shows_the_models_numbers_and_filters(browser, tmp_path):
    combined = _combined()
    report = tmp_path / "report.html"
    report.write_text(render_html(combined, spec_info(load_catalog(write_demo_catalog(tmp_path / "spec")))), encoding="utf-8")

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(report.as_uri())
    page.wait_for_selector("body[data-ready]")

    def text(testid: str) -> str:
        return page.inner_text(f'[data-testid="{testid}"]').strip()

    shim, flask = combined.columns
    assert (text("score-c0"), text("score-c1")) == (shim.score.text, flask.score.text) == ("90.0%", "100.0%")
    assert (text("passed-c0"), text("counted-c0")) == (str(shim.score.passed), str(shim.score.counted))
    assert text("total-c1-skipped") == str(flask.totals["skipped"]) == "10"
    demo = combined.area_scores(shim)["demo"]
    assert text("area-0-c0").split() == [demo.text, f"{demo.passed}/{demo.counted}"]
    assert text("tests-count") == "250"
    assert page.locator("#tests-body tr").count() == 100  # paged, not 250 rows

    page.select_option("#f-outcome", "failed")
    failing = [t for t in combined.tests if shim.results[t].outcome == "failed"]
    sync_api.expect(page.get_by_test_id("tests-count")).to_have_text(f"{len(failing)} of 250")
    assert page.locator("#tests-body tr").count() == len(failing)
    assert text("failures-count") == str(len(failing))  # every failure is a failed one
    failures = page.inner_text("#failures-body")
    assert "suite/test_demo.py::test_behaviour[shim-0]" in failures and "AssertionError: case 0" in failures
    assert "The second demo behaviour." in failures and "S0: Two — Demo seed" in failures

    page.fill("#f-search", "test_behaviour[20]")
    sync_api.expect(page.get_by_test_id("tests-count")).to_have_text("1 of 250")  # after the debounce
    assert page.inner_text("#tests-body code") == "suite/test_demo.py::test_behaviour[20]"

    page.click("#f-reset")
    page.select_option("#f-area", "0")
    assert text("tests-count") == "250"  # every test is in the one demo area

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 1000
    assert [u for u in fetched if not u.startswith("file:")] == []
    assert errors == []
    page.close()
