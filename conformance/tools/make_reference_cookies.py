"""Record the reference session cookies with real Flask, by hand:

    .venv/bin/python conformance/tools/make_reference_cookies.py

For every case in ``conformance/suite/reference_sessions.py`` an app of the installed
Flask serves one request whose view fills the session; the Set-Cookie header it sends
is written to ``conformance/suite/data/reference_cookies.json``. itsdangerous' clock is
frozen at ``TIMESTAMP``, so the output is the same on every run. The tests never
import this script: they only read its output.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import flask  # noqa: E402
from itsdangerous.timed import TimestampSigner  # noqa: E402

from conformance.suite.reference_sessions import CASES, DATA_FILE, SECRET_KEY, TIMESTAMP, Case, contents, split_expires  # noqa: E402


def record(case: Case) -> dict[str, str]:
    """The Set-Cookie header real Flask sends for ``case`` (Expires taken out), and its cookie value."""
    app = flask.Flask(__name__)
    app.config.update(TESTING=True, SECRET_KEY=SECRET_KEY)

    @app.route("/")
    def fill() -> str:
        flask.session.update(case.values)
        if case.permanent:
            flask.session.permanent = True
        for category, message in case.flashes:
            flask.flash(message, category)
        return ""

    (header,) = app.test_client().get("/").headers.getlist("Set-Cookie")
    value = header.partition(";")[0].partition("=")[2]
    check(app, value, case)
    header, expires = split_expires(header)
    return {"cookie": value, "set_cookie": header, "expires": expires}


def check(app: flask.Flask, value: str, case: Case) -> None:
    """Flask reads its own cookie back into the expected session."""
    with app.test_request_context(headers={"Cookie": f"session={value}"}):
        session = app.session_interface.open_session(app, flask.request)
        assert contents(session) == case.expected(), (contents(session), case.expected())
        assert session.permanent == case.permanent


def main() -> None:
    with mock.patch.object(TimestampSigner, "get_timestamp", lambda self: TIMESTAMP):
        cookies = {name: record(case) for name, case in CASES.items()}
    document = {
        "generated_with": {
            name: importlib.metadata.version(name) for name in ("flask", "werkzeug", "itsdangerous")
        },
        "secret_key": SECRET_KEY,
        "timestamp": TIMESTAMP,
        "cookies": cookies,
    }
    DATA_FILE.parent.mkdir(exist_ok=True)
    DATA_FILE.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(cookies)} cookies to {DATA_FILE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
