"""Async support: coroutine views, hooks, handlers and signal receivers run through
``ensure_sync`` / ``async_to_sync`` (asgiref, the ``async`` extra)."""

from __future__ import annotations

import asyncio
import sys

import pytest

spec = pytest.mark.spec


@pytest.fixture
def asgiref():
    """Skip where the async extra is not installed; its absence has tests of its own."""
    return pytest.importorskip("asgiref")


@pytest.fixture
def no_asgiref(monkeypatch):
    """Make ``import asgiref`` fail, as it does where the async extra is not installed."""
    monkeypatch.setitem(sys.modules, "asgiref", None)
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)


def text(response):
    return response.get_data(as_text=True)


@spec("async.views")
def test_async_view_answers(flask, app, client, asgiref):
    @app.route("/item/<int:n>")
    async def item(n):
        await asyncio.sleep(0)
        return f"item {n} at {flask.request.path}"

    response = client.get("/item/4")
    assert (response.status_code, text(response)) == (200, "item 4 at /item/4")


@spec("async.views")
@pytest.mark.parametrize(("returned", "status", "body"), [({"a": 1}, 200, '{"a":1}\n'), (("made", 201), 201, "made")])
def test_async_view_return_values_are_converted(app, client, asgiref, returned, status, body):
    @app.route("/")
    async def index():
        return returned

    response = client.get("/")
    assert (response.status_code, text(response)) == (status, body)


@spec("async.hooks")
def test_async_hooks_run_in_their_places(flask, app, client, asgiref):
    torn_down = []

    @app.before_request
    async def load_user():
        flask.g.user = "ada"

    @app.after_request
    async def stamp(response):
        response.headers["X-User"] = flask.g.user
        return response

    @app.teardown_request
    async def finish(exc):
        torn_down.append(exc)

    app.add_url_rule("/", "index", lambda: f"hello {flask.g.user}")
    response = client.get("/")
    assert (text(response), response.headers["X-User"], torn_down) == ("hello ada", "ada", [None])


@spec("async.hooks")
def test_async_before_request_can_answer(app, client, asgiref):
    @app.before_request
    async def refuse():
        return "refused", 403

    app.add_url_rule("/", "index", lambda: "view")
    response = client.get("/")
    assert (response.status_code, text(response)) == (403, "refused")


@spec("async.error-handlers")
@pytest.mark.parametrize(
    ("path", "status", "body"), [("/missing", 404, "async 404"), ("/boom", 409, "async KeyError")]
)
def test_async_error_handlers_answer(app, client, asgiref, path, status, body):
    @app.route("/boom")
    async def boom():
        raise KeyError("k")

    @app.errorhandler(404)
    async def not_found(e):
        return "async 404", 404

    @app.errorhandler(KeyError)
    async def key_error(e):
        return f"async {type(e).__name__}", 409

    response = client.get(path)
    assert (response.status_code, text(response)) == (status, body)


@spec("async.class-views")
def test_async_class_based_views(flask, submodule, app, client, asgiref):
    views = submodule("views")

    class Items(views.MethodView):
        async def get(self, n):
            return f"get {n}"

        async def post(self, n):
            return f"post {n}", 201

    class Ping(views.View):
        async def dispatch_request(self):
            await asyncio.sleep(0)
            return "pong"

    app.add_url_rule("/items/<int:n>", view_func=Items.as_view("items"))
    app.add_url_rule("/ping", view_func=Ping.as_view("ping"))
    assert text(client.get("/items/1")) == "get 1"
    posted = client.post("/items/2")
    assert (posted.status_code, text(posted)) == (201, "post 2")
    assert text(client.get("/ping")) == "pong"


@spec("async.signal-receivers")
def test_async_signal_receivers_run(flask, app, client, asgiref):
    heard = []

    async def on_started(sender, **kwargs):
        await asyncio.sleep(0)
        heard.append((sender, flask.request.path))

    app.add_url_rule("/page", "page", lambda: "page")
    with flask.request_started.connected_to(on_started, app):
        client.get("/page")
    assert heard == [(app, "/page")]


#: (signal, path): every signal the application sends, and a request that sends it.
SIGNALS_SENT = [
    ("request_started", "/page"),
    ("request_finished", "/page"),
    ("got_request_exception", "/boom"),
    ("request_tearing_down", "/page"),
    ("appcontext_tearing_down", "/page"),
    ("appcontext_pushed", "/page"),
    ("appcontext_popped", "/page"),
    ("before_render_template", "/page"),
    ("template_rendered", "/page"),
    ("message_flashed", "/page"),
    ("before_render_template", "/stream"),
    ("template_rendered", "/stream"),
]


@spec("async.signal-receivers")
@pytest.mark.parametrize(
    ("signal", "path"),
    SIGNALS_SENT,
    ids=[f"{name}-streamed" if path == "/stream" else name for name, path in SIGNALS_SENT],
)
def test_async_receivers_of_every_signal_run(flask, app, client, asgiref, signal, path, sync):
    app.testing = False
    app.secret_key = "async receivers"
    heard = []

    async def receiver(sender, **kwargs):
        await asyncio.sleep(0)
        heard.append(sender)

    def page():
        sync(flask.flash("flashed"))
        return sync(flask.render_template_string("page"))

    def boom():
        raise ValueError("boom")

    app.add_url_rule("/page", "page", page)
    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/stream", "stream", lambda: sync(flask.stream_template_string("streamed")))
    with getattr(flask, signal).connected_to(receiver, app):
        response = client.get(path)
        body = response.get_data()  # a streamed template renders as the body is read
    assert (response.status_code, heard) == (500 if path == "/boom" else 200, [app])
    assert body != b""


async def add(a, b=0):
    await asyncio.sleep(0)
    return a + b


def plain(a):
    return a * 2


@spec("async.ensure-sync")
def test_ensure_sync_keeps_plain_functions(app):
    assert app.ensure_sync(plain) is plain


@spec("async.ensure-sync")
def test_ensure_sync_wraps_coroutine_functions(app, asgiref):
    wrapped = app.ensure_sync(add)
    assert not asyncio.iscoroutinefunction(wrapped)
    assert wrapped(1, b=2) == 3


@spec("async.async-to-sync")
@pytest.mark.parametrize(("args", "kwargs", "result"), [((1,), {}, 1), ((1, 2), {}, 3), ((5,), {"b": 5}, 10)])
def test_async_to_sync_runs_the_coroutine(app, asgiref, args, kwargs, result):
    assert app.async_to_sync(add)(*args, **kwargs) == result


@spec("async.override")
def test_overridden_async_to_sync_runs_async_views(flask, asgiref, client_for):
    converted = []

    class Tracking(flask.Flask):
        def async_to_sync(self, func):
            converted.append(func.__name__)
            return super().async_to_sync(func)

    application = Tracking(__name__)

    @application.route("/")
    async def index():
        return "index"

    assert text(client_for(application).get("/")) == "index"
    assert converted == ["index"]


@spec("async.override")
def test_overridden_ensure_sync_wraps_every_view(flask, client_for):
    class Shouting(flask.Flask):
        def ensure_sync(self, func):
            run = super().ensure_sync(func)

            def shout(*args, **kwargs):
                rv = run(*args, **kwargs)
                return rv.upper() if isinstance(rv, str) else rv

            return shout

    application = Shouting(__name__)
    application.add_url_rule("/", "index", lambda: "quiet")
    assert text(client_for(application).get("/")) == "QUIET"


@spec("async.needs-asgiref")
@pytest.mark.parametrize("convert", ["ensure_sync", "async_to_sync"])
def test_converting_without_asgiref_is_a_runtime_error(app, no_asgiref, convert):
    with pytest.raises(RuntimeError):
        getattr(app, convert)(add)


@spec("async.needs-asgiref")
def test_plain_functions_need_no_asgiref(app, no_asgiref):
    assert app.ensure_sync(plain) is plain


@spec("async.needs-asgiref")
@pytest.mark.needs("exceptions-reach-caller")
def test_async_view_without_asgiref_fails(app, no_asgiref, client_for):
    @app.route("/async")
    async def async_view():
        return "never"

    app.add_url_rule("/sync", "sync", lambda: "fine")
    with pytest.raises(RuntimeError):
        client_for(app).get("/async")
    app.config["TESTING"] = False
    assert client_for(app).get("/async").status_code == 500
    assert text(client_for(app).get("/sync")) == "fine"
