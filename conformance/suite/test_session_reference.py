"""Reference session cookies: cookies real Flask 3.1 signed with a fixed key while
itsdangerous' clock was frozen (``data/reference_cookies.json``, from
``conformance/tools/make_reference_cookies.py``).

Every implementation, run alone, reads each of them through ``app.session_interface``
into the same session, and signs the same session into the same bytes. itsdangerous is
shared by every implementation, so freezing its clock here fixes the timestamp without
touching the implementation under test.
"""

from __future__ import annotations

import base64
import typing as t
import zlib

import pytest
from itsdangerous.timed import TimestampSigner

from .reference_sessions import CASES, SECRET_KEY, TIMESTAMP, contents, load_reference, split_expires

spec = pytest.mark.spec

REFERENCE = load_reference()["cookies"]
NAMES = sorted(CASES)
#: The longest a plain (not permanent) session cookie is accepted: PERMANENT_SESSION_LIFETIME, 31 days.
LIFETIME = 31 * 24 * 3600


def same(actual: t.Any, expected: t.Any) -> bool:
    """Equal, and of the same type all the way down (a tuple is no list, Markup no str)."""
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(same(actual[k], expected[k]) for k in expected)
    if isinstance(expected, (list, tuple)):
        return len(actual) == len(expected) and all(map(same, actual, expected))
    return bool(actual == expected)


@pytest.fixture
def clock(monkeypatch):
    """Set itsdangerous' clock: ``clock(seconds_after_the_reference_time)``."""

    def set_clock(offset: int = 0) -> None:
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: TIMESTAMP + offset)

    set_clock()
    return set_clock


@pytest.fixture
def keyed_app(app, clock):
    app.config["SECRET_KEY"] = SECRET_KEY
    return app


def _open(flask, app, cookie):
    """The session ``app.session_interface`` opens for a request carrying ``cookie``."""
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        return app.session_interface.open_session(app, flask.request)


# --- reading -------------------------------------------------------------------------------


@spec("sessions.reference-read", "sessions.tagged-types")
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.needs("sync-contexts")
def test_the_session_interface_reads_a_reference_cookie(flask, keyed_app, name):
    session = _open(flask, keyed_app, REFERENCE[name]["cookie"])
    expected = CASES[name].expected()
    assert same(contents(session), expected), (contents(session), expected)
    assert session.permanent is CASES[name].permanent
    assert session.new is False


@spec("sessions.reference-read", "sessions.tagged-types")
@pytest.mark.parametrize("name", NAMES)
def test_a_view_sees_the_session_of_a_reference_cookie(flask, keyed_app, client_for, name):
    seen = []

    @keyed_app.route("/")
    def view():
        seen.append((contents(flask.session), flask.session.permanent))
        return ""

    client = client_for(keyed_app)
    client.set_cookie("session", REFERENCE[name]["cookie"])
    assert client.get("/").status_code == 200
    ((session, permanent),) = seen
    assert same(session, CASES[name].expected()), session
    assert permanent is CASES[name].permanent


@spec("sessions.reference-read", "flashing.next-request")
@pytest.mark.parametrize("name", [name for name in NAMES if CASES[name].flashes])
def test_flashes_of_a_reference_cookie_are_read(flask, keyed_app, client_for, name):
    @keyed_app.route("/")
    def view():
        return {"flashes": flask.get_flashed_messages(with_categories=True)}

    client = client_for(keyed_app)
    client.set_cookie("session", REFERENCE[name]["cookie"])
    assert client.get("/").get_json() == {"flashes": [list(pair) for pair in CASES[name].flashes]}


@spec("sessions.reference-read", "sessions.expired-cookie-ignored")
@pytest.mark.parametrize(("offset", "readable"), [(LIFETIME - 1, True), (LIFETIME, True), (LIFETIME + 1, False)])
@pytest.mark.needs("sync-contexts")
def test_a_reference_cookie_expires_after_one_session_lifetime(flask, keyed_app, clock, offset, readable):
    clock(offset)
    session = _open(flask, keyed_app, REFERENCE["plain"]["cookie"])
    assert contents(session) == (CASES["plain"].expected() if readable else {})


@spec("sessions.reference-read", "sessions.bad-cookie-ignored")
@pytest.mark.parametrize("tamper", ["key", "payload", "timestamp"])
@pytest.mark.needs("sync-contexts")
def test_a_changed_reference_cookie_gives_an_empty_session(flask, keyed_app, tamper):
    cookie = REFERENCE["plain"]["cookie"]
    if tamper == "key":
        keyed_app.config["SECRET_KEY"] = SECRET_KEY + "!"
    else:
        payload, timestamp, signature = cookie.split(".")
        payload = payload[:-2] + "fQ" if tamper == "payload" else payload
        timestamp = "ZVPxAQ" if tamper == "timestamp" else timestamp
        cookie = ".".join((payload, timestamp, signature))
    session = _open(flask, keyed_app, cookie)
    assert contents(session) == {}


# --- writing -------------------------------------------------------------------------------


def _fill(flask, sync, case):
    """Put ``case`` in the current session, the way a view would."""
    flask.session.update(case.values)
    if case.permanent:
        flask.session.permanent = True
    for category, message in case.flashes:
        sync(flask.flash(message, category))


def _written_by_a_view(flask, sync, app, client_for, case):
    @app.route("/")
    def view():
        _fill(flask, sync, case)
        return ""

    return client_for(app).get("/").headers.getlist("Set-Cookie")


def _written_by_the_interface(flask, sync, app, client_for, case):
    with app.test_request_context():
        _fill(flask, sync, case)
        response = app.response_class()
        app.session_interface.save_session(app, flask.session._get_current_object(), response)
    return response.headers.getlist("Set-Cookie")


WRITERS = {"view": _written_by_a_view, "session_interface": _written_by_the_interface}
#: Writing through the interface pushes a request context in a plain ``with`` block.
VIAS = ["view", pytest.param("session_interface", marks=pytest.mark.needs("sync-contexts"))]


def _platform_zlib_matches(cookie: str) -> bool:
    """Whether this Python's zlib compresses the reference payload into the same bytes
    (zlib-ng and other builds may not); only then can compressed cookies match."""
    if not cookie.startswith("."):
        return True
    payload = cookie[1:].partition(".")[0]
    compressed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return zlib.compress(zlib.decompress(compressed)) == compressed


@spec("sessions.reference-write", "sessions.tagged-types")
@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("name", NAMES)
def test_the_same_session_signs_to_the_reference_bytes(flask, sync, keyed_app, client_for, name, via):
    reference = REFERENCE[name]
    if not _platform_zlib_matches(reference["cookie"]):
        pytest.skip("this Python's zlib compresses differently from the one that made the reference")
    (header,) = WRITERS[via](flask, sync, keyed_app, client_for, CASES[name])
    assert split_expires(header) == (reference["set_cookie"], reference["expires"])


@spec("sessions.reference-write")
def test_the_signing_time_is_itsdangerous_clock(flask, sync, keyed_app, client_for, clock):
    clock(1)
    (header,) = _written_by_a_view(flask, sync, keyed_app, client_for, CASES["plain"])
    cookie = header.partition(";")[0].partition("=")[2]
    reference = REFERENCE["plain"]["cookie"]
    assert cookie.split(".")[0] == reference.split(".")[0]
    assert cookie.split(".")[1] == "ZVPxAQ"  # TIMESTAMP + 1, big-endian, base64url

