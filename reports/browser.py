"""Where the headless browser that opens reports lives, and how to start it.

Used by tests/test_report_browser.py and bench/bench_report.py. Debian's
``chromium`` package is the reference; other Chromium builds found on the PATH
(GitHub's Ubuntu runners ship Google Chrome) work the same with Playwright.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: Debian's chromium, what .ci/ensure-browser installs.
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
_OTHERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: --no-sandbox because CI runs as root; the rest keep Chromium off the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> Path | None:
    """The Chromium executable to drive, or None when none is installed."""
    if DEBIAN_CHROMIUM.exists():
        return DEBIAN_CHROMIUM
    for name in _OTHERS:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None
