"""The signed-cookie session as seen over HTTP: what is stored, when the cookie is
sent, how it is marked (``Vary: Cookie``), and every ``SESSION_COOKIE_*`` setting.

The session interface's methods, the null session and the tagged serializer are
tested in test_session_interface.py; cookies crossing implementations in
test_session_interop.py.
"""

from __future__ import annotations

import base64
import json
import time
import zlib
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.http import parse_date

from .tagged_values import TAGGED_VALUES

spec = pytest.mark.spec

SECRET = "sessions-secret"


# --- helpers -------------------------------------------------------------------


def set_cookies(response):
    """The response's Set-Cookie headers as {name: (value, attributes)}; attribute
    names are lowercased and flags (HttpOnly, Secure, ...) map to True."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        first, *rest = header.split(";")
        name, _, value = first.strip().partition("=")
        attributes = {}
        for part in rest:
            key, has_value, text = part.strip().partition("=")
            attributes[key.lower()] = text if has_value else True
        cookies[name] = (value, attributes)
    return cookies


def varies_on_cookie(response):
    return "cookie" in {v.lower() for v in response.vary}


@pytest.fixture
def sapp(app):
    """The fresh testing app with a secret key, and views to seed and show the session."""
    app.secret_key = SECRET
    return app


def add_store_view(flask, app, rule="/store"):
    """A view that stores its query arguments in the session (integers as ints)."""

    def store():
        for key, value in flask.request.args.items():
            flask.session[key] = int(value) if value.isdigit() else value
        return "stored"

    app.add_url_rule(rule, "store", store)


def add_show_view(flask, app, rule="/show"):
    """A view that answers the session's contents as JSON."""
    app.add_url_rule(rule, "show", lambda: dict(flask.session))


def signed_cookie(client_for, make_app, flask, key, data, **config):
    """A session cookie value holding ``data``, signed by an app with secret ``key``."""
    writer = make_app()
    writer.config.update(TESTING=True, SECRET_KEY=key, **config)

    @writer.route("/")
    def write():
        flask.session.update(data)
        return ""

    client = client_for(writer)
    client.get("/")
    return client.get_cookie("session").value


# --- the session across requests ----------------------------------------------


@spec("sessions.round-trip")
def test_session_values_come_back_on_the_next_request(flask, sapp, client):
    add_store_view(flask, sapp)
    add_show_view(flask, sapp)
    response = client.get("/store?user=ann&visits=3")
    assert "session" in set_cookies(response)
    assert client.get("/show").json == {"user": "ann", "visits": 3}


@spec("sessions.dict-interface")
def test_session_behaves_like_a_dict(flask, sapp, client):
    @sapp.route("/")
    def use():
        s = flask.session
        s["a"] = 1
        s.update(b=2)
        first = s.setdefault("c", 3)
        again = s.setdefault("c", 30)
        seen = [s["a"], s.get("zz", "dflt"), "a" in s, "zz" in s, len(s), sorted(s)]
        popped = [s.pop("b"), s.pop("zz", None)]
        del s["a"]
        return {"seen": seen, "set": [first, again], "popped": popped, "left": dict(s)}

    add_show_view(flask, sapp)
    assert client.get("/").json == {
        "seen": [1, "dflt", True, False, 3, ["a", "b", "c"]],
        "set": [3, 3],
        "popped": [2, None],
        "left": {"c": 3},
    }
    assert client.get("/show").json == {"c": 3}


@spec("sessions.signed-not-encrypted")
def test_session_cookie_is_readable_without_the_key(flask, sapp, client):
    add_store_view(flask, sapp)
    client.get("/store?user=ann")
    value = client.get_cookie("session").value
    # payload.timestamp.signature; a leading '.' marks a zlib-compressed payload.
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert json.loads(zlib.decompress(raw) if compressed else raw) == {"user": "ann"}


# --- secret key and bad cookies -------------------------------------------------


@spec("sessions.secret-key-required")
def test_without_a_secret_key_the_session_reads_as_empty(flask, app, client):
    @app.route("/")
    def read():
        s = flask.session
        return {"get": s.get("user"), "in": "user" in s, "len": len(s), "dict": dict(s)}

    response = client.get("/")
    assert response.status_code == 200
    assert response.json == {"get": None, "in": False, "len": 0, "dict": {}}
    assert "session" not in set_cookies(response)


@spec("sessions.secret-key-required")
@pytest.mark.parametrize("write", ["set item", "make permanent"])
@pytest.mark.needs("sync-contexts")
def test_writing_without_a_secret_key_is_a_runtime_error(flask, app, write):
    with app.test_request_context():
        with pytest.raises(RuntimeError, match="(?i)secret.key"):
            if write == "set item":
                flask.session["user"] = "ann"
            else:
                flask.session.permanent = True


def _altered_payload(value):
    forged = base64.urlsafe_b64encode(b'{"user":"admin"}').rstrip(b"=").decode()
    return ".".join([forged, *value.lstrip(".").split(".")[1:]])


def _altered_signature(value):
    # Change the signature's first character: the last one partly holds base64
    # padding bits, so changing it may leave the decoded signature as it was.
    head, _, signature = value.rpartition(".")
    return f"{head}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


@spec("sessions.bad-cookie-ignored")
@pytest.mark.parametrize("bad", ["altered payload", "altered signature", "not signed", "other key"])
def test_a_bad_session_cookie_gives_an_empty_session(flask, make_app, sapp, client, bad, client_for):
    add_show_view(flask, sapp)
    good = signed_cookie(client_for, make_app, flask, SECRET, {"user": "ann"})
    cookie = {
        "altered payload": _altered_payload(good),
        "altered signature": _altered_signature(good),
        "not signed": "not-a-signed-value",
        "other key": signed_cookie(client_for, make_app, flask, "another-secret", {"user": "ann"}),
    }[bad]
    client.set_cookie("session", cookie)
    response = client.get("/show")
    assert response.status_code == 200
    assert response.json == {}


@spec("sessions.expired-cookie-ignored")
@pytest.mark.parametrize(
    ("age", "lifetime", "expected"),
    [
        (timedelta(hours=2), timedelta(hours=1), {}),
        (timedelta(minutes=10), timedelta(hours=1), {"user": "ann"}),
        (timedelta(days=40), None, {}),  # the default lifetime is 31 days
    ],
)
def test_a_cookie_older_than_the_lifetime_is_refused(flask, make_app, sapp, client, monkeypatch, age, lifetime, expected, client_for):
    if lifetime is not None:
        sapp.config["PERMANENT_SESSION_LIFETIME"] = lifetime
    add_show_view(flask, sapp)
    signed_at = time.time() - age.total_seconds()
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: signed_at)
        cookie = signed_cookie(client_for, make_app, flask, SECRET, {"user": "ann"})
    client.set_cookie("session", cookie)
    assert client.get("/show").json == expected


@spec("sessions.key-fallbacks-read")
@pytest.mark.parametrize("fallbacks", [["old-secret"], ["oldest-secret", "old-secret"]])
def test_a_cookie_signed_with_a_fallback_key_is_still_read(flask, make_app, sapp, client, fallbacks, client_for):
    sapp.config.update(SECRET_KEY="new-secret", SECRET_KEY_FALLBACKS=fallbacks)
    add_show_view(flask, sapp)
    client.set_cookie("session", signed_cookie(client_for, make_app, flask, "old-secret", {"user": "ann"}))
    assert client.get("/show").json == {"user": "ann"}


@spec("sessions.key-fallbacks-sign")
@pytest.mark.parametrize(("reader_key", "expected"), [("new-secret", {"user": "ann"}), ("old-secret", {})])
def test_new_cookies_are_signed_with_the_current_key(flask, make_app, client, reader_key, expected, client_for):
    cookie = signed_cookie(client_for, make_app, flask, "new-secret", {"user": "ann"}, SECRET_KEY_FALLBACKS=["old-secret"])
    reader = make_app()
    reader.secret_key = reader_key
    add_show_view(flask, reader)
    reading = client_for(reader)
    reading.set_cookie("session", cookie)
    assert reading.get("/show").json == expected


# --- modified ----------------------------------------------------------------------

#: Changes to top-level keys, applied to a session holding {"x": 1, "keep": 1}.
CHANGES = {
    "set item": (lambda s: s.__setitem__("y", 2), {"x": 1, "keep": 1, "y": 2}),
    "replace item": (lambda s: s.__setitem__("x", 5), {"x": 5, "keep": 1}),
    "del item": (lambda s: s.__delitem__("x"), {"keep": 1}),
    "pop": (lambda s: s.pop("x"), {"keep": 1}),
    "popitem": (lambda s: s.popitem(), None),
    "update": (lambda s: s.update(y=2), {"x": 1, "keep": 1, "y": 2}),
    "setdefault new key": (lambda s: s.setdefault("y", 2), {"x": 1, "keep": 1, "y": 2}),
    "clear": (lambda s: s.clear(), {}),
    "set permanent": (lambda s: setattr(s, "permanent", True), {"x": 1, "keep": 1, "_permanent": True}),
}


@pytest.fixture
def seeded(flask, make_app, sapp, client, client_for):
    """The app with a show view, and a client whose session holds {"x": 1, "keep": 1}
    (signed by another app with the same key, so views can still be added)."""
    add_show_view(flask, sapp)
    client.set_cookie("session", signed_cookie(client_for, make_app, flask, SECRET, {"x": 1, "keep": 1}))
    return client


@spec("sessions.modified-on-change")
@pytest.mark.parametrize("change", list(CHANGES))
def test_changing_top_level_keys_marks_modified_and_saves(flask, sapp, seeded, change):
    apply, expected = CHANGES[change]

    @sapp.route("/change")
    def change_view():
        apply(flask.session)
        return {"modified": flask.session.modified}

    response = seeded.get("/change")
    assert response.json == {"modified": True}
    assert "session" in set_cookies(response)
    left = seeded.get("/show").json
    if expected is None:  # popitem: which key goes is the dict's business
        assert len(left) == 1
    else:
        assert left == expected


def add_nested_list_views(flask, sapp, *, mark_modified):
    """/seed stores a list in the session; /append appends to it in place, then
    (when ``mark_modified``) sets ``session.modified`` by hand, and answers what
    ``modified`` says."""
    add_show_view(flask, sapp)

    @sapp.route("/seed")
    def seed():
        flask.session["items"] = [1]
        return ""

    @sapp.route("/append")
    def append():
        flask.session["items"].append(2)
        if mark_modified:
            flask.session.modified = True
        return {"modified": flask.session.modified}


@spec("sessions.nested-change-unnoticed")
def test_changing_a_nested_value_is_not_saved(flask, sapp, client):
    add_nested_list_views(flask, sapp, mark_modified=False)
    client.get("/seed")
    response = client.get("/append")
    assert response.json == {"modified": False}
    assert "session" not in set_cookies(response)
    assert client.get("/show").json == {"items": [1]}


@spec("sessions.modified-settable")
def test_setting_modified_by_hand_saves_nested_changes(flask, sapp, client):
    add_nested_list_views(flask, sapp, mark_modified=True)
    client.get("/seed")
    assert "session" in set_cookies(client.get("/append"))
    assert client.get("/show").json == {"items": [1, 2]}


#: Uses of the session that read it without changing it (the session holds "x").
READS = {
    "item": lambda s: s["x"],
    "get": lambda s: s.get("x"),
    "in": lambda s: "x" in s,
    "len": lambda s: len(s),
    "iteration": lambda s: list(s),
    "keys": lambda s: list(s.keys()),
    "items": lambda s: list(s.items()),
    "truth": lambda s: bool(s),
    "pop missing key": lambda s: s.pop("missing", None),
    "setdefault existing key": lambda s: s.setdefault("x", 0),
    "read modified": lambda s: s.modified,
    "read permanent": lambda s: s.permanent,
    "read new": lambda s: s.new,
}


def add_use_view(flask, app, use):
    """/use applies the READS entry ``use`` to the session and answers an empty body."""

    def use_view():
        READS[use](flask.session)
        return ""

    app.add_url_rule("/use", "use", use_view)


@spec("sessions.read-sends-no-cookie")
@pytest.mark.parametrize("use", list(READS))
def test_reading_the_session_sends_no_cookie(flask, sapp, seeded, use):
    add_use_view(flask, sapp, use)
    assert "session" not in set_cookies(seeded.get("/use"))


# --- accessed and Vary: Cookie --------------------------------------------------


#: The uses that marked the session accessed before 3.1.3, when only reading or
#: writing a value did (spec: sessions.access-varies-on-cookie, changed in 3.1.3).
VALUE_READS = {"item", "get", "setdefault existing key", "read permanent"}


@spec("sessions.access-varies-on-cookie")
@pytest.mark.parametrize("use", list(READS))
def test_any_use_of_the_session_adds_vary_cookie(flask, sapp, seeded, use, behaviour_at):
    add_use_view(flask, sapp, use)
    expected = behaviour_at("sessions.access-varies-on-cookie", current=True, before={"3.1.3": use in VALUE_READS})
    assert varies_on_cookie(seeded.get("/use")) is expected


@spec("sessions.access-varies-on-cookie")
@pytest.mark.parametrize("use", ["get", "in", "len", "iteration", "read modified"])
def test_using_an_empty_session_adds_vary_cookie(flask, sapp, client, use, behaviour_at):
    add_use_view(flask, sapp, use)
    response = client.get("/use")
    expected = behaviour_at("sessions.access-varies-on-cookie", current=True, before={"3.1.3": use in VALUE_READS})
    assert varies_on_cookie(response) is expected
    assert "session" not in set_cookies(response)


@spec("sessions.access-varies-on-cookie")
def test_writing_the_session_adds_vary_cookie(flask, sapp, client):
    add_store_view(flask, sapp)
    assert varies_on_cookie(client.get("/store?user=ann"))


@spec("sessions.vary-merged")
@pytest.mark.parametrize(
    ("view_vary", "sent"),
    [
        ("Accept-Encoding", "Accept-Encoding, Cookie"),
        ("Cookie", "Cookie"),
        ("cookie", "cookie"),
        ("Accept, Cookie", "Accept, Cookie"),
        ("Accept, Origin", "Accept, Origin, Cookie"),
    ],
)
def test_vary_cookie_joins_the_views_own_vary_once(flask, sapp, client, view_vary, sent, sync):
    @sapp.route("/vary")
    def vary():
        flask.session.get("user")
        response = sync(flask.make_response("varied"))
        response.headers["Vary"] = view_vary
        return response

    response = client.get("/vary")
    assert response.headers.getlist("Vary") == [sent]


@spec("sessions.cookie-write-varies", "sessions.emptied-deletes-cookie")
def test_the_cookie_deleting_response_varies_on_cookie(flask, sapp, client):
    add_store_view(flask, sapp)

    @sapp.route("/logout")
    def logout():
        flask.session.pop("user")
        return "bye"

    client.get("/store?user=ann")
    response = client.get("/logout")
    assert set_cookies(response)["session"][0] == ""
    assert response.headers.getlist("Vary") == ["Cookie"]


@spec("sessions.cookie-write-varies", "sessions.refresh-each-request")
def test_a_refreshed_permanent_cookie_varies_even_untouched(flask, permanent_view, client):
    permanent_view.add_url_rule("/ignore", "ignore", lambda: "session not used")
    client.get("/permanent")
    response = client.get("/ignore")
    assert "session" in set_cookies(response)
    assert response.headers.getlist("Vary") == ["Cookie"]


@spec("sessions.cookie-write-varies", "sessions.emptied-deletes-cookie")
def test_a_cookie_deleted_for_a_session_no_view_touched_still_varies(flask, sapp, client):
    class Expiring(type(sapp.session_interface)):  # the default, SecureCookieSessionInterface
        def open_session(self, app, request):
            session = super().open_session(app, request)
            if "expire" in request.args:  # drop the stored session before any view sees it
                session = self.session_class()
                session.modified = True
            return session

    sapp.session_interface = Expiring()
    add_store_view(flask, sapp)
    sapp.add_url_rule("/plain", "plain", lambda: "untouched")
    client.get("/store?user=ann")
    response = client.get("/plain?expire=1")
    assert set_cookies(response)["session"][0] == ""
    assert response.headers.getlist("Vary") == ["Cookie"]


@spec("sessions.modified-on-change", "sessions.emptied-deletes-cookie")
def test_clearing_an_empty_session_still_deletes_the_cookie(flask, sapp, client):
    @sapp.route("/clear")
    def clear():
        flask.session.clear()
        return ""

    response = client.get("/clear")
    value, attributes = set_cookies(response)["session"]
    assert value == ""
    assert parse_date(attributes["expires"]) < datetime.now(timezone.utc)
    assert response.headers.getlist("Vary") == ["Cookie"]


@spec("sessions.modified-on-change", "sessions.permanent-expires")
def test_making_an_empty_session_permanent_sends_a_lasting_cookie(flask, sapp, client):
    @sapp.route("/remember")
    def remember():
        flask.session.permanent = True
        return ""

    value, attributes = set_cookies(client.get("/remember"))["session"]
    assert value
    assert parse_date(attributes["expires"]) > datetime.now(timezone.utc) + timedelta(days=30)


@spec("sessions.null-session-no-vary")
@pytest.mark.parametrize("use", ["get", "in", "len", "read permanent"])
def test_the_null_session_gets_no_vary(flask, app, client, use):
    add_use_view(flask, app, use)
    response = client.get("/use")
    assert response.status_code == 200
    assert response.headers.getlist("Vary") == []
    assert "session" not in set_cookies(response)


@spec("sessions.access-window")
@pytest.mark.parametrize(("hook", "varies"), [("after_request", True), ("teardown_request", False)])
def test_session_use_counts_until_the_response_is_saved(flask, sapp, client, hook, varies):
    sapp.add_url_rule("/plain", "plain", lambda: "session not used in the view")

    def after(response):
        flask.session.get("user")
        return response

    def teardown(error):
        flask.session.get("user")

    if hook == "after_request":
        sapp.after_request(after)
    else:
        sapp.teardown_request(teardown)
    assert varies_on_cookie(client.get("/plain")) is varies


@spec("sessions.untouched-no-vary")
@pytest.mark.parametrize("view", ["plain", "request and g", "template"])
@pytest.mark.parametrize("has_cookie", [False, True], ids=["no cookie", "with cookie"])
def test_a_view_that_ignores_the_session_gets_no_vary(flask, sapp, client, view, has_cookie, sync):
    add_store_view(flask, sapp)

    @sapp.route("/ignore")
    def ignore():
        if view == "request and g":
            flask.g.user = flask.request.args.get("user")
            return flask.request.path
        if view == "template":
            return sync(flask.render_template_string("{{ request.path }}"))
        return "plain"

    if has_cookie:
        client.get("/store?user=ann")
    response = client.get("/ignore")
    assert response.status_code == 200
    assert not varies_on_cookie(response)
    assert "session" not in set_cookies(response)


@spec("sessions.new-false")
@pytest.mark.parametrize("has_cookie", [False, True], ids=["fresh", "loaded"])
def test_session_new_is_false(flask, sapp, client, has_cookie):
    add_store_view(flask, sapp)
    sapp.add_url_rule("/new", "new", lambda: {"new": flask.session.new})
    if has_cookie:
        client.get("/store?user=ann")
    assert client.get("/new").json == {"new": False}


# --- permanence and refreshing ---------------------------------------------------


@pytest.fixture
def permanent_view(flask, sapp):
    """/permanent stores a value and makes the session permanent."""

    @sapp.route("/permanent")
    def make_permanent():
        flask.session.permanent = True
        flask.session["user"] = "ann"
        return ""

    return sapp


@spec("sessions.permanent-expires")
@pytest.mark.parametrize(
    ("setting", "lifetime"),
    [
        (None, timedelta(days=31)),
        (timedelta(hours=2), timedelta(hours=2)),
        (3600, timedelta(seconds=3600)),
    ],
    ids=["default", "timedelta", "seconds"],
)
def test_a_permanent_cookie_expires_after_the_lifetime(permanent_view, client, setting, lifetime):
    if setting is not None:
        permanent_view.config["PERMANENT_SESSION_LIFETIME"] = setting
    response = client.get("/permanent")
    _, attributes = set_cookies(response)["session"]
    expires = parse_date(attributes["expires"])
    expected = datetime.now(timezone.utc) + lifetime
    assert abs(expires - expected) < timedelta(seconds=10)


@spec("sessions.permanent-expires")
def test_a_non_permanent_cookie_has_no_expiry(flask, sapp, client):
    add_store_view(flask, sapp)
    _, attributes = set_cookies(client.get("/store?user=ann"))["session"]
    assert "expires" not in attributes
    assert "max-age" not in attributes


@spec("sessions.permanent-persists")
def test_the_permanent_flag_is_remembered(flask, permanent_view, client):
    permanent_view.add_url_rule("/flag", "flag", lambda: {"permanent": flask.session.permanent})
    assert client.get("/flag").json == {"permanent": False}
    client.get("/permanent")
    assert client.get("/flag").json == {"permanent": True}


@spec("sessions.refresh-each-request")
@pytest.mark.parametrize(
    ("refresh", "permanent", "resent"),
    [(True, True, True), (False, True, False), (True, False, False), (False, False, False)],
)
def test_refresh_each_request_resends_permanent_cookies(flask, permanent_view, client, refresh, permanent, resent):
    permanent_view.config["SESSION_REFRESH_EACH_REQUEST"] = refresh
    add_store_view(flask, permanent_view)
    add_show_view(flask, permanent_view)
    client.get("/permanent" if permanent else "/store?user=ann")
    response = client.get("/show")
    assert response.json["user"] == "ann"
    assert ("session" in set_cookies(response)) is resent


@spec("sessions.emptied-deletes-cookie")
@pytest.mark.parametrize("empty", ["clear", "pop last key", "del last key"])
@pytest.mark.parametrize(
    ("config", "base_url", "domain", "path", "flags"),
    [
        ({}, "http://localhost/", None, "/", {"httponly": True}),
        (
            {"SESSION_COOKIE_DOMAIN": "example.org", "SESSION_COOKIE_PATH": "/"},
            "http://example.org/", "example.org", "/", {"httponly": True},
        ),
        (
            {"SESSION_COOKIE_PATH": "/app", "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_SAMESITE": "Strict"},
            "https://localhost/", None, "/app", {"httponly": True, "secure": True, "samesite": "Strict"},
        ),
        pytest.param(
            {"SESSION_COOKIE_PARTITIONED": True, "SESSION_COOKIE_HTTPONLY": False},
            "https://localhost/", None, "/", {"secure": True, "partitioned": True},  # Partitioned implies Secure
            marks=pytest.mark.spec("sessions.cookie-partitioned"),  # new in 3.1: not applicable before
        ),
    ],
    ids=["defaults", "domain", "secure-samesite", "partitioned"],
)
def test_emptying_the_session_deletes_the_cookie(flask, sapp, client, empty, config, base_url, domain, path, flags):
    sapp.config.update(config)
    # The views live under the cookie's path, so the client sends the cookie back
    # (over every transport; a base URL with a path is not one a live server has).
    prefix = path.rstrip("/")
    add_store_view(flask, sapp, f"{prefix}/store")

    @sapp.route(f"{prefix}/empty")
    def empty_view():
        s = flask.session
        if empty == "clear":
            s.clear()
        elif empty == "pop last key":
            s.pop("user")
        else:
            del s["user"]
        return ""

    client.get(f"{prefix}/store?user=ann", base_url=base_url)
    value, attributes = set_cookies(client.get(f"{prefix}/empty", base_url=base_url))["session"]
    assert value == ""
    assert parse_date(attributes["expires"]) < datetime.now(timezone.utc)
    assert attributes.get("domain") == domain
    assert attributes["path"] == path
    # The deleting cookie carries the same flags as the cookie it replaces.
    assert {k: v for k, v in attributes.items() if k in ("httponly", "secure", "partitioned", "samesite")} == flags


# --- cookie settings -------------------------------------------------------------


def session_cookie(client_for, flask, app, base_url="http://localhost/", name="session"):
    """Store a value and return the session cookie's (value, attributes)."""
    add_store_view(flask, app)
    response = client_for(app).get("/store?user=ann", base_url=base_url)
    return set_cookies(response)[name]


@spec("sessions.cookie-name")
@pytest.mark.parametrize(("setting", "name"), [(None, "session"), ("sid", "sid"), ("my_app_session", "my_app_session")])
def test_session_cookie_name(flask, sapp, setting, name, client_for):
    if setting is not None:
        sapp.config["SESSION_COOKIE_NAME"] = setting
    value, _ = session_cookie(client_for, flask, sapp, name=name)
    assert value


@spec("sessions.cookie-domain")
@pytest.mark.parametrize(
    ("config", "domain"),
    [
        ({}, None),
        # The request's own host: before 3.1 SERVER_NAME refused any other host.
        ({"SERVER_NAME": "www.example.org"}, None),
        ({"SESSION_COOKIE_DOMAIN": "example.org"}, "example.org"),
        ({"SESSION_COOKIE_DOMAIN": "example.org", "SERVER_NAME": "www.example.org"}, "example.org"),
    ],
)
def test_session_cookie_domain(flask, sapp, config, domain, client_for):
    sapp.config.update(config)
    _, attributes = session_cookie(client_for, flask, sapp, base_url="http://www.example.org/")
    assert attributes.get("domain") == domain


@spec("sessions.cookie-path")
@pytest.mark.parametrize(
    ("config", "path"),
    [
        ({}, "/"),
        ({"APPLICATION_ROOT": "/app"}, "/app"),
        ({"SESSION_COOKIE_PATH": "/p"}, "/p"),
        ({"SESSION_COOKIE_PATH": "/p", "APPLICATION_ROOT": "/app"}, "/p"),
    ],
)
def test_session_cookie_path(flask, sapp, config, path, client_for):
    sapp.config.update(config)
    _, attributes = session_cookie(client_for, flask, sapp)
    assert attributes["path"] == path


@spec("sessions.cookie-httponly")
@pytest.mark.parametrize(("setting", "present"), [(None, True), (True, True), (False, False)])
def test_session_cookie_httponly(flask, sapp, setting, present, client_for):
    if setting is not None:
        sapp.config["SESSION_COOKIE_HTTPONLY"] = setting
    _, attributes = session_cookie(client_for, flask, sapp)
    assert ("httponly" in attributes) is present


@spec("sessions.cookie-secure")
@pytest.mark.parametrize(("setting", "present"), [(None, False), (True, True), (False, False)])
def test_session_cookie_secure(flask, sapp, setting, present, client_for):
    if setting is not None:
        sapp.config["SESSION_COOKIE_SECURE"] = setting
    _, attributes = session_cookie(client_for, flask, sapp)
    assert ("secure" in attributes) is present


@spec("sessions.cookie-samesite")
@pytest.mark.parametrize("setting", [None, "Lax", "Strict", "None"])
def test_session_cookie_samesite(flask, sapp, setting, client_for):
    sapp.config.update(SESSION_COOKIE_SAMESITE=setting, SESSION_COOKIE_SECURE=True)
    _, attributes = session_cookie(client_for, flask, sapp)
    assert attributes.get("samesite") == setting


@spec("sessions.cookie-partitioned")
@pytest.mark.parametrize(("setting", "present"), [(None, False), (True, True), (False, False)])
def test_session_cookie_partitioned(flask, sapp, setting, present, client_for):
    if setting is not None:
        sapp.config.update(SESSION_COOKIE_PARTITIONED=setting, SESSION_COOKIE_SECURE=True)
    _, attributes = session_cookie(client_for, flask, sapp)
    assert ("partitioned" in attributes) is present


# --- tagged types through the cookie ---------------------------------------------


@spec("sessions.tagged-types")
@pytest.mark.parametrize("name", list(TAGGED_VALUES))
def test_tagged_types_survive_the_session_cookie(flask, sapp, client, name):
    value = TAGGED_VALUES[name]

    @sapp.route("/put")
    def put():
        flask.session["value"] = value
        return ""

    @sapp.route("/check")
    def check():
        stored = flask.session["value"]
        return {"equal": stored == value, "type": type(stored) is type(value)}

    client.get("/put")
    assert client.get("/check").json == {"equal": True, "type": True}
