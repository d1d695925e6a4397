"""What only a real socket shows: how bodies are framed (Content-Length or chunked),
HEAD, ranges and large bodies on the wire. Every entry here needs ``wire``, which
only the ``http`` transport gives: over ``wsgi`` and ``asgi`` these tests are not
applicable (``--transport http`` runs them)."""

from __future__ import annotations

import hashlib
import threading

import pytest

spec = pytest.mark.spec

ABC_TEMPLATE = "{% for letter in letters %}{{ letter }}{% endfor %}"


def streamed(flask, kind):
    """A view answering 'abc' as a stream of the given kind."""

    def generate():
        yield from ("a", "b", "c")

    def view():
        if kind == "generator":
            return generate()
        if kind == "response":
            return flask.Response(generate(), mimetype="text/plain")
        if kind == "with-context":
            return flask.stream_with_context(letter for letter in flask.request.args["q"])
        return flask.stream_template_string(ABC_TEMPLATE, letters="abc")

    return view


@spec("wire.head-no-body")
def test_head_has_no_body_but_the_length_of_the_get(app, client):
    app.add_url_rule("/", "index", lambda: "twelve bytes")
    get, head = client.get("/"), client.head("/")
    assert (get.status_code, get.headers["Content-Length"], get.data) == (200, "12", b"twelve bytes")
    assert (head.status_code, head.headers["Content-Length"], head.data) == (200, "12", b"")


@spec("wire.stream-chunked")
@pytest.mark.parametrize("kind", ["generator", "response", "with-context", "template"])
def test_streamed_responses_go_out_chunked(flask, app, client, kind):
    app.add_url_rule("/", "stream", streamed(flask, kind))
    response = client.get("/?q=abc")
    assert response.status_code == 200
    assert response.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in response.headers
    assert response.data == b"abc"


@spec("wire.stream-after-headers")
def test_headers_arrive_before_the_generator_finishes(app, client):
    gate = threading.Event()
    waited = []

    @app.route("/")
    def view():
        def generate():
            yield "first "
            waited.append(gate.wait(3))  # True only if the client got the headers first
            yield "last"

        return generate()

    response = client.get("/")  # back as soon as the headers are in
    assert (response.status_code, waited) == (200, [])
    gate.set()
    assert response.data == b"first last"
    assert waited == [True]


@spec("wire.sized-response")
@pytest.mark.parametrize(
    ("rv", "length"),
    [("twelve bytes", "12"), (b"six b!", "6"), ({"a": 1}, "8")],
    ids=["str", "bytes", "json"],
)
def test_a_known_body_goes_out_with_its_length(app, client, rv, length):
    app.add_url_rule("/", "index", lambda: rv)
    response = client.get("/")
    assert (response.headers.get("Content-Length"), response.headers.get("Transfer-Encoding")) == (length, None)
    assert len(response.data) == int(length)


@spec("wire.send-file-range")
def test_send_file_answers_a_range_over_the_wire(flask, app, client, tmp_path, sync):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(256)) * 4)
    app.add_url_rule("/file", "file", lambda: sync(flask.send_file(path)))
    response = client.get("/file", headers={"Range": "bytes=10-19"})
    assert (response.status_code, response.headers["Content-Range"], response.headers["Content-Length"]) == (
        206,
        "bytes 10-19/1024",
        "10",
    )
    assert response.data == bytes(range(10, 20))


@spec("wire.large-body")
@pytest.mark.needs("sync-request-data")
def test_a_large_body_arrives_intact(flask, app, client, sync):
    body = bytes(range(256)) * 16384  # 4 MiB

    @app.route("/", methods=["POST"])
    def view():
        data = sync(flask.request.get_data())
        return f"{len(data)} {hashlib.sha256(data).hexdigest()}"

    response = client.post("/", data=body, content_type="application/octet-stream")
    assert response.text == f"{len(body)} {hashlib.sha256(body).hexdigest()}"


@spec("wire.max-content-length")
@pytest.mark.needs("sync-request-data")
def test_a_body_over_max_content_length_is_413_over_the_wire(flask, app, client, sync):
    app.config["MAX_CONTENT_LENGTH"] = 1000

    @app.route("/", methods=["POST"])
    def view():
        return str(len(sync(flask.request.get_data())))

    assert client.post("/", data=b"x" * 1000).text == "1000"
    assert client.post("/", data=b"x" * 100_000).status_code == 413
