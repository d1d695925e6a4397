"""Streaming responses from generators, and ``stream_with_context``."""

from __future__ import annotations

import pytest

spec = pytest.mark.spec


def text(response):
    return response.get_data(as_text=True)


@spec("streaming.response-generator")
@pytest.mark.parametrize(
    ("mimetype", "headers"),
    [
        ("text/csv", {"Content-Disposition": "attachment; filename=results.csv"}),
        ("text/event-stream", {"Cache-Control": "no-cache"}),
        ("text/plain", {}),
    ],
)
def test_response_streams_a_generator(flask, app, client, mimetype, headers):
    def rows():
        yield "Name,Email\n"
        yield b"Alice,a@example.com\n"
        yield "Bob,b@example.com\n"

    app.add_url_rule("/export", "export", lambda: flask.Response(rows(), mimetype=mimetype, headers=headers))
    response = client.get("/export", buffered=False)
    assert response.mimetype == mimetype
    assert all(response.headers[name] == value for name, value in headers.items())
    assert "Content-Length" not in response.headers
    assert list(response.response) == [b"Name,Email\n", b"Alice,a@example.com\n", b"Bob,b@example.com\n"]


@spec("streaming.response-generator")
def test_view_may_return_the_generator_itself(app, client):
    def chunks():
        yield "line 1\n"
        yield b"line 2\n"

    app.add_url_rule("/stream", "stream", lambda: chunks())
    response = client.get("/stream")
    assert (response.status_code, response.mimetype, text(response)) == (200, "text/html", "line 1\nline 2\n")


@spec("streaming.context-gone")
@pytest.mark.needs("exceptions-reach-caller")
def test_generator_without_context_cannot_use_the_request(flask, app, client):
    @app.route("/stream")
    def stream():
        def chunks():
            yield "Hello "
            yield flask.request.args["name"]

        return chunks()

    with pytest.raises(RuntimeError):
        response = client.get("/stream?name=ada")
        response.get_data()


@pytest.fixture
def context_app(flask, app):
    """A view that stores values in g and the session, then streams what it can see."""
    app.secret_key = "streaming secret"

    @app.route("/decorated")
    def decorated():
        flask.g.user = "from g"
        flask.session["theme"] = "dark"

        @flask.stream_with_context
        def chunks(prefix, sep=" "):
            yield prefix + sep
            yield flask.request.args["name"] + sep
            yield flask.g.user + sep
            yield flask.session["theme"]

        return flask.Response(chunks("Hello", sep="|"))

    @app.route("/wrapped")
    def wrapped():
        flask.g.user = "from g"
        flask.session["theme"] = "light"

        def chunks():
            yield "Hello|"
            yield flask.request.args["name"] + "|"
            yield flask.g.user + "|"
            yield flask.session["theme"]

        return flask.Response(flask.stream_with_context(chunks()))

    return app


@spec("streaming.with-context-decorator")
def test_decorated_generator_keeps_the_context(context_app, client):
    assert text(client.get("/decorated?name=ada")) == "Hello|ada|from g|dark"


@spec("streaming.with-context-wrapper")
def test_wrapped_generator_keeps_the_context(context_app, client):
    assert text(client.get("/wrapped?name=bob")) == "Hello|bob|from g|light"


@spec("streaming.with-context-wrapper")
def test_wrapped_generator_can_be_returned_directly(flask, app, client):
    @app.route("/path")
    def path():
        def chunks():
            yield flask.request.path
            yield flask.request.method

        return flask.stream_with_context(chunks())

    assert text(client.get("/path")) == "/pathGET"


@spec("streaming.with-context-closes")
def test_a_wrapped_iterator_is_closed_after_the_last_chunk(flask, app, client):
    closed = []

    class Chunks:
        """A WSGI-style body iterator: not a generator, with a close() to call."""

        def __init__(self):
            self.parts = iter(["a", "b"])

        def __iter__(self):
            return self

        def __next__(self):
            return next(self.parts)

        def close(self):
            closed.append(True)

    app.add_url_rule("/chunks", "chunks", lambda: flask.stream_with_context(Chunks()))
    assert text(client.get("/chunks")) == "ab"
    assert closed == [True]


@spec("streaming.session-not-saved")
def test_session_changes_while_streaming_are_not_saved(flask, app, client):
    app.secret_key = "streaming secret"

    @app.route("/stream")
    def stream():
        @flask.stream_with_context
        def chunks():
            flask.session["late"] = "set while streaming"
            yield "done"

        return chunks()

    @app.route("/read")
    def read():
        return repr(flask.session.get("late"))

    response = client.get("/stream")
    assert text(response) == "done"
    assert "Set-Cookie" not in response.headers
    assert text(client.get("/read")) == "None"


@spec("streaming.headers-fixed")
def test_headers_set_after_the_body_started_are_not_sent(flask, app, client):
    @app.route("/stream")
    def stream():
        def chunks():
            yield "first "
            response.headers["X-Late"] = "too late"
            response.status_code = 299
            yield "second"

        response = flask.Response(chunks(), headers={"X-Early": "sent"})
        return response

    response = client.get("/stream")
    assert text(response) == "first second"
    assert (response.status_code, response.headers.get("X-Early"), response.headers.get("X-Late")) == (200, "sent", None)


@spec("streaming.needs-request-context")
def test_wrapping_outside_a_request_is_an_error(flask, app, sync):
    def chunks():
        yield "x"

    with pytest.raises(RuntimeError):
        flask.stream_with_context(chunks())
    with sync.context(app.app_context()):
        with pytest.raises(RuntimeError):
            flask.stream_with_context(chunks())


@spec("streaming.needs-request-context")
def test_calling_a_decorated_function_outside_a_request_is_an_error(flask):
    @flask.stream_with_context
    def chunks():
        yield "x"

    with pytest.raises(RuntimeError):
        list(chunks())


@spec("streaming.async-view")
def test_stream_with_context_works_in_an_async_view(flask, app, client):
    pytest.importorskip("asgiref")
    app.secret_key = "streaming secret"

    @app.route("/stream")
    async def stream():
        flask.session["theme"] = "dark"

        @flask.stream_with_context
        def chunks():
            yield flask.request.path + "|"
            yield flask.session["theme"]

        return flask.Response(chunks())

    client.get("/stream").close()  # never read
    assert not flask.has_request_context()
    assert text(client.get("/stream")) == "/stream|dark"
    assert not flask.has_request_context()


@spec("streaming.async-view")
@pytest.mark.needs("sync-contexts")
def test_an_async_view_stream_inside_a_with_client_block(flask, app):
    pytest.importorskip("asgiref")
    app.secret_key = "streaming secret"

    @app.route("/stream")
    async def stream():
        flask.g.theme = "dark"

        @flask.stream_with_context
        def chunks():
            yield flask.g.theme

        return flask.Response(chunks())

    test_client = app.test_client()
    with test_client:
        test_client.get("/stream").close()  # never read
        assert flask.g.theme == "dark"
    with test_client:
        assert text(test_client.get("/stream")) == "dark"
        assert flask.g.theme == "dark"
    assert not flask.has_app_context()


@pytest.fixture
def teardowns(app):
    """What each teardown_request and teardown_appcontext call was told, in order."""
    told = []
    app.teardown_request(lambda exc: told.append(("request", type(exc).__name__ if exc else None)))
    app.teardown_appcontext(lambda exc: told.append(("app", type(exc).__name__ if exc else None)))
    return told


@spec("streaming.with-context-teardown")
def test_a_stream_read_to_its_end_tears_down_without_an_error(flask, app, client, teardowns):
    produced = []

    def chunks():
        yield "a"
        produced.append(len(teardowns))  # how many teardown calls came before the last chunk
        yield "b"

    app.add_url_rule("/s", "s", lambda: flask.stream_with_context(chunks()))
    assert text(client.get("/s")) == "ab"
    assert teardowns[-2:] == [("request", None), ("app", None)]
    assert {exc for _, exc in teardowns} == {None}
    assert len(teardowns) > produced[0]  # the last teardown came after the stream


@spec("streaming.with-context-teardown")
@pytest.mark.needs("exceptions-reach-caller")
def test_a_stream_that_raises_tears_down_with_its_error(flask, app, client, teardowns):
    def chunks():
        yield "a"
        raise LookupError("stream broke")

    app.add_url_rule("/s", "s", lambda: flask.stream_with_context(chunks()))
    with pytest.raises(LookupError):
        client.get("/s").get_data()
    assert teardowns[-2:] == [("request", "LookupError"), ("app", "LookupError")]

