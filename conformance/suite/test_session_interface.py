"""The session API below the ``session`` proxy: ``flask.sessions`` (the session
interface, the cookie interface, the null session, ``SessionMixin``) and the tagged
JSON serializer of ``flask.json.tag`` that session cookies are written with."""

from __future__ import annotations

import hashlib
from collections import namedtuple
from datetime import datetime, timedelta, timezone

import pytest

from .tagged_values import TAGGED_VALUES

spec = pytest.mark.spec


@pytest.fixture
def sessions(submodule):
    return submodule("sessions")


@pytest.fixture
def tag(submodule):
    return submodule("json.tag")


# --- the default interface ---------------------------------------------------------


@spec("sessions.interface-default")
def test_the_default_session_interface_is_the_cookie_interface(sessions, app):
    interface = app.session_interface
    assert isinstance(interface, sessions.SecureCookieSessionInterface)
    assert isinstance(interface, sessions.SessionInterface)
    assert interface.pickle_based is False


@spec("sessions.interface-default")
def test_the_cookie_interface_signs_with_documented_parameters(sessions, tag):
    interface = sessions.SecureCookieSessionInterface()
    assert interface.salt == "cookie-session"
    assert interface.key_derivation == "hmac"
    assert interface.digest_method(b"payload").digest() == hashlib.sha1(b"payload").digest()
    assert isinstance(interface.serializer, tag.TaggedJSONSerializer)
    assert interface.session_class is sessions.SecureCookieSession


@spec("sessions.interface-open-save")
def test_open_session_without_a_cookie_gives_an_empty_session(sessions, app, sync):
    app.secret_key = "interface-secret"
    with sync.context(app.test_request_context("/")) as ctx:
        opened = app.session_interface.open_session(app, ctx.request)
    assert isinstance(opened, sessions.SecureCookieSession)
    assert dict(opened) == {}
    assert not app.session_interface.is_null_session(opened)


@spec("sessions.interface-open-save")
def test_open_session_without_a_secret_key_gives_none(app, sync):
    with sync.context(app.test_request_context("/")) as ctx:
        assert app.session_interface.open_session(app, ctx.request) is None


@spec("sessions.interface-open-save")
def test_save_session_writes_a_cookie_open_session_reads(app, sync):
    app.secret_key = "interface-secret"
    interface = app.session_interface
    with sync.context(app.test_request_context("/")) as ctx:
        opened = interface.open_session(app, ctx.request)
        opened["user"] = "ann"
        response = app.response_class()
        interface.save_session(app, opened, response)
    name, _, value = response.headers["Set-Cookie"].split(";")[0].partition("=")
    assert name == "session"
    with sync.context(app.test_request_context(headers={"Cookie": f"session={value}"})) as ctx:
        assert dict(interface.open_session(app, ctx.request)) == {"user": "ann"}


# --- the interface's helpers ---------------------------------------------------------


@spec("sessions.interface-cookie-helpers")
@pytest.mark.parametrize(
    ("method", "config", "expected"),
    [
        ("get_cookie_name", {}, "session"),
        ("get_cookie_name", {"SESSION_COOKIE_NAME": "sid"}, "sid"),
        ("get_cookie_domain", {}, None),
        ("get_cookie_domain", {"SESSION_COOKIE_DOMAIN": "example.org"}, "example.org"),
        ("get_cookie_path", {}, "/"),
        ("get_cookie_path", {"APPLICATION_ROOT": "/app"}, "/app"),
        ("get_cookie_path", {"SESSION_COOKIE_PATH": "/p", "APPLICATION_ROOT": "/app"}, "/p"),
        ("get_cookie_httponly", {}, True),
        ("get_cookie_httponly", {"SESSION_COOKIE_HTTPONLY": False}, False),
        ("get_cookie_secure", {}, False),
        ("get_cookie_secure", {"SESSION_COOKIE_SECURE": True}, True),
        ("get_cookie_samesite", {}, None),
        ("get_cookie_samesite", {"SESSION_COOKIE_SAMESITE": "Lax"}, "Lax"),
        # New with SESSION_COOKIE_PARTITIONED, hence that entry's version.
        pytest.param("get_cookie_partitioned", {}, False, marks=spec("sessions.cookie-partitioned")),
        pytest.param("get_cookie_partitioned", {"SESSION_COOKIE_PARTITIONED": True}, True,
                     marks=spec("sessions.cookie-partitioned")),
    ],
)
def test_cookie_helpers_return_the_settings(sessions, app, method, config, expected):
    app.config.update(config)
    assert getattr(sessions.SessionInterface(), method)(app) == expected


@spec("sessions.interface-should-set-cookie")
@pytest.mark.parametrize(
    ("modified", "permanent", "refresh", "expected"),
    [
        (True, False, True, True),
        (True, False, False, True),
        (True, True, False, True),
        (False, True, True, True),
        (False, True, False, False),
        (False, False, True, False),
        (False, False, False, False),
    ],
)
def test_should_set_cookie(sessions, app, modified, permanent, refresh, expected):
    app.config["SESSION_REFRESH_EACH_REQUEST"] = refresh
    session = sessions.SecureCookieSession({"user": "ann"})
    session.permanent = permanent
    session.modified = modified  # after setting permanent, which is itself a change
    assert sessions.SessionInterface().should_set_cookie(app, session) is expected


@spec("sessions.interface-expiration-time")
@pytest.mark.parametrize("permanent", [False, True])
def test_expiration_time(sessions, app, permanent):
    app.permanent_session_lifetime = timedelta(hours=5)
    session = sessions.SecureCookieSession()
    session.permanent = permanent
    expires = sessions.SessionInterface().get_expiration_time(app, session)
    if not permanent:
        assert expires is None
    else:
        expected = datetime.now(timezone.utc) + timedelta(hours=5)
        assert abs(expires - expected) < timedelta(seconds=10)


@spec("sessions.interface-base-abstract")
@pytest.mark.parametrize("method", ["open_session", "save_session"])
def test_the_base_interface_leaves_open_and_save_to_backends(sessions, app, method):
    interface = sessions.SessionInterface()
    args = (app, None) if method == "open_session" else (app, sessions.SecureCookieSession(), app.response_class())
    with pytest.raises(NotImplementedError):
        getattr(interface, method)(*args)


# --- the null session ----------------------------------------------------------------


@spec("sessions.null-session")
def test_make_null_session_gives_a_null_session(sessions, app):
    interface = app.session_interface
    null = interface.make_null_session(app)
    assert interface.null_session_class is sessions.NullSession
    assert isinstance(null, sessions.NullSession)
    assert isinstance(null, sessions.SecureCookieSession)
    assert interface.is_null_session(null)
    assert not interface.is_null_session(sessions.SecureCookieSession())


@spec("sessions.null-session")
def test_the_null_session_reads_as_empty(sessions):
    null = sessions.NullSession()
    assert (null.get("user"), "user" in null, len(null), dict(null)) == (None, False, 0, {})


@spec("sessions.null-session")
@pytest.mark.parametrize(
    "change",
    ["set item", "del item", "clear", "pop", "popitem", "update", "setdefault", "permanent"],
)
def test_the_null_session_refuses_every_change(sessions, change):
    null = sessions.NullSession()
    apply = {
        "set item": lambda: null.__setitem__("user", "ann"),
        "del item": lambda: null.__delitem__("user"),
        "clear": null.clear,
        "pop": lambda: null.pop("user", None),
        "popitem": null.popitem,
        "update": lambda: null.update(user="ann"),
        "setdefault": lambda: null.setdefault("user", "ann"),
        "permanent": lambda: setattr(null, "permanent", True),
    }[change]
    with pytest.raises(RuntimeError):
        apply()


# --- custom interfaces ------------------------------------------------------------------


def dict_interface(sessions, store, events):
    """A backend keeping sessions in ``store`` under a 'sid' cookie, logging calls to ``events``."""

    class DictSession(dict, sessions.SessionMixin):
        pass

    class DictInterface(sessions.SessionInterface):
        def open_session(self, app, request):
            events.append(("open", request.url_rule))
            return DictSession(store.get(request.cookies.get("sid"), {}))

        def save_session(self, app, session, response):
            events.append(("save", response.headers.get("X-After")))
            store["sid-1"] = dict(session)
            response.set_cookie("sid", "sid-1")

    return DictInterface()


@spec("sessions.custom-interface")
def test_a_custom_interface_replaces_cookie_sessions(flask, sessions, app, client):
    store = {}
    app.session_interface = dict_interface(sessions, store, [])  # and no secret key

    @app.route("/login")
    def login():
        flask.session["user"] = "ann"
        return ""

    app.add_url_rule("/show", "show", lambda: dict(flask.session))
    client.get("/login")
    assert store == {"sid-1": {"user": "ann"}}
    assert client.get_cookie("session") is None
    assert client.get("/show").json == {"user": "ann"}


@spec("sessions.custom-interface-vary")
@pytest.mark.parametrize("use", ["read", "write"])
def test_a_custom_interface_decides_about_vary(flask, sessions, app, client, use):
    saved = []

    class MarkingInterface(type(dict_interface(sessions, {}, []))):
        def save_session(self, app, session, response):
            saved.append(session.accessed)
            super().save_session(app, session, response)

    app.session_interface = MarkingInterface()

    @app.route("/use")
    def use_view():
        if use == "write":
            flask.session["user"] = "ann"
        return {"user": flask.session.get("user")}

    response = client.get("/use")
    assert response.status_code == 200
    assert response.headers.getlist("Vary") == []
    # The session the interface gets back reads as accessed all the same.
    assert saved == [True]


@spec("sessions.interface-call-order")
def test_open_comes_before_url_matching_and_save_after_after_request(flask, sessions, app, client):
    events = []
    app.session_interface = dict_interface(sessions, {}, events)

    @app.route("/")
    def index():
        events.append(("view", flask.request.url_rule.rule))
        return ""

    @app.after_request
    def after(response):
        events.append(("after", None))
        response.headers["X-After"] = "seen"
        return response

    response = client.get("/")
    assert events == [("open", None), ("view", "/"), ("after", None), ("save", "seen")]
    assert client.get_cookie("sid").value == "sid-1"
    assert response.headers["X-After"] == "seen"


@spec("sessions.open-none-null-session")
def test_open_session_returning_none_gives_the_null_session(flask, sessions, app, client):
    saved = []

    class NoSessions(sessions.SessionInterface):
        def open_session(self, app, request):
            return None

        def save_session(self, app, session, response):
            saved.append(session)

    app.session_interface = NoSessions()
    app.add_url_rule("/", "index", lambda: {"null": isinstance(flask.session, sessions.NullSession)})
    assert client.get("/").json == {"null": True}
    assert saved == []


# --- SessionMixin and SecureCookieSession ------------------------------------------------


@spec("sessions.mixin-attributes", "sessions.untouched-no-vary")
def test_session_mixin_defaults(sessions, behaviour_at):
    class DictSession(dict, sessions.SessionMixin):
        pass

    session = DictSession()
    accessed = behaviour_at("sessions.mixin-attributes", current=False, before={"3.1.3": True})
    assert (session.new, session.modified, session.accessed, session.permanent) == (False, True, accessed, False)
    assert sessions.SessionMixin.accessed is accessed


@spec("sessions.mixin-attributes")
def test_session_mixin_permanent_lives_in_the_mapping(sessions):
    class DictSession(dict, sessions.SessionMixin):
        pass

    session = DictSession()
    session.permanent = True
    assert session.permanent is True
    assert session["_permanent"] is True
    assert DictSession(_permanent=True).permanent is True


@spec("sessions.modified-on-change", "sessions.new-false")
def test_a_cookie_session_tracks_its_own_changes(sessions):
    session = sessions.SecureCookieSession({"user": "ann"})
    assert (session.modified, session.new, session.accessed) == (False, False, False)
    session["user"] = "bob"
    assert session.modified is True


# --- the tagged JSON serializer -------------------------------------------------------------


@spec("sessions.tagged-json-serializer")
@pytest.mark.parametrize("name", list(TAGGED_VALUES))
def test_the_tagged_serializer_round_trips(tag, name):
    serializer = tag.TaggedJSONSerializer()
    value = TAGGED_VALUES[name]
    text = serializer.dumps(value)
    assert isinstance(text, str)
    back = serializer.loads(text)
    assert back == value
    assert type(back) is type(value)


@spec("sessions.tagged-json-serializer")
@pytest.mark.parametrize("value", [None, True, 3, 2.5, "text", [1, "a"], {"a": {"b": [None]}}])
def test_the_tagged_serializer_leaves_plain_json_alone(tag, value):
    serializer = tag.TaggedJSONSerializer()
    assert serializer.loads(serializer.dumps(value)) == value


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


def point_tag(tag, key=" pt"):
    class TagPoint(tag.JSONTag):
        def check(self, value):
            return isinstance(value, Point)

        def to_json(self, value):
            return [value.x, value.y]

        def to_python(self, value):
            return Point(*value)

    TagPoint.key = key
    return TagPoint


@spec("sessions.tag-register")
def test_register_adds_a_type(tag):
    serializer = tag.TaggedJSONSerializer()
    serializer.register(point_tag(tag))
    assert serializer.loads(serializer.dumps({"where": Point(1, 2)})) == {"where": Point(1, 2)}


@spec("sessions.tag-register")
def test_register_refuses_a_taken_key(tag):
    serializer = tag.TaggedJSONSerializer()
    with pytest.raises(KeyError):
        serializer.register(point_tag(tag, key=" t"))


@spec("sessions.tag-register")
def test_register_with_force_replaces_a_key(tag):
    serializer = tag.TaggedJSONSerializer()
    serializer.register(point_tag(tag, key=" t"), force=True, index=0)
    assert serializer.loads(serializer.dumps(Point(3, 4))) == Point(3, 4)


@spec("sessions.tag-hooks-required")
@pytest.mark.parametrize("missing", ["check", "to_json", "to_python"])
def test_a_tag_lacking_a_hook_fails_when_it_is_needed(tag, missing):
    hooks = {name: vars(point_tag(tag))[name] for name in ("check", "to_json", "to_python") if name != missing}
    serializer = tag.TaggedJSONSerializer()
    serializer.register(type("PartialTag", (tag.JSONTag,), {"key": " pt", **hooks}))
    with pytest.raises(NotImplementedError):
        serializer.loads(serializer.dumps({"where": Point(1, 2)}))


Pair = namedtuple("Pair", "left right")


@spec("sessions.tag-register")
@pytest.mark.parametrize(("index", "loaded_type"), [(0, Pair), (None, tuple)], ids=["first", "appended"])
def test_register_index_sets_the_lookup_order(tag, index, loaded_type):
    class TagPair(tag.JSONTag):
        key = " pair"

        def check(self, value):
            return isinstance(value, Pair)

        def to_json(self, value):
            return list(value)

        def to_python(self, value):
            return Pair(*value)

    serializer = tag.TaggedJSONSerializer()
    serializer.register(TagPair, index=index)
    back = serializer.loads(serializer.dumps(Pair(1, 2)))
    assert back == (1, 2)
    assert type(back) is loaded_type
