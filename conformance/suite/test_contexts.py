"""Application and request contexts: push, pop and nesting, the current_app,
request, session and g proxies, test_request_context, copy_current_request_context
and after_this_request."""

from __future__ import annotations

import contextlib
import io
import threading

import pytest
from werkzeug.test import create_environ

spec = pytest.mark.spec


def current(flask):
    """The application current_app stands for right now."""
    return flask.current_app._get_current_object()


def pushed(app, context):
    """The context named ``context`` ("app", "request", or None for none), for ``with``."""
    if context == "app":
        return app.app_context()
    if context == "request":
        return app.test_request_context()
    return contextlib.nullcontext()


def run_in_thread(func):
    """Call ``func`` in a new thread; return what it returned or raised."""
    outcome = {}

    def target():
        try:
            outcome["value"] = func()
        except Exception as exc:  # handed back to the test, which asserts on it
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome


# --- application context -------------------------------------------------------------


@spec("contexts.app-context")
@pytest.mark.needs("sync-contexts")
def test_app_context_binds_current_app_and_g(flask, app):
    with app.app_context():
        assert current(flask) is app
        flask.g.value = 1
        assert flask.g.value == 1
    assert not flask.has_app_context()


@spec("contexts.app-context", "contexts.test-request-context")
@pytest.mark.needs("sync-contexts")
@pytest.mark.parametrize("kind", ["app_context", "test_request_context"])
def test_with_block_binds_the_pushed_context(flask, app, kind):
    made = getattr(app, kind)()
    with made as bound:
        assert bound is made
        assert current(flask) is app
    assert not flask.has_app_context()


@spec("contexts.app-context")
@pytest.mark.needs("sync-contexts")
def test_app_context_push_and_pop_by_hand(flask, app):
    ctx = app.app_context()
    ctx.push()
    try:
        assert current(flask) is app
    finally:
        ctx.pop()
    assert not flask.has_app_context()


@spec("contexts.nesting")
@pytest.mark.needs("sync-contexts")
def test_inner_app_context_shadows_the_outer(flask, app, make_app):
    other = make_app("other")
    with app.app_context():
        with other.app_context():
            assert current(flask) is other
        assert current(flask) is app


@spec("contexts.nesting")
@pytest.mark.needs("sync-contexts")
def test_inner_request_context_shadows_the_outer(flask, app):
    with app.test_request_context("/outer"):
        with app.test_request_context("/inner"):
            assert flask.request.path == "/inner"
        assert flask.request.path == "/outer"


@spec("contexts.pop-out-of-order")
@pytest.mark.needs("sync-contexts")
@pytest.mark.parametrize("kind", ["app_context", "test_request_context"])
def test_popping_a_context_that_is_not_current_is_an_assertion_error(app, kind):
    outer, inner = getattr(app, kind)(), getattr(app, kind)()
    outer.push()
    inner.push()
    with pytest.raises(AssertionError):
        outer.pop()


@spec("contexts.outside-app-context")
@pytest.mark.parametrize("name", ["current_app", "g"])
def test_app_proxies_fail_outside_an_app_context(flask, name):
    with pytest.raises(RuntimeError):
        getattr(flask, name).anything  # noqa: B018


@spec("contexts.outside-request-context")
@pytest.mark.parametrize("name", ["request", "session"])
@pytest.mark.parametrize("context", [None, "app"])
def test_request_proxies_fail_outside_a_request_context(flask, app, name, context):
    with pushed(app, context):
        with pytest.raises(RuntimeError):
            getattr(flask, name).get  # noqa: B018


@spec("contexts.proxy-truthiness")
@pytest.mark.parametrize(
    ("context", "truthy"),
    [
        (None, {"current_app": False, "g": False, "request": False}),
        ("app", {"current_app": True, "g": True, "request": False}),
        ("request", {"current_app": True, "g": True, "request": True}),
    ],
)
def test_proxies_are_false_without_their_context(flask, app, context, truthy):
    with pushed(app, context):
        assert {name: bool(getattr(flask, name)) for name in truthy} == truthy


@spec("contexts.has-context")
@pytest.mark.parametrize(
    ("context", "has_app", "has_request"),
    [(None, False, False), ("app", True, False), ("request", True, True)],
)
def test_has_context_functions(flask, app, context, has_app, has_request):
    with pushed(app, context):
        assert (flask.has_app_context(), flask.has_request_context()) == (has_app, has_request)


# --- request context ---------------------------------------------------------------


@spec("contexts.request-pushes-app-context")
@pytest.mark.needs("sync-contexts")
def test_request_context_pushes_and_pops_an_app_context(flask, app):
    with app.test_request_context():
        assert flask.has_app_context()
        assert current(flask) is app
    assert not flask.has_app_context()


@spec("contexts.request-pushes-app-context")
@pytest.mark.needs("sync-contexts")
def test_request_context_reuses_an_active_app_context_of_its_app(flask, app):
    with app.app_context():
        flask.g.outer = "kept"
        with app.test_request_context():
            assert flask.g.get("outer") == "kept"
        assert flask.has_app_context()
        assert current(flask) is app


@spec("contexts.request-pushes-app-context")
@pytest.mark.needs("sync-contexts")
def test_request_context_pushes_its_own_app_context_under_another_app(flask, app, make_app):
    other = make_app("other")
    with other.app_context():
        flask.g.outer = "other's"
        with app.test_request_context():
            assert current(flask) is app
            assert "outer" not in flask.g
        assert current(flask) is other


@spec("contexts.request-pushes-app-context")
@pytest.mark.needs("sync-contexts")
def test_a_request_context_pushed_again_gets_a_fresh_g(flask, app):
    ctx = app.test_request_context()
    with ctx:
        flask.g.first = True
    with ctx:
        assert "first" not in flask.g


@spec("contexts.request-pushes-app-context")
@pytest.mark.parametrize("where", ["subclass", "instance"])
def test_each_request_gets_its_app_context_from_app_context(flask, client_for, where):
    made = []

    def counting(application):
        ctx = flask.Flask.app_context(application)
        made.append(ctx)
        return ctx

    if where == "subclass":
        application = type("Counting", (flask.Flask,), {"app_context": counting})(__name__)
    else:
        application = flask.Flask(__name__)
        application.app_context = lambda: counting(application)

    @application.route("/")
    def index():
        return repr((len(made), flask.g._get_current_object() is made[-1].g))

    client = client_for(application)
    assert [client.get("/").get_data(as_text=True) for _ in range(2)] == ["(1, True)", "(2, True)"]


@spec("contexts.during-request")
def test_contexts_are_active_during_a_request(flask, app, client):
    seen = {}

    @app.route("/where")
    def where():
        seen.update(
            app=current(flask),
            has_app=flask.has_app_context(),
            has_request=flask.has_request_context(),
            path=flask.request.path,
            args=flask.request.args.to_dict(),
        )
        return "ok"

    assert client.get("/where?x=1").status_code == 200
    assert seen == {"app": app, "has_app": True, "has_request": True, "path": "/where", "args": {"x": "1"}}
    assert (flask.has_app_context(), flask.has_request_context()) == (False, False)


# --- g ----------------------------------------------------------------------------------


@spec("contexts.g-attributes")
@pytest.mark.needs("sync-contexts")
def test_g_attributes_set_read_and_delete(flask, app):
    with app.app_context():
        flask.g.user = "ann"
        assert flask.g.user == "ann"
        del flask.g.user
        with pytest.raises(AttributeError):
            flask.g.user  # noqa: B018


def _read_never_set(g):
    return g.never_set


def _delete_never_set(g):
    del g.never_set


@spec("contexts.g-attributes")
@pytest.mark.needs("sync-contexts")
@pytest.mark.parametrize("use", [_read_never_set, _delete_never_set], ids=["read", "delete"])
def test_g_missing_attribute_is_an_attribute_error(flask, app, use):
    with app.app_context():
        with pytest.raises(AttributeError):
            use(flask.g)


@spec("contexts.g-get")
@pytest.mark.parametrize(
    ("args", "expected"),
    [(("present",), 1), (("absent",), None), (("absent", "fallback"), "fallback"), (("present", "fallback"), 1)],
)
@pytest.mark.needs("sync-contexts")
def test_g_get(flask, app, args, expected):
    with app.app_context():
        flask.g.present = 1
        assert flask.g.get(*args) == expected


@spec("contexts.g-pop")
@pytest.mark.parametrize(
    ("args", "expected", "left"),
    [(("present",), 1, False), (("present", "fallback"), 1, False), (("absent", "fallback"), "fallback", False)],
)
@pytest.mark.needs("sync-contexts")
def test_g_pop_removes_and_returns(flask, app, args, expected, left):
    with app.app_context():
        flask.g.present = 1
        assert flask.g.pop(*args) == expected
        assert (args[0] in flask.g) is left


@spec("contexts.g-pop")
@pytest.mark.needs("sync-contexts")
def test_g_pop_without_default_raises_key_error(flask, app):
    with app.app_context():
        with pytest.raises(KeyError):
            flask.g.pop("absent")


@spec("contexts.g-setdefault")
@pytest.mark.parametrize(
    ("args", "returned", "stored"),
    [(("present", 2), 1, 1), (("absent", 2), 2, 2), (("absent",), None, None)],
)
@pytest.mark.needs("sync-contexts")
def test_g_setdefault(flask, app, args, returned, stored):
    with app.app_context():
        flask.g.present = 1
        assert flask.g.setdefault(*args) == returned
        assert getattr(flask.g, args[0]) == stored


@spec("contexts.g-contains-iter")
@pytest.mark.needs("sync-contexts")
def test_g_membership_and_iteration(flask, app):
    with app.app_context():
        assert list(flask.g) == []
        flask.g.a = 1
        flask.g.b = 2
        assert ("a" in flask.g, "c" in flask.g) == (True, False)
        assert sorted(flask.g) == ["a", "b"]


@spec("contexts.g-per-app-context")
@pytest.mark.needs("sync-contexts")
def test_each_app_context_has_its_own_g(flask, app):
    with app.app_context():
        flask.g.value = "outer"
        with app.app_context():
            assert "value" not in flask.g
            flask.g.value = "inner"
        assert flask.g.value == "outer"
    with app.app_context():
        assert "value" not in flask.g


@spec("contexts.g-per-request")
def test_g_is_fresh_for_every_request(flask, app, client):
    @app.route("/")
    def index():
        before = flask.g.get("count")
        flask.g.count = "set"
        return repr(before)

    assert client.get("/").get_data(as_text=True) == "None"
    assert client.get("/").get_data(as_text=True) == "None"


@spec("contexts.g-through-the-request")
def test_g_set_before_the_view_lasts_until_teardown(flask, app, client, sync):
    seen = []

    @app.before_request
    def load_user():
        flask.g.user = flask.request.args.get("user")

    @app.route("/")
    def index():
        flask.g.db = "connection"
        return sync(flask.render_template_string("{{ g.user }}/{{ g.db }}"))

    @app.teardown_request
    def request_ended(exc):
        seen.append(("request", flask.g.get("user"), flask.g.get("db")))

    @app.teardown_appcontext
    def close_db(exc):
        seen.append(("app", flask.g.pop("user", None), flask.g.pop("db", None), "db" in flask.g))

    assert client.get("/?user=ann").get_data(as_text=True) == "ann/connection"
    assert seen == [("request", "ann", "connection"), ("app", "ann", "connection", False)]


@spec("contexts.g-class")
@pytest.mark.needs("sync-contexts")
def test_g_is_an_instance_of_app_ctx_globals_class(flask, make_app):
    app = make_app()
    default_class = app.app_ctx_globals_class

    class MyGlobals(default_class):
        pass

    with app.app_context():
        assert type(flask.g._get_current_object()) is default_class
    app.app_ctx_globals_class = MyGlobals
    with app.app_context():
        assert isinstance(flask.g._get_current_object(), MyGlobals)


# --- test_request_context and request_context ---------------------------------------


@spec("contexts.test-request-context")
@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("/login?name=Alice",), {}, {"path": "/login", "args": {"name": "Alice"}, "method": "GET"}),
        (("/login",), {"method": "POST"}, {"path": "/login", "method": "POST"}),
        ((), {"path": "/p", "data": {"field": "v"}, "method": "POST"}, {"path": "/p", "form": {"field": "v"}}),
        (("/",), {"json": {"k": [1, 2]}, "method": "POST"}, {"json": {"k": [1, 2]}, "mimetype": "application/json"}),
        (("/",), {"headers": {"X-Token": "t"}}, {"header": "t"}),
    ],
)
@pytest.mark.needs("sync-contexts")
def test_test_request_context_builds_the_request(flask, app, args, kwargs, expected):
    readers = {
        "path": lambda r: r.path,
        "args": lambda r: r.args.to_dict(),
        "method": lambda r: r.method,
        "form": lambda r: r.form.to_dict(),
        "json": lambda r: r.get_json(),
        "mimetype": lambda r: r.mimetype,
        "header": lambda r: r.headers.get("X-Token"),
    }
    with app.test_request_context(*args, **kwargs):
        assert {key: readers[key](flask.request) for key in expected} == expected


@spec("contexts.test-request-context")
@pytest.mark.needs("sync-contexts")
def test_test_request_context_closes_the_files_given_once_the_request_is_built(flask, app):
    # The request already holds the upload's bytes; the file object handed in is closed.
    upload = io.BytesIO(b"abc")
    with app.test_request_context("/", method="POST", data={"f": (upload, "a.txt")}):
        assert (upload.closed, flask.request.files["f"].read()) == (True, b"abc")


@spec("contexts.test-request-context-base-url")
@pytest.mark.parametrize(
    ("config", "kwargs", "url"),
    [
        ({}, {}, "http://localhost/p"),
        ({"SERVER_NAME": "example.org"}, {}, "http://example.org/p"),
        ({"SERVER_NAME": "example.org", "PREFERRED_URL_SCHEME": "https"}, {}, "https://example.org/p"),
        ({"SERVER_NAME": "example.org", "APPLICATION_ROOT": "/root"}, {}, "http://example.org/root/p"),
        ({"SERVER_NAME": "example.org"}, {"base_url": "https://other.test:8443/x/"}, "https://other.test:8443/x/p"),
    ],
)
@pytest.mark.needs("sync-contexts")
def test_test_request_context_base_url(flask, app, config, kwargs, url):
    app.config.update(config)
    with app.test_request_context("/p", **kwargs):
        assert flask.request.url == url


@spec("contexts.test-request-context-no-dispatch")
@pytest.mark.needs("sync-contexts")
def test_test_request_context_does_not_dispatch(flask, app):
    calls = []
    app.before_request(lambda: calls.append("before_request"))
    app.add_url_rule("/p", "p", lambda: calls.append("view") or "p")
    with app.test_request_context("/p"):
        assert flask.request.path == "/p"
    assert calls == []


@spec("contexts.test-request-context")
@pytest.mark.needs("sync-contexts")
def test_test_request_context_push_and_pop_by_hand(flask, app):
    ctx = app.test_request_context("/manual")
    ctx.push()
    try:
        assert flask.request.path == "/manual"
    finally:
        ctx.pop()
    assert not flask.has_request_context()


@spec("contexts.request-context-environ")
@pytest.mark.needs("sync-contexts")
def test_request_context_for_an_environ(flask, app):
    environ = create_environ("/from-environ?q=1", "http://example.org/", method="PUT")
    with app.request_context(environ):
        assert (flask.request.url, flask.request.method) == ("http://example.org/from-environ?q=1", "PUT")


@spec("contexts.request-context-copy")
@pytest.mark.needs("sync-contexts")
def test_request_context_copy_shares_the_request_and_session(flask, app):
    app.secret_key = "test secret"
    with app.test_request_context("/x", method="POST", data={"a": "1"}) as ctx:
        flask.session["user"] = "ann"
        copy = ctx.copy()
        assert (copy is not ctx, copy.request is ctx.request, copy.session is ctx.session) == (True, True, True)
        with copy:
            assert flask.request._get_current_object() is ctx.request
            assert (flask.request.form["a"], flask.session["user"]) == ("1", "ann")


# --- threads, copy_current_request_context, after_this_request --------------------------------


@spec("contexts.copy-current-request-context")
def test_copied_request_context_runs_in_another_thread(flask, app, client):
    app.secret_key = "test secret"

    @app.route("/work")
    def work():
        flask.session["user"] = "ann"

        @flask.copy_current_request_context
        def in_thread():
            return (flask.request.path, flask.request.args.get("job"), flask.session.get("user"))

        return repr(run_in_thread(in_thread))

    body = client.get("/work?job=7").get_data(as_text=True)
    assert body == repr({"value": ("/work", "7", "ann")})


@spec("contexts.copy-current-request-context-own-copy")
def test_each_call_of_a_copied_function_tears_its_copy_down(flask, app, client):
    calls = []
    app.teardown_request(lambda exc: calls.append(("teardown_request", flask.request.path)))

    @app.route("/work")
    def work():
        @flask.copy_current_request_context
        def job():
            return flask.request.path

        in_thread = run_in_thread(job)
        calls.append("thread done")
        inline = job()
        calls.append("inline done")
        return repr((in_thread, inline))

    assert client.get("/work").get_data(as_text=True) == repr(({"value": "/work"}, "/work"))
    assert calls == [
        ("teardown_request", "/work"),
        "thread done",
        ("teardown_request", "/work"),
        "inline done",
        ("teardown_request", "/work"),
    ]


@spec("contexts.copy-current-request-context-outside")
@pytest.mark.parametrize("context", [None, "app"])
def test_copy_current_request_context_needs_a_request_context(flask, app, context):
    with pushed(app, context):
        with pytest.raises(RuntimeError):
            flask.copy_current_request_context(lambda: None)


@spec("contexts.thread-has-no-context")
def test_plain_thread_has_no_request_context(flask, app, client):
    outcomes = []

    @app.route("/work")
    def work():
        outcomes.append(run_in_thread(flask.has_request_context))
        outcomes.append(run_in_thread(lambda: flask.request.path))
        return "ok"

    client.get("/work")
    [has_context, path] = outcomes
    assert has_context == {"value": False}
    assert isinstance(path["error"], RuntimeError)


@spec("contexts.after-this-request")
def test_after_this_request_modifies_only_its_request(flask, app, client):
    seen = []

    @app.route("/decorated")
    def decorated():
        @flask.after_this_request
        def add_header(response):
            seen.append(type(response))
            response.headers["X-Foo"] = "Parachute"
            return response

        seen.append(callable(add_header))  # the decorator returns the function itself
        return "decorated"

    app.add_url_rule("/plain", "plain", lambda: "plain")
    assert client.get("/decorated").headers.get("X-Foo") == "Parachute"
    assert client.get("/plain").headers.get("X-Foo") is None
    assert seen == [True, app.response_class]


@spec("contexts.after-this-request")
def test_after_this_request_may_replace_the_response(flask, app, client):
    @app.route("/")
    def index():
        flask.after_this_request(lambda response: flask.Response("replaced", status=202))
        return "original"

    response = client.get("/")
    assert (response.status_code, response.get_data(as_text=True)) == (202, "replaced")


@spec("contexts.after-this-request-order")
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/bp/", ["from before_request", "view 1", "view 2", "bp after_request", "app after_request"]),
        ("/", ["from before_request", "view 1", "view 2", "app after_request"]),
        ("/missing", ["from handler", "app after_request"]),
    ],
)
def test_after_this_request_functions_run_first_in_registration_order(flask, app, client, path, expected):
    calls = []
    bp = flask.Blueprint("bp", __name__, url_prefix="/bp")
    app.after_request(lambda response: calls.append("app after_request") or response)
    bp.after_request(lambda response: calls.append("bp after_request") or response)

    def view():
        flask.after_this_request(lambda response: calls.append("view 1") or response)
        flask.after_this_request(lambda response: calls.append("view 2") or response)
        return "view"

    @app.before_request
    def before():
        if flask.request.endpoint is not None:
            flask.after_this_request(lambda response: calls.append("from before_request") or response)

    @app.errorhandler(404)
    def not_found(error):
        flask.after_this_request(lambda response: calls.append("from handler") or response)
        return "not found", 404

    bp.add_url_rule("/", "view", view)
    app.add_url_rule("/", "view", view)
    app.register_blueprint(bp)
    client.get(path)
    assert calls == expected


@spec("contexts.after-this-request-outside")
@pytest.mark.parametrize("context", [None, "app"])
def test_after_this_request_outside_a_request_fails(flask, app, context):
    with pushed(app, context):
        with pytest.raises(RuntimeError):
            flask.after_this_request(lambda response: response)
