"""Signals: the application's blinker signals, when they are sent and with what,
and custom signals built on ``blinker.Namespace``.

blinker holds receivers weakly, so every receiver here stays referenced by the
test (through the recorder) for as long as it is connected.
"""

from __future__ import annotations

import contextlib

import blinker
import pytest

spec = pytest.mark.spec

SIGNAL_NAMES = (
    "template_rendered",
    "before_render_template",
    "request_started",
    "request_finished",
    "request_tearing_down",
    "got_request_exception",
    "appcontext_tearing_down",
    "appcontext_pushed",
    "appcontext_popped",
    "message_flashed",
)
REQUEST_CYCLE = (
    "appcontext_pushed",
    "request_started",
    "got_request_exception",
    "request_finished",
    "request_tearing_down",
    "appcontext_tearing_down",
    "appcontext_popped",
)


class Recorder:
    """Receivers connected for one app that log ``(signal name, sender, kwargs)``."""

    def __init__(self, flask, app, stack):
        self.flask, self.app, self.stack = flask, app, stack
        self.calls = []
        self.receivers = []  # strong references: blinker only keeps weak ones

    def listen(self, *names, probe=None):
        """Record ``names``; ``probe()``, if given, is called in each receiver and its
        result stored in place of the keyword arguments."""
        for name in names:

            def receive(sender, _name=name, **kwargs):
                self.calls.append((_name, sender, probe() if probe else kwargs))

            self.receivers.append(receive)
            self.stack.enter_context(getattr(self.flask, name).connected_to(receive, self.app))
        return self

    def names(self):
        return [name for name, _, _ in self.calls]

    def kwargs_of(self, name):
        return [kwargs for called, _, kwargs in self.calls if called == name]


@pytest.fixture
def recorder(flask, app):
    with contextlib.ExitStack() as stack:
        yield Recorder(flask, app, stack)


@pytest.fixture
def cycle_app(flask, app):
    """Views that succeed, abort, fail with a handled error, and fail unhandled."""
    app.config["TESTING"] = False  # unhandled errors become 500s instead of propagating

    @app.route("/ok")
    def ok():
        return "ok"

    @app.route("/abort")
    def aborts():
        flask.abort(404)

    @app.route("/abort-500")
    def aborts_500():
        flask.abort(500)

    @app.route("/handled")
    def handled():
        raise KeyError("handled")

    @app.errorhandler(KeyError)
    def on_key_error(e):
        return "handled", 409

    @app.route("/boom")
    def boom():
        raise ZeroDivisionError("boom")

    return app


# --- the signals exist ----------------------------------------------------------------------------


@spec("signals.available")
@pytest.mark.parametrize("name", SIGNAL_NAMES)
def test_signal_is_a_blinker_signal(flask, submodule, name):
    signal = getattr(flask, name)
    assert isinstance(signal, blinker.Signal)
    assert getattr(submodule("signals"), name) is signal


@spec("signals.available")
@pytest.mark.parametrize("name", SIGNAL_NAMES)
def test_signal_accepts_receivers(flask, app, name):
    received = []

    def receiver(sender, **kwargs):
        received.append(sender)

    with getattr(flask, name).connected_to(receiver, app):
        getattr(flask, name).send(app)
    assert received == [app]


# --- a request's signals ------------------------------------------------------------------------


@spec("signals.order")
def test_request_sends_its_signals_in_order(cycle_app, client, recorder):
    recorder.listen(*REQUEST_CYCLE)
    client.get("/ok")
    assert recorder.names() == [n for n in REQUEST_CYCLE if n != "got_request_exception"]
    assert {sender for _, sender, _ in recorder.calls} == {cycle_app}


@spec("signals.order", "signals.got-request-exception")
def test_unhandled_error_adds_got_request_exception_to_the_order(cycle_app, client, recorder):
    recorder.listen(*REQUEST_CYCLE)
    client.get("/boom")
    assert recorder.names() == list(REQUEST_CYCLE)


@spec("signals.request-started")
def test_request_started_sees_the_request_before_hooks(flask, app, client, recorder):
    order = []

    @app.before_request
    def before():
        order.append("before_request")

    app.add_url_rule("/page", "page", lambda: "page")
    recorder.listen("request_started", probe=lambda: (flask.request.path, list(order)))
    client.get("/page?x=1")
    assert recorder.calls == [("request_started", app, ("/page", []))]
    assert order == ["before_request"]


@spec("signals.request-finished")
def test_request_finished_gets_the_final_response(flask, app, client):
    @app.after_request
    def stamp(response):
        response.headers["X-Stamp"] = "after"
        return response

    app.add_url_rule("/", "index", lambda: ("made", 201))
    seen = []

    def receiver(sender, response, **kwargs):
        seen.append((sender, response, flask.has_request_context(), response.headers.get("X-Stamp")))

    with flask.request_finished.connected_to(receiver, app):
        client.get("/")
    [(sender, response, in_request, stamp)] = seen
    assert (sender, in_request, stamp) == (app, True, "after")
    assert isinstance(response, app.response_class)
    assert (response.status_code, response.get_data()) == (201, b"made")


@spec("signals.got-request-exception")
def test_got_request_exception_carries_the_error(cycle_app, client, recorder):
    recorder.listen("got_request_exception")
    assert client.get("/boom").status_code == 500
    [kwargs] = recorder.kwargs_of("got_request_exception")
    assert isinstance(kwargs["exception"], ZeroDivisionError)
    assert str(kwargs["exception"]) == "boom"


@spec("signals.got-request-exception")
@pytest.mark.needs("exceptions-reach-caller")
def test_got_request_exception_is_sent_when_errors_propagate(cycle_app, client, recorder):
    cycle_app.config["TESTING"] = True
    recorder.listen("got_request_exception")
    with pytest.raises(ZeroDivisionError) as raised:
        client.get("/boom")
    assert recorder.kwargs_of("got_request_exception") == [{"exception": raised.value}]


@spec("signals.got-request-exception-scope")
@pytest.mark.parametrize(
    ("path", "status"), [("/ok", 200), ("/abort", 404), ("/abort-500", 500), ("/handled", 409), ("/missing", 404)]
)
def test_got_request_exception_is_not_sent_for_answered_errors(cycle_app, client, recorder, path, status):
    recorder.listen("got_request_exception")
    assert client.get(path).status_code == status
    assert recorder.calls == []


@spec("signals.tearing-down")
@pytest.mark.parametrize("name", ["request_tearing_down", "appcontext_tearing_down"])
@pytest.mark.parametrize(
    ("path", "error"), [("/ok", None), ("/handled", None), ("/abort", None), ("/boom", ZeroDivisionError)]
)
def test_tearing_down_signals_carry_the_unhandled_error(cycle_app, client, recorder, name, path, error):
    recorder.listen(name)
    client.get(path)
    [kwargs] = recorder.kwargs_of(name)
    assert set(kwargs) == {"exc"}
    if error is None:
        assert kwargs["exc"] is None
    else:
        assert isinstance(kwargs["exc"], error)


# --- application contexts ----------------------------------------------------------------------------


@spec("signals.appcontext")
@pytest.mark.needs("sync-contexts")
def test_manual_app_context_sends_push_and_pop_signals(flask, app, recorder):
    recorder.listen(
        "appcontext_pushed",
        "appcontext_tearing_down",
        "appcontext_popped",
        probe=lambda: flask.current_app._get_current_object() if flask.has_app_context() else None,
    )
    with app.app_context():
        assert recorder.names() == ["appcontext_pushed"]
    assert recorder.calls == [
        ("appcontext_pushed", app, app),
        ("appcontext_tearing_down", app, app),
        ("appcontext_popped", app, None),
    ]


@spec("signals.appcontext", "signals.tearing-down")
@pytest.mark.needs("sync-contexts")
def test_app_context_tearing_down_gets_the_error_leaving_the_block(app, recorder):
    recorder.listen("appcontext_tearing_down")
    with pytest.raises(LookupError):
        with app.app_context():
            raise LookupError("left the block")
    [kwargs] = recorder.kwargs_of("appcontext_tearing_down")
    assert isinstance(kwargs["exc"], LookupError)


@spec("signals.appcontext")
@pytest.mark.needs("sync-contexts")
def test_request_context_pushes_an_app_context(app, recorder):
    recorder.listen("appcontext_pushed", "request_tearing_down", "appcontext_tearing_down", "appcontext_popped")
    with app.test_request_context("/"):
        pass
    assert recorder.names() == [
        "appcontext_pushed",
        "request_tearing_down",
        "appcontext_tearing_down",
        "appcontext_popped",
    ]


# --- subscribing ------------------------------------------------------------------------------


@spec("signals.sender-filter")
@pytest.mark.parametrize("how", ["connect", "connect_via", "connected_to"])
def test_receiver_for_one_app_ignores_another(flask, make_app, how, client_for):
    first, second = make_app("first_app"), make_app("second_app")
    for application in (first, second):
        application.add_url_rule("/", "index", lambda: "index")
    heard = []

    def receiver(sender, **kwargs):
        heard.append(sender.name)

    signal = flask.request_started
    with contextlib.ExitStack() as stack:
        if how == "connected_to":
            stack.enter_context(signal.connected_to(receiver, first))
        else:
            if how == "connect":
                signal.connect(receiver, first)
            else:
                signal.connect_via(first)(receiver)
            stack.callback(signal.disconnect, receiver)
        client_for(first).get("/")
        client_for(second).get("/")
    assert heard == ["first_app"]


@spec("signals.observe-only")
@pytest.mark.parametrize("name", ["request_started", "request_finished"])
def test_receiver_return_values_are_ignored(flask, app, client, name):
    app.add_url_rule("/", "index", lambda: "from the view")

    def receiver(sender, **kwargs):
        return flask.Response("from a receiver", status=418)

    with getattr(flask, name).connected_to(receiver, app):
        response = client.get("/")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "from the view")


@spec("signals.custom")
def test_custom_namespace_signal_reaches_app_receivers(flask, app, client):
    user_registered = blinker.Namespace().signal("user-registered")

    @app.post("/register")
    def register():
        user_registered.send(flask.current_app._get_current_object(), user="ada")
        return "welcome"

    heard = []

    def on_registered(sender, user, **extra):
        heard.append((sender, user))

    with user_registered.connected_to(on_registered, app):
        assert client.post("/register").get_data(as_text=True) == "welcome"
    assert heard == [(app, "ada")]
