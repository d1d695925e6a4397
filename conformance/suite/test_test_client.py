"""The test client (``app.test_client()``, ``FlaskClient``) and test request contexts
(``app.test_request_context()``) as APIs of their own.

These tests drive the implementation's own client on purpose; the neutral
``client`` fixture is not used here.
"""

from __future__ import annotations

import importlib.metadata
import io
from datetime import date

import pytest
from werkzeug.test import Client, EnvironBuilder, create_environ

pytestmark = pytest.mark.needs("test-client")

spec = pytest.mark.spec


@pytest.fixture
def echo_app(flask, app, sync):
    """An app whose views report what they received and set or clear what they are told."""
    app.secret_key = "test-client-secret"

    @app.route("/echo", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
    def echo():
        request = flask.request
        return {
            "method": request.method,
            "url": request.url,
            "script_root": request.script_root,
            "args": request.args.to_dict(),
            "form": sync(request.form).to_dict(),
            "files": {k: [f.filename, f.read().decode()] for k, f in sync(request.files).items()},
            "json": sync(request.get_json(silent=True)),
            "body": sync(request.get_data(as_text=True)) if not sync(request.form) else "",
            "content_type": request.content_type,
            "cookies": request.cookies.to_dict(),
            "remote_addr": request.remote_addr,
            "user_agent": request.user_agent.string,
            "x_token": request.headers.get("X-Token"),
        }

    @app.route("/cookie/set/<name>/<value>")
    def set_cookie(name, value):
        response = sync(flask.make_response("set"))
        response.set_cookie(name, value)
        return response

    @app.route("/cookie/delete/<name>")
    def delete_cookie(name):
        response = sync(flask.make_response("deleted"))
        response.delete_cookie(name)
        return response

    @app.route("/session/set/<value>")
    def set_session(value):
        flask.session["user"] = value
        flask.g.marker = value
        return "stored"

    @app.route("/session")
    def show_session():
        return dict(flask.session)

    @app.route("/login")
    def login():
        return "login page"

    @app.route("/old")
    def old():
        return flask.redirect(flask.url_for("middle"))

    @app.route("/middle")
    def middle():
        return flask.redirect(flask.url_for("login"), 301)

    return app


@pytest.fixture
def tclient(echo_app):
    """The implementation's own test client on ``echo_app``."""
    return echo_app.test_client()


# --- the client object ------------------------------------------------------


@spec("test-client.class")
def test_test_client_is_a_flask_client(submodule, app):
    test_client = app.test_client()
    assert isinstance(test_client, submodule("testing").FlaskClient)
    assert isinstance(test_client, Client)
    assert test_client.application is app


@spec("test-client.client-class")
def test_test_client_class_is_used_with_extra_kwargs(submodule, echo_app):
    class TokenClient(submodule("testing").FlaskClient):
        def __init__(self, *args, **kwargs):
            self.token = kwargs.pop("token")
            super().__init__(*args, **kwargs)

    assert echo_app.test_client_class is None
    echo_app.test_client_class = TokenClient
    test_client = echo_app.test_client(token="abc")
    assert type(test_client) is TokenClient
    assert test_client.token == "abc"
    assert test_client.get("/echo").json["method"] == "GET"


@spec("test-client.methods")
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_method_helpers_send_their_method(tclient, method):
    response = getattr(tclient, method)("/echo")
    assert response.json["method"] == method.upper()


@spec("test-client.methods")
def test_head_helper_sends_head(tclient):
    response = tclient.head("/echo")
    assert (response.status_code, response.data) == (200, b"")


@spec("test-client.methods")
@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
def test_open_takes_the_method(tclient, method):
    assert tclient.open("/echo", method=method).json["method"] == method


@spec("test-client.open-builder")
@pytest.mark.parametrize(
    ("kind", "method", "args"),
    [("builder", "PUT", {}), ("environ", "POST", {"x": "1"}), ("request", "PATCH", {"y": "2"})],
)
def test_open_takes_a_builder_environ_or_request(tclient, kind, method, args):
    if kind == "builder":
        request_arg = EnvironBuilder(path="/echo", method=method)
    elif kind == "request":
        request_arg = EnvironBuilder(path="/echo?y=2", method=method).get_request()
    else:
        request_arg = create_environ("/echo?x=1", method=method)
    tclient.environ_base["HTTP_X_TOKEN"] = "from-client"
    data = tclient.open(request_arg).json
    assert (data["method"], data["args"], data["x_token"]) == (method, args, "from-client")


@spec("test-client.responses")
def test_response_json_is_parsed_with_the_apps_json_provider(echo_app, tclient):
    class Marking(type(echo_app.json)):
        def loads(self, s, **kwargs):
            return {"read by": "the app's provider", **super().loads(s, **kwargs)}

    echo_app.json = Marking(echo_app)
    response = tclient.get("/echo")
    assert (response.json["read by"], response.get_json()["method"]) == ("the app's provider", "GET")


@spec("test-client.responses")
def test_response_exposes_status_data_json_headers_request(echo_app, tclient):
    response = tclient.get("/echo?x=1")
    assert isinstance(response, echo_app.response_class)
    assert response.status_code == 200
    assert isinstance(response.data, bytes)
    assert response.json["args"] == {"x": "1"}
    assert response.headers["Content-Type"] == "application/json"
    assert (response.request.path, response.request.args["x"]) == ("/echo", "1")


@spec("test-client.app-defaults")
def test_client_requests_use_the_app_url_config(echo_app, tclient):
    echo_app.config.update(
        SERVER_NAME="example.test:8080", APPLICATION_ROOT="/app", PREFERRED_URL_SCHEME="https"
    )
    data = tclient.get("/echo").json
    assert (data["url"], data["script_root"]) == ("https://example.test:8080/app/echo", "/app")


@spec("test-client.testing-propagates")
def test_testing_propagates_view_exceptions(monkeypatch, make_app):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = make_app()

    @app.route("/boom")
    def boom():
        raise KeyError("boom")

    app.testing = True
    with pytest.raises(KeyError):
        app.test_client().get("/boom")


@spec("test-client.testing-propagates")
def test_without_testing_a_view_exception_is_a_500(monkeypatch, make_app):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = make_app()

    @app.route("/boom")
    def boom():
        raise KeyError("boom")

    assert app.testing is False
    assert app.test_client().get("/boom").status_code == 500


# --- request bodies and the environ -----------------------------------------


@spec("test-client.form-data")
def test_data_dict_sends_form_fields(tclient):
    data = tclient.post("/echo", data={"title": "T", "body": "B"}).json
    assert data["form"] == {"title": "T", "body": "B"}
    assert data["content_type"] == "application/x-www-form-urlencoded"


@spec("test-client.form-data")
def test_data_file_tuple_uploads_a_file(tclient):
    data = tclient.post("/echo", data={"note": "n", "upload": (io.BytesIO(b"hello"), "hello.txt")}).json
    assert data["form"] == {"note": "n"}
    assert data["files"] == {"upload": ["hello.txt", "hello"]}
    assert data["content_type"].startswith("multipart/form-data")


@spec("test-client.form-data")
def test_the_client_closes_the_files_it_uploads(tclient):
    upload = io.BytesIO(b"hello")
    data = tclient.post("/echo", data={"upload": (upload, "hello.txt")}).json
    assert (data["files"], upload.closed) == ({"upload": ["hello.txt", "hello"]}, True)


@spec("test-client.form-data")
def test_data_string_is_the_raw_body(tclient):
    data = tclient.post("/echo", data="raw text", content_type="text/plain").json
    assert (data["body"], data["content_type"], data["form"]) == ("raw text", "text/plain", {})


@spec("test-client.json")
def test_json_is_serialized_with_the_content_type(tclient):
    data = tclient.post("/echo", json={"status": "active", "ids": [1, 2]}).json
    assert data["json"] == {"status": "active", "ids": [1, 2]}
    assert data["content_type"] == "application/json"


@spec("test-client.json")
def test_json_uses_the_app_json_provider(tclient):
    # The app's provider turns a date into an HTTP date; plain json.dumps cannot.
    data = tclient.post("/echo", json={"day": date(2020, 1, 2)}).json
    assert data["json"] == {"day": "Thu, 02 Jan 2020 00:00:00 GMT"}


@spec("test-client.environ-base")
def test_environ_base_defaults(tclient):
    assert tclient.environ_base["REMOTE_ADDR"] == "127.0.0.1"
    assert "HTTP_USER_AGENT" in tclient.environ_base
    data = tclient.get("/echo").json
    assert data["remote_addr"] == "127.0.0.1"
    assert data["user_agent"] == tclient.environ_base["HTTP_USER_AGENT"]


@spec("test-client.environ-base")
def test_the_default_user_agent_is_werkzeugs_with_its_version(tclient):
    expected = f"Werkzeug/{importlib.metadata.version('werkzeug')}"
    assert tclient.get("/echo").json["user_agent"] == expected


@spec("test-client.environ-base")
def test_environ_base_changes_apply_to_later_requests(tclient):
    tclient.environ_base["HTTP_X_TOKEN"] = "abc"
    tclient.environ_base["REMOTE_ADDR"] = "10.1.1.1"
    data = tclient.get("/echo").json
    assert (data["x_token"], data["remote_addr"]) == ("abc", "10.1.1.1")


@spec("test-client.environ-base")
def test_request_environ_base_overrides_the_client(tclient):
    data = tclient.get("/echo", environ_base={"REMOTE_ADDR": "192.0.2.7"}).json
    assert data["remote_addr"] == "192.0.2.7"
    assert tclient.get("/echo").json["remote_addr"] == "127.0.0.1"


# --- cookies ----------------------------------------------------------------


@spec("test-client.cookies")
def test_response_cookies_are_sent_back(tclient):
    tclient.get("/cookie/set/theme/dark")
    tclient.get("/cookie/set/lang/en")
    assert tclient.get("/echo").json["cookies"] == {"theme": "dark", "lang": "en"}


@spec("test-client.cookies")
def test_cookie_deleted_by_a_response_is_not_sent(tclient):
    tclient.get("/cookie/set/theme/dark")
    tclient.get("/cookie/delete/theme")
    assert tclient.get("/echo").json["cookies"] == {}


@spec("test-client.cookie-methods")
def test_get_cookie_returns_the_stored_cookie(tclient):
    assert tclient.get_cookie("theme") is None
    tclient.get("/cookie/set/theme/dark")
    assert tclient.get_cookie("theme").value == "dark"


@spec("test-client.cookie-methods")
def test_set_cookie_is_sent(tclient):
    tclient.set_cookie("theme", "light")
    assert tclient.get("/echo").json["cookies"] == {"theme": "light"}


@spec("test-client.cookie-methods")
def test_delete_cookie_removes_it(tclient):
    tclient.get("/cookie/set/theme/dark")
    tclient.delete_cookie("theme")
    assert tclient.get_cookie("theme") is None
    assert tclient.get("/echo").json["cookies"] == {}


@spec("test-client.no-cookies")
def test_use_cookies_false_keeps_no_cookies(echo_app):
    test_client = echo_app.test_client(use_cookies=False)
    test_client.get("/cookie/set/theme/dark")
    test_client.get("/session/set/alice")
    assert test_client.get("/echo").json["cookies"] == {}


@spec("test-client.no-cookies")
def test_use_cookies_false_session_transaction_raises_type_error(echo_app):
    test_client = echo_app.test_client(use_cookies=False)
    with pytest.raises(TypeError):
        with test_client.session_transaction():
            pass


# --- redirects --------------------------------------------------------------


@spec("test-client.follow-redirects")
def test_redirects_are_not_followed_by_default(tclient):
    response = tclient.get("/old")
    assert (response.status_code, response.location) == (302, "/middle")
    assert response.request.path == "/old"


@spec("test-client.follow-redirects")
def test_follow_redirects_reaches_the_final_page(tclient):
    response = tclient.get("/old", follow_redirects=True)
    assert (response.status_code, response.data) == (200, b"login page")
    assert response.request.path == "/login"


@spec("test-client.follow-redirects")
def test_follow_redirects_records_the_history(tclient):
    response = tclient.get("/old", follow_redirects=True)
    steps = [(r.status_code, r.request.path, r.location) for r in response.history]
    assert steps == [(302, "/old", "/middle"), (301, "/middle", "/login")]


@spec("test-client.buffered")
@pytest.mark.parametrize(
    ("buffered", "after_call"),
    [(True, ["start", "a", "b", "closed"]), (False, None)],
)
def test_buffered_reads_and_closes_the_body_before_returning(flask, app, buffered, after_call):
    events = []

    @app.route("/stream")
    def stream():
        def generate():
            try:
                events.append("start")
                for part in "ab":
                    events.append(part)
                    yield part
            finally:
                events.append("closed")

        return flask.Response(generate())

    response = app.test_client().get("/stream", buffered=buffered)
    if after_call is None:
        assert "closed" not in events
    else:
        assert events == after_call
    assert response.get_data() == b"ab"
    response.close()
    assert events == ["start", "a", "b", "closed"]


@spec("test-client.relative-location")
def test_redirect_location_stays_relative(tclient):
    response = tclient.get("/middle")
    assert response.location == "/login"
    assert response.headers["Location"] == "/login"


# --- preserving the context -------------------------------------------------


@spec("test-client.preserve-context")
def test_with_block_keeps_the_request(flask, tclient):
    with tclient:
        tclient.get("/echo?vodka=42")
        assert flask.request.args["vodka"] == "42"
        assert flask.request.path == "/echo"


@spec("test-client.preserve-context")
def test_with_block_keeps_session_and_g(flask, tclient):
    with tclient:
        tclient.get("/session/set/admin")
        assert flask.session["user"] == "admin"
        assert flask.g.marker == "admin"


@spec("test-client.preserve-context")
def test_with_block_keeps_the_latest_request(flask, tclient, behaviour_at):
    with tclient:
        tclient.get("/echo?n=1")
        tclient.get("/login")
        assert flask.request.path == "/login"
        tclient.get("/middle", follow_redirects=True)
        # Before 3.1.2 the first request of a redirect chain stayed pushed.
        expected = behaviour_at("test-client.preserve-context", current="/login", before={"3.1.2": "/middle"})
        assert flask.request.path == expected


@spec("test-client.preserve-context")
def test_leaving_the_block_pops_the_context(flask, tclient):
    with tclient:
        tclient.get("/echo")
    assert flask.has_request_context() is False
    assert flask.has_app_context() is False


@spec("test-client.preserve-context")
def test_teardown_runs_when_a_request_ends_and_again_when_its_kept_context_goes(flask, echo_app, tclient):
    ended = []
    echo_app.teardown_request(lambda exc: ended.append(flask.request.args["n"]))
    with tclient:
        for n in range(3):
            tclient.get(f"/echo?n={n}")
        inside = list(ended)
    assert (inside, ended) == (["0", "0", "1", "1", "2"], ["0", "0", "1", "1", "2", "2"])


@spec("test-client.preserve-context")
def test_without_with_the_context_ends_with_the_request(flask, tclient):
    tclient.get("/echo")
    assert flask.has_request_context() is False


@spec("test-client.with-not-nested")
def test_with_blocks_do_not_nest_but_can_follow_each_other(flask, tclient):
    with tclient:
        with pytest.raises(RuntimeError):
            with tclient:
                pass
    with tclient as bound:
        bound.get("/echo?n=2")
        assert flask.request.args["n"] == "2"
    assert bound is tclient
    assert flask.has_request_context() is False


# --- session_transaction ----------------------------------------------------


@spec("test-client.session-transaction")
def test_session_transaction_changes_reach_the_app(tclient):
    with tclient.session_transaction() as session:
        session["user"] = "alice"
    assert tclient.get("/session").json == {"user": "alice"}


@spec("test-client.session-transaction")
def test_session_transaction_sees_the_current_session(tclient):
    tclient.get("/session/set/bob")
    with tclient.session_transaction() as session:
        assert dict(session) == {"user": "bob"}
        session["extra"] = 1
    assert tclient.get("/session").json == {"user": "bob", "extra": 1}


@spec("test-client.session-transaction-no-session")
def test_session_transaction_without_a_secret_key_is_a_runtime_error(make_app):
    client = make_app().test_client()
    with pytest.raises(RuntimeError):
        with client.session_transaction():
            pass


@spec("test-client.session-transaction")
def test_session_transaction_binds_no_request(flask, tclient):
    with tclient.session_transaction():
        assert flask.has_request_context() is False


@spec("test-client.session-transaction-args")
@pytest.mark.parametrize("base_url", ["http://other.test/", "http://other.test:8080/"])
def test_session_transaction_passes_arguments_to_the_request(tclient, base_url):
    with tclient.session_transaction(base_url=base_url) as session:
        session["user"] = "carol"
    assert tclient.get_cookie("session", domain="other.test") is not None  # a cookie's domain has no port
    assert tclient.get_cookie("session") is None
    assert tclient.get("/session").json == {}
    assert tclient.get("/session", base_url=base_url).json == {"user": "carol"}


# --- test_request_context ---------------------------------------------------


@spec("test-client.request-context")
@pytest.mark.needs("sync-contexts")
def test_request_context_binds_request_in_a_with_block(flask, app):
    with app.test_request_context("/login?name=Alice", method="POST"):
        assert flask.has_request_context() is True
        assert (flask.request.path, flask.request.method) == ("/login", "POST")
        assert flask.request.args["name"] == "Alice"
    assert flask.has_request_context() is False


@spec("test-client.request-context")
@pytest.mark.needs("sync-contexts")
def test_request_context_push_and_pop(flask, app):
    ctx = app.test_request_context("/pushed")
    ctx.push()
    try:
        assert flask.request.path == "/pushed"
    finally:
        ctx.pop()
    assert flask.has_request_context() is False


@spec("test-client.request-context")
@pytest.mark.needs("sync-contexts")
def test_request_context_does_not_dispatch(app):
    calls = []

    @app.route("/view")
    def view():
        calls.append("view")
        return "ok"

    @app.before_request
    def before():
        calls.append("before")

    with app.test_request_context("/view"):
        pass
    assert calls == []


@spec("test-client.request-context-args")
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"path": "/p?a=1&b=2"}, {"a": "1", "b": "2"}),
        ({"path": "/p", "query_string": {"q": "x y"}}, {"q": "x y"}),
        ({"path": "/p", "query_string": "q=2"}, {"q": "2"}),
    ],
    ids=["in-path", "dict", "string"],
)
@pytest.mark.needs("sync-contexts")
def test_request_context_query_string(flask, app, kwargs, expected):
    with app.test_request_context(**kwargs):
        assert (flask.request.path, flask.request.args.to_dict()) == ("/p", expected)


@spec("test-client.request-context-args")
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
@pytest.mark.needs("sync-contexts")
def test_request_context_method(flask, app, method):
    with app.test_request_context("/", method=method):
        assert flask.request.method == method


@spec("test-client.request-context-args")
@pytest.mark.needs("sync-contexts")
def test_request_context_headers(flask, app):
    with app.test_request_context("/", headers={"X-Token": "t1"}):
        assert flask.request.headers["X-Token"] == "t1"


@spec("test-client.request-context-args")
@pytest.mark.needs("sync-contexts")
def test_request_context_form_data(flask, app, sync):
    with app.test_request_context("/", method="POST", data={"field": "value"}):
        assert sync(flask.request.form).to_dict() == {"field": "value"}


@spec("test-client.request-context-args")
@pytest.mark.needs("sync-contexts")
def test_request_context_raw_data(flask, app, sync):
    with app.test_request_context("/", method="POST", data="raw body"):
        assert sync(flask.request.get_data(as_text=True)) == "raw body"


@spec("test-client.request-context-args")
@pytest.mark.needs("sync-contexts")
def test_request_context_json(flask, app, sync):
    with app.test_request_context("/", method="POST", json={"k": [1, 2]}):
        assert flask.request.content_type == "application/json"
        assert sync(flask.request.get_json()) == {"k": [1, 2]}


@spec("test-client.request-context-url")
@pytest.mark.parametrize(
    ("config", "kwargs", "url", "script_root"),
    [
        ({}, {}, "http://localhost/", ""),
        ({"SERVER_NAME": "example.com"}, {"path": "/a"}, "http://example.com/a", ""),
        (
            {"SERVER_NAME": "example.com:8080", "APPLICATION_ROOT": "/app", "PREFERRED_URL_SCHEME": "https"},
            {"path": "/a"},
            "https://example.com:8080/app/a",
            "/app",
        ),
        ({"SERVER_NAME": "example.com"}, {"path": "/a", "subdomain": "api"}, "http://api.example.com/a", ""),
        ({}, {"path": "/a", "subdomain": "api"}, "http://api.localhost/a", ""),
        ({"PREFERRED_URL_SCHEME": "https"}, {"path": "/a", "url_scheme": "http"}, "http://localhost/a", ""),
        (
            {"SERVER_NAME": "example.com", "APPLICATION_ROOT": "/app"},
            {"path": "/a", "base_url": "https://other.org/root"},
            "https://other.org/root/a",
            "/root",
        ),
    ],
    ids=["defaults", "server-name", "all-config", "subdomain", "subdomain-localhost", "url-scheme", "base-url"],
)
@pytest.mark.needs("sync-contexts")
def test_request_context_url_from_config(flask, app, config, kwargs, url, script_root):
    app.config.update(config)
    with app.test_request_context(**kwargs):
        assert (flask.request.url, flask.request.script_root) == (url, script_root)


@spec("test-client.base-url-exclusive")
@pytest.mark.parametrize("extra", [{"subdomain": "api"}, {"url_scheme": "https"}, {"subdomain": "api", "url_scheme": "https"}])
def test_base_url_excludes_subdomain_and_url_scheme(app, extra):
    with pytest.raises(AssertionError):
        app.test_request_context("/", base_url="http://other.test/", **extra)
