"""The application object itself: its WSGI entry points, its name and extension
registry, the URL adapter and defaults hooks, overridable methods, and app.run()."""

from __future__ import annotations

import os
import sys

import pytest
import werkzeug.serving
from werkzeug.routing import MapAdapter
from werkzeug.test import Client

spec = pytest.mark.spec


@spec("app.wsgi-app-middleware")
def test_middleware_around_wsgi_app_sees_every_request(flask, app, client):
    app.add_url_rule("/", "index", lambda: flask.request.environ.get("test.middleware", "none"))
    inner = app.wsgi_app

    def middleware(environ, start_response):
        environ["test.middleware"] = "wrapped"
        return inner(environ, start_response)

    app.wsgi_app = middleware
    assert client.get("/").get_data() == b"wrapped"


@spec("app.wsgi-app-middleware")
def test_calling_the_app_hands_the_request_to_wsgi_app(app):
    def replacement(environ, start_response):
        start_response("203 Replaced", [("Content-Type", "text/plain")])
        return [b"replacement ", environ["PATH_INFO"].encode()]

    app.add_url_rule("/x", "x", lambda: "view")
    app.wsgi_app = replacement
    response = Client(app).get("/x")
    assert (response.status, response.get_data()) == ("203 Replaced", b"replacement /x")


@spec("app.wsgi-app-middleware")
def test_wsgi_app_serves_the_request_when_called_directly(app):
    app.add_url_rule("/x", "x", lambda: "view")
    response = Client(app.wsgi_app).get("/x")
    assert (response.status_code, response.get_data()) == (200, b"view")


@spec("app.extensions")
def test_extensions_is_an_empty_dict_per_app(make_app):
    first, second = make_app(), make_app()
    assert type(first.extensions) is dict
    assert first.extensions == {}
    first.extensions["foo"] = "state"
    assert second.extensions == {}


@spec("app.name")
@pytest.mark.parametrize(
    ("import_name", "main_file", "name"),
    [
        ("myapp", "/srv/runme.py", "myapp"),
        ("pkg.sub", "/srv/runme.py", "pkg.sub"),
        ("__main__", "/srv/runme.py", "runme"),
        ("__main__", "/srv/manage", "manage"),
        ("__main__", None, "__main__"),
    ],
)
def test_name_is_the_import_name_or_the_run_file(flask, monkeypatch, import_name, main_file, name):
    main = sys.modules["__main__"]
    if main_file is None:
        monkeypatch.delattr(main, "__file__", raising=False)
    else:
        monkeypatch.setattr(main, "__file__", main_file, raising=False)
    assert flask.Flask(import_name, root_path="/srv").name == name


@spec("app.name")
def test_name_can_be_assigned(make_app):
    application = make_app("myapp")
    application.name = "renamed"
    assert application.name == "renamed"


@spec("app.create-url-adapter")
@pytest.mark.needs("sync-contexts")
def test_url_adapter_for_a_request_matches_it(flask, app):
    app.add_url_rule("/p/<int:n>", "page", lambda n: "")
    with app.test_request_context("/p/3"):
        adapter = app.create_url_adapter(flask.request)
        assert isinstance(adapter, MapAdapter)
        assert adapter.match() == ("page", {"n": 3})


@spec("app.create-url-adapter")
@pytest.mark.needs("sync-contexts")
@pytest.mark.parametrize(
    ("server_name", "url"),
    [
        (None, None),
        ("example.com", "http://example.com/p/3"),
        ("example.com:8080", "http://example.com:8080/p/3"),
    ],
)
def test_url_adapter_without_a_request_follows_server_name(app, server_name, url):
    app.config["SERVER_NAME"] = server_name
    app.add_url_rule("/p/<int:n>", "page", lambda n: "")
    with app.app_context():
        adapter = app.create_url_adapter(None)
        built = None if adapter is None else adapter.build("page", {"n": 3}, force_external=True)
    assert built == url


@spec("app.inject-url-defaults")
def test_inject_url_defaults_updates_the_values_in_place(flask, app):
    bp = flask.Blueprint("shop", __name__)
    seen = []

    @app.url_defaults
    def app_defaults(endpoint, values):
        seen.append(("app", endpoint))
        values.setdefault("lang", "en")

    @bp.url_defaults
    def bp_defaults(endpoint, values):
        seen.append(("bp", endpoint))
        values["currency"] = "EUR"

    app.register_blueprint(bp)
    values = {"lang": "de"}
    assert app.inject_url_defaults("index", values) is None
    assert values == {"lang": "de"}
    values = {}
    app.inject_url_defaults("shop.item", values)
    assert values == {"lang": "en", "currency": "EUR"}
    assert seen == [("app", "index"), ("app", "shop.item"), ("bp", "shop.item")]


@spec("app.should-ignore-error")
@pytest.mark.parametrize(("ignore", "expected"), [(False, "ValueError"), (True, None)])
def test_ignored_errors_reach_teardown_as_none(flask, client_for, ignore, expected):
    class Ignoring(flask.Flask):
        def should_ignore_error(self, error):
            return ignore

    application = Ignoring(__name__)
    seen = []

    @application.route("/")
    def boom():
        raise ValueError("boom")

    application.teardown_request(lambda exc: seen.append(("request", type(exc).__name__ if exc else None)))
    application.teardown_appcontext(lambda exc: seen.append(("app", type(exc).__name__ if exc else None)))
    assert client_for(application).get("/").status_code == 500
    assert seen == [("request", expected), ("app", expected)]


@spec("app.should-ignore-error")
@pytest.mark.parametrize("error", [ValueError("boom"), KeyboardInterrupt(), None], ids=["exception", "base-exception", "none"])
def test_should_ignore_error_answers_false_by_default(app, error):
    assert app.should_ignore_error(error) is False


@spec("app.default-options-response")
def test_overridden_default_options_response_answers_options(flask, client_for):
    class Tagged(flask.Flask):
        def make_default_options_response(self):
            response = super().make_default_options_response()
            response.headers["X-Options"] = "custom"
            return response

    application = Tagged(__name__)
    application.add_url_rule("/", "index", lambda: "index", methods=["GET", "POST"])
    client = client_for(application)
    response = client.options("/")
    assert (response.status_code, response.headers.get("X-Options")) == (200, "custom")
    assert sorted(response.allow) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert client.get("/").headers.get("X-Options") is None


DISPATCH_METHODS = (
    "full_dispatch_request",
    "preprocess_request",
    "dispatch_request",
    "make_response",
    "process_response",
    "handle_user_exception",
    "trap_http_exception",
    "handle_http_exception",
    "handle_exception",
    "log_exception",
    "do_teardown_request",
    "do_teardown_appcontext",
)


@pytest.fixture
def recording_app(flask):
    """An app whose documented dispatch methods record (name, argument types) and
    then do what Flask's do; /ok answers, /boom raises ValueError."""
    calls = []

    def recorder(name):
        def method(self, *args, **kwargs):
            calls.append((name, *(type(arg).__name__ for arg in args)))
            return getattr(super(Recording, self), name)(*args, **kwargs)

        return method

    Recording = type("Recording", (flask.Flask,), {name: recorder(name) for name in DISPATCH_METHODS})
    application = Recording(__name__)
    application.add_url_rule("/ok", "ok", lambda: "ok")

    def boom():
        raise ValueError("boom")

    application.add_url_rule("/boom", "boom", boom)
    application.calls = calls
    return application


@spec("app.dispatch-methods")
@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        (
            "/ok",
            200,
            [
                ("full_dispatch_request",),
                ("preprocess_request",),
                ("dispatch_request",),
                ("make_response", "str"),
                ("process_response", "Response"),
                ("do_teardown_request", "NoneType"),
                ("do_teardown_appcontext", "NoneType"),
            ],
        ),
        (
            "/missing",
            404,
            [
                ("full_dispatch_request",),
                ("preprocess_request",),
                ("dispatch_request",),
                ("handle_user_exception", "NotFound"),
                ("trap_http_exception", "NotFound"),
                ("handle_http_exception", "NotFound"),
                ("make_response", "NotFound"),
                ("process_response", "Response"),
                ("do_teardown_request", "NoneType"),
                ("do_teardown_appcontext", "NoneType"),
            ],
        ),
        (
            "/boom",
            500,
            [
                ("full_dispatch_request",),
                ("preprocess_request",),
                ("dispatch_request",),
                ("handle_user_exception", "ValueError"),
                ("handle_exception", "ValueError"),
                ("log_exception", "tuple"),
                ("make_response", "InternalServerError"),
                ("process_response", "Response"),
                ("do_teardown_request", "ValueError"),
                ("do_teardown_appcontext", "ValueError"),
            ],
        ),
    ],
)
def test_requests_go_through_the_overridable_methods(recording_app, client_for, path, status, expected):
    assert client_for(recording_app).get(path).status_code == status
    assert recording_app.calls == expected


@spec("app.dispatch-methods")
def test_log_exception_runs_right_before_the_500_handler(recording_app, client_for):
    @recording_app.errorhandler(500)
    def server_error(error):
        recording_app.calls.append(("handler", type(error).__name__))
        return "handled", 500

    assert client_for(recording_app).get("/boom").get_data() == b"handled"
    assert recording_app.calls[3:7] == [
        ("handle_user_exception", "ValueError"),
        ("handle_exception", "ValueError"),
        ("log_exception", "tuple"),
        ("handler", "InternalServerError"),
    ]


@spec("app.dispatch-methods")
@pytest.mark.needs("exceptions-reach-caller")
def test_a_propagated_error_is_neither_logged_nor_made_a_response(recording_app, client_for):
    recording_app.testing = True
    with pytest.raises(ValueError):
        client_for(recording_app).get("/boom")
    assert recording_app.calls == [
        ("full_dispatch_request",),
        ("preprocess_request",),
        ("dispatch_request",),
        ("handle_user_exception", "ValueError"),
        ("handle_exception", "ValueError"),
        ("do_teardown_request", "ValueError"),
        ("do_teardown_appcontext", "ValueError"),
    ]


@spec("app.dispatch-methods")
def test_what_overridden_methods_return_is_used(flask, client_for):
    logged = []

    class Custom(flask.Flask):
        def process_response(self, response):
            response = super().process_response(response)
            response.headers["X-Processed"] = "yes"
            return response

        def handle_http_exception(self, e):
            return self.response_class(f"custom {e.code}", status=e.code)

        def log_exception(self, exc_info):
            logged.append(exc_info[0].__name__)

    application = Custom(__name__)

    @application.route("/boom")
    def boom():
        raise KeyError("boom")

    client = client_for(application)
    missing = client.get("/missing")
    assert (missing.status_code, missing.get_data(), missing.headers.get("X-Processed")) == (404, b"custom 404", "yes")
    assert client.get("/boom").status_code == 500
    assert logged == ["KeyError"]


@pytest.fixture
def run_calls(monkeypatch, tmp_path):
    """Record what app.run() would serve instead of serving it; no .env is found."""
    calls = []
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.chdir(tmp_path)
    for name in ("FLASK_DEBUG", "FLASK_RUN_FROM_CLI", "FLASK_SKIP_DOTENV"):
        monkeypatch.delenv(name, raising=False)
    return calls


@spec("app.run-address")
@pytest.mark.parametrize(
    ("server_name", "arguments", "address"),
    [
        (None, {}, ("127.0.0.1", 5000)),
        ("example.com:8080", {}, ("example.com", 8080)),
        ("example.com", {}, ("example.com", 5000)),
        ("example.com:8080", {"host": "0.0.0.0", "port": 9000}, ("0.0.0.0", 9000)),
        ("example.com:8080", {"port": 9000}, ("example.com", 9000)),
        (None, {"port": 0}, ("127.0.0.1", 0)),
        (None, {"port": "5001"}, ("127.0.0.1", 5001)),
    ],
)
def test_run_serves_on_the_documented_address(app, run_calls, server_name, arguments, address):
    app.config["SERVER_NAME"] = server_name
    app.run(**arguments)
    [(args, _)] = run_calls
    assert args == (*address, app)


@spec("app.run-options")
@pytest.mark.parametrize(
    ("flask_debug", "arguments", "debug", "options"),
    [
        (None, {}, False, {"use_reloader": False, "use_debugger": False, "threaded": True}),
        (None, {"debug": True}, True, {"use_reloader": True, "use_debugger": True, "threaded": True}),
        ("1", {}, True, {"use_reloader": True, "use_debugger": True, "threaded": True}),
        ("1", {"debug": False}, False, {"use_reloader": False, "use_debugger": False, "threaded": True}),
        ("1", {"load_dotenv": False}, False, {"use_reloader": False, "use_debugger": False, "threaded": True}),
        (None, {"debug": True, "use_reloader": False}, True, {"use_reloader": False, "use_debugger": True, "threaded": True}),
        (None, {"threaded": False}, False, {"use_reloader": False, "use_debugger": False, "threaded": False}),
        (
            None,
            {"use_evalex": False, "extra_files": ["x.cfg"]},
            False,
            {"use_reloader": False, "use_debugger": False, "threaded": True, "use_evalex": False, "extra_files": ["x.cfg"]},
        ),
    ],
)
def test_run_passes_debug_derived_server_options(app, run_calls, monkeypatch, flask_debug, arguments, debug, options):
    if flask_debug is not None:
        monkeypatch.setenv("FLASK_DEBUG", flask_debug)
    app.run(**arguments)
    [(_, kwargs)] = run_calls
    assert kwargs == options
    assert app.debug is debug


@pytest.fixture
def run_environ(monkeypatch):
    """Variables a dotenv file may set during app.run(), removed again afterwards
    (monkeypatch restores only what it set or deleted itself)."""
    for name in ("FLASK_DEBUG", "CONFORMANCE_VALUE"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


@spec("app.run-dotenv")
@pytest.mark.parametrize(
    ("files", "arguments", "debug", "value"),
    [
        ({".flaskenv": "FLASK_DEBUG=1\nCONFORMANCE_VALUE=flaskenv\n"}, {}, True, "flaskenv"),
        ({".env": "FLASK_DEBUG=1\nCONFORMANCE_VALUE=env\n"}, {}, True, "env"),
        ({".env": "CONFORMANCE_VALUE=env\n", ".flaskenv": "CONFORMANCE_VALUE=flaskenv\n"}, {}, False, "env"),
        ({".env": "FLASK_DEBUG=1\nCONFORMANCE_VALUE=env\n"}, {"debug": False}, False, "env"),
        ({".env": "FLASK_DEBUG=1\nCONFORMANCE_VALUE=env\n"}, {"load_dotenv": False}, False, None),
    ],
)
def test_run_reads_dotenv_files_first(app, run_calls, run_environ, tmp_path, monkeypatch, files, arguments, debug, value):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    inner = tmp_path / "inner"  # the files are found by searching upwards; the directory stays
    inner.mkdir()
    monkeypatch.chdir(inner)
    app.run(**arguments)
    assert (app.debug, os.environ.get("CONFORMANCE_VALUE"), os.getcwd()) == (debug, value, str(inner))
    assert len(run_calls) == 1


@spec("app.run-banner")
@pytest.mark.parametrize("reloader_child", [False, True], ids=["server", "reloader-child"])
def test_run_names_the_app_on_stdout_before_serving(make_app, run_calls, capsys, monkeypatch, reloader_child):
    app = make_app("conformance_banner_app")
    if reloader_child:
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    app.run()
    out = capsys.readouterr().out
    assert ("conformance_banner_app" in out, out == "") == (not reloader_child, reloader_child)
    assert len(run_calls) == 1


@spec("app.run-serves-again")
def test_setup_works_again_once_run_returns(flask, app, run_calls, monkeypatch):
    app.add_url_rule("/", "index", lambda: "index")
    served = []

    def serve_one_request(host, port, application, **options):
        served.append(Client(application).get("/").get_data())

    monkeypatch.setattr(werkzeug.serving, "run_simple", serve_one_request)
    app.run()
    app.add_url_rule("/later", "later", lambda: "later")
    assert served == [b"index"]
    assert Client(app).get("/later").get_data() == b"later"
