"""Sending files: ``flask.send_file``, its headers, caching and conditional responses."""

from __future__ import annotations

import io
import os
import re
from datetime import datetime, timedelta, timezone

import pytest

from conformance.versions import Changed

spec = pytest.mark.spec

DATA = b"0123456789abcdef"
MTIME = 1_600_000_000
LAST_MODIFIED = "Sun, 13 Sep 2020 12:26:40 GMT"
EARLIER = "Sat, 12 Sep 2020 12:26:40 GMT"
LATER = "Mon, 14 Sep 2020 12:26:40 GMT"

#: How each kind of source is handed to send_file: a factory from the file's path
#: (file objects are consumed, so each request needs a new one) and the keyword
#: arguments it needs. The file object carries its own validators (K07).
SOURCES = {
    "path": (lambda path: path, {}),
    "str path": (str, {}),
    "file object": (
        lambda path: io.BytesIO(DATA),
        {"mimetype": "application/octet-stream", "etag": "v1", "last_modified": MTIME},
    ),
    "open file": (lambda path: open(path, "rb"), {"mimetype": "application/octet-stream"}),  # noqa: SIM115
}


@pytest.fixture
def data_file(tmp_path):
    """``data.bin`` holding DATA, last modified at MTIME."""
    path = tmp_path / "data.bin"
    path.write_bytes(DATA)
    os.utime(path, (MTIME, MTIME))
    return path


@pytest.fixture
def file_route(flask, app, data_file, client_for, sync):
    """Register ``/file`` answered by send_file(<source>, **kwargs); returns a client."""

    def register(source="path", **kwargs):
        make, defaults = SOURCES[source]

        @app.route("/file", methods=["GET", "HEAD"])
        def file_view():
            return sync(flask.send_file(make(data_file), **{**defaults, **kwargs}))

        return client_for(app)

    return register


def sent(client, **headers):
    """A GET of /file, its body read and the file closed."""
    return read(client.get("/file", headers=headers))


def read(response):
    """The response with its body buffered and its file closed."""
    response.get_data()
    response.close()
    return response


# --- the body and its description -------------------------------------------------


@spec("send-file.sources")
@pytest.mark.parametrize("source", ["path", "str path", "file object", "open file"])
def test_send_file_sends_the_whole_file(file_route, source):
    response = sent(file_route(source))
    assert (response.status_code, response.data) == (200, DATA)


@spec("send-file.sources")
@pytest.mark.parametrize(
    ("name", "value"),
    [("attachment_filename", "x.txt"), ("cache_timeout", 60), ("add_etags", False), ("filename_or_fp", None)],
)
def test_old_parameter_names_are_type_errors(flask, app, data_file, name, value, sync):
    args = () if name == "filename_or_fp" else (data_file,)
    with sync.context(app.test_request_context("/")), pytest.raises(TypeError):
        sync(flask.send_file(*args, **{name: data_file if value is None else value}))


@spec("send-file.response-class")
@pytest.mark.parametrize("helper", ["send_file", "send_from_directory"])
def test_the_response_is_of_the_apps_response_class(flask, app, client, data_file, helper, sync):
    class Tagged(flask.Response):
        pass

    app.response_class = Tagged
    args = (data_file,) if helper == "send_file" else (os.path.dirname(data_file), os.path.basename(data_file))
    made = []

    @app.route("/file")
    def file():
        response = sync(getattr(flask, helper)(*args))
        made.append(type(response))  # before returning it: make_response would convert it
        return response

    assert client.get("/file").data == DATA
    assert made == [Tagged]


@spec("send-file.relative-path")
def test_relative_paths_are_taken_from_the_root_path(flask, make_app, tmp_path, monkeypatch, client_for, sync):
    (tmp_path / "root" / "files").mkdir(parents=True)
    (tmp_path / "root" / "files" / "a.txt").write_text("under root_path")
    (tmp_path / "cwd" / "files").mkdir(parents=True)
    (tmp_path / "cwd" / "files" / "a.txt").write_text("under the working directory")
    monkeypatch.chdir(tmp_path / "cwd")
    app = make_app(root_path=str(tmp_path / "root"))
    app.add_url_rule("/file", "file", lambda: sync(flask.send_file("files/a.txt")))
    assert sent(client_for(app)).data == b"under root_path"


@spec("send-file.mimetype")
@pytest.mark.parametrize("given", ["path", "download_name"])
@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("notes.txt", "text/plain; charset=utf-8"),
        ("page.html", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("data.json", "application/json"),
        ("image.png", "image/png"),
        ("paper.pdf", "application/pdf"),
        ("blob.xyzzy", "application/octet-stream"),
        ("README", "application/octet-stream"),
    ],
)
def test_mimetype_is_guessed_from_the_name(flask, app, tmp_path, given, name, content_type, client_for, sync):
    (tmp_path / name).write_bytes(DATA)

    @app.route("/file")
    def file_view():
        if given == "path":
            return sync(flask.send_file(tmp_path / name))
        return sync(flask.send_file(io.BytesIO(DATA), download_name=name))

    assert sent(client_for(app)).headers["Content-Type"] == content_type


@spec("send-file.mimetype")
@pytest.mark.parametrize(
    ("mimetype", "content_type"),
    [("application/x-custom", "application/x-custom"), ("text/csv", "text/csv; charset=utf-8")],
)
@pytest.mark.parametrize("source", ["path", "file object"])
def test_a_given_mimetype_is_used(file_route, source, mimetype, content_type):
    assert sent(file_route(source, mimetype=mimetype)).headers["Content-Type"] == content_type


@spec("send-file.mimetype-undetectable")
def test_a_nameless_file_object_without_mimetype_is_a_type_error(flask, app, sync):
    with sync.context(app.test_request_context("/")), pytest.raises(TypeError):
        sync(flask.send_file(io.BytesIO(DATA)))


@spec("send-file.content-disposition")
@pytest.mark.parametrize(
    ("source", "kwargs", "disposition"),
    [
        ("path", {}, "inline; filename=data.bin"),
        ("path", {"as_attachment": True}, "attachment; filename=data.bin"),
        ("path", {"download_name": "report.csv"}, "inline; filename=report.csv"),
        ("path", {"as_attachment": True, "download_name": "report.csv"}, "attachment; filename=report.csv"),
        ("path", {"as_attachment": True, "download_name": "my report.csv"}, 'attachment; filename="my report.csv"'),
        ("file object", {}, None),
        ("file object", {"as_attachment": True, "download_name": "report.csv"}, "attachment; filename=report.csv"),
    ],
)
def test_content_disposition_names_the_file(file_route, source, kwargs, disposition):
    assert sent(file_route(source, **kwargs)).headers.get("Content-Disposition") == disposition


@spec("send-file.content-disposition")
def test_attaching_a_nameless_file_object_is_a_type_error(flask, app, sync):
    with sync.context(app.test_request_context("/")), pytest.raises(TypeError):
        sync(flask.send_file(io.BytesIO(DATA), mimetype="text/plain", as_attachment=True))


@spec("send-file.non-ascii-name")
@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("Ünïcödé €.txt", "%C3%9Cn%C3%AFc%C3%B6d%C3%A9%20%E2%82%AC.txt"),
        ("日本語.txt", "%E6%97%A5%E6%9C%AC%E8%AA%9E.txt"),
        ("naïve.txt", "na%C3%AFve.txt"),
    ],
)
def test_non_ascii_download_names_use_filename_star(file_route, name, encoded):
    disposition = sent(file_route(as_attachment=True, download_name=name)).headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{encoded}" in disposition
    assert disposition.isascii()


# --- conditional and range requests --------------------------------------------------

#: One row per request: the request headers, then the expected status, body (None:
#: not checked) and response headers (None: absent). "{etag}" and "{last_modified}"
#: stand for the response's own validators.
CONDITIONAL = [
    pytest.param({}, 200, DATA, {"Accept-Ranges": Changed("send-file.conditional-default", "bytes", {"3.1": None}),
                                 "Content-Range": None},
                 id="plain", marks=spec("send-file.conditional-default")),
    pytest.param({"If-None-Match": "{etag}"}, 304, b"", {"ETag": "{etag}"},
                 id="if-none-match-current", marks=spec("send-file.not-modified")),
    pytest.param({"If-None-Match": '"stale", {etag}'}, 304, b"", {"ETag": "{etag}"},
                 id="if-none-match-in-list", marks=spec("send-file.not-modified")),
    pytest.param({"If-None-Match": "W/{etag}"}, 304, b"", {"ETag": "{etag}"},
                 id="if-none-match-weak", marks=spec("send-file.not-modified")),
    pytest.param({"If-None-Match": "*"}, 304, b"", {"ETag": "{etag}"},
                 id="if-none-match-star", marks=spec("send-file.not-modified")),
    pytest.param({"If-None-Match": '"stale"'}, 200, DATA, {"ETag": "{etag}"},
                 id="if-none-match-stale", marks=spec("send-file.not-modified")),
    pytest.param({"If-Modified-Since": "{last_modified}"}, 304, b"", {},
                 id="if-modified-since-same", marks=spec("send-file.not-modified")),
    pytest.param({"If-Modified-Since": LATER}, 304, b"", {},
                 id="if-modified-since-later", marks=spec("send-file.not-modified")),
    pytest.param({"If-Modified-Since": EARLIER}, 200, DATA, {"Last-Modified": LAST_MODIFIED},
                 id="if-modified-since-earlier", marks=spec("send-file.not-modified")),
    pytest.param({"If-None-Match": '"stale"', "If-Modified-Since": "{last_modified}"}, 200, DATA, {},
                 id="if-none-match-beats-if-modified-since", marks=spec("send-file.not-modified")),
    pytest.param({"If-Match": '"stale"'}, 412, None, {},
                 id="if-match-stale", marks=spec("send-file.precondition-failed")),
    pytest.param({"If-Match": "{etag}"}, 200, DATA, {},
                 id="if-match-current", marks=spec("send-file.precondition-failed")),
    pytest.param({"If-Match": '"stale", {etag}'}, 200, DATA, {},
                 id="if-match-in-list", marks=spec("send-file.precondition-failed")),
    pytest.param({"If-Match": "*"}, 412, None, {},
                 id="if-match-star", marks=spec("send-file.precondition-failed")),
    pytest.param({"If-Match": "W/{etag}"}, 412, None, {},
                 id="if-match-weak", marks=spec("send-file.precondition-failed")),
    pytest.param({"If-Unmodified-Since": EARLIER}, 200, DATA, {},
                 id="if-unmodified-since-earlier", marks=spec("send-file.if-unmodified-since-ignored")),
    pytest.param({"Range": "bytes=2-4"}, 206, DATA[2:5],
                 {"Content-Range": "bytes 2-4/16", "Accept-Ranges": "bytes", "Content-Length": "3"},
                 id="range", marks=spec("send-file.range")),
    pytest.param({"Range": "bytes=-3"}, 206, DATA[-3:], {"Content-Range": "bytes 13-15/16"},
                 id="range-suffix", marks=spec("send-file.range")),
    pytest.param({"Range": "bytes=10-"}, 206, DATA[10:], {"Content-Range": "bytes 10-15/16"},
                 id="range-open", marks=spec("send-file.range")),
    pytest.param({"Range": "bytes=10-99"}, 206, DATA[10:], {"Content-Range": "bytes 10-15/16"},
                 id="range-past-the-end", marks=spec("send-file.range")),
    pytest.param({"Range": "bytes=16-20"}, 416, None, {"Content-Range": "bytes */16"},
                 id="range-unsatisfiable", marks=spec("send-file.range-not-satisfiable")),
    pytest.param({"Range": "bytes=x"}, 416, None, {"Content-Range": "bytes */16"},
                 id="range-malformed", marks=spec("send-file.range-not-satisfiable")),
    pytest.param({"Range": "bytes=5-2"}, 416, None, {"Content-Range": "bytes */16"},
                 id="range-reversed", marks=spec("send-file.range-not-satisfiable")),
    pytest.param({"Range": "bytes=0-1,4-5"}, 416, None, {"Content-Range": "bytes */16"},
                 id="range-multiple", marks=spec("send-file.range-not-satisfiable")),
    pytest.param({"Range": "bytes=0-0"}, 206, DATA[:1], {"Content-Range": "bytes 0-0/16", "Content-Length": "1"},
                 id="range-first-byte", marks=spec("send-file.range")),
    pytest.param({"Range": "bytes=2-4", "If-None-Match": "{etag}"}, 206, DATA[2:5], {"Content-Range": "bytes 2-4/16"},
                 id="range-with-matching-if-none-match", marks=spec("send-file.range-before-validators")),
    pytest.param({"Range": "bytes=2-4", "If-Modified-Since": "{last_modified}"}, 206, DATA[2:5],
                 {"Content-Range": "bytes 2-4/16"},
                 id="range-with-if-modified-since", marks=spec("send-file.range-before-validators")),
    pytest.param({"Range": "bytes=2-4", "If-Match": '"stale"'}, 206, DATA[2:5], {"Content-Range": "bytes 2-4/16"},
                 id="range-with-stale-if-match", marks=spec("send-file.range-before-validators")),
    pytest.param({"Range": "bytes=2-4", "If-Match": "{etag}"}, 206, DATA[2:5], {"Content-Range": "bytes 2-4/16"},
                 id="range-with-current-if-match", marks=spec("send-file.range-before-validators")),
    pytest.param({"Range": "bytes=16-20", "If-None-Match": "{etag}"}, 416, None, {"Content-Range": "bytes */16"},
                 id="unsatisfiable-range-with-if-none-match", marks=spec("send-file.range-before-validators")),
    pytest.param({"If-Modified-Since": "not a date"}, 200, DATA, {},
                 id="if-modified-since-unparsable", marks=spec("send-file.unparsable-dates")),
    pytest.param({"If-Modified-Since": "Sun, 13 Sep 2020 12:26:40"}, 304, b"", {},
                 id="if-modified-since-without-zone", marks=spec("send-file.unparsable-dates")),
    pytest.param({"Range": "bytes=2-4", "If-Range": "not a date"}, 200, DATA, {"Content-Range": None},
                 id="if-range-unparsable", marks=spec("send-file.unparsable-dates")),
    pytest.param({"Range": "bytes=2-4", "If-Range": "{etag}"}, 206, DATA[2:5], {"Content-Range": "bytes 2-4/16"},
                 id="if-range-etag-current", marks=spec("send-file.if-range")),
    pytest.param({"Range": "bytes=2-4", "If-Range": '"stale"'}, 200, DATA, {"Content-Range": None},
                 id="if-range-etag-stale", marks=spec("send-file.if-range")),
    pytest.param({"Range": "bytes=2-4", "If-Range": "{last_modified}"}, 206, DATA[2:5],
                 {"Content-Range": "bytes 2-4/16"}, id="if-range-date-current", marks=spec("send-file.if-range")),
    pytest.param({"Range": "bytes=2-4", "If-Range": EARLIER}, 200, DATA, {"Content-Range": None},
                 id="if-range-date-earlier", marks=spec("send-file.if-range")),
]


def _fill(value, etag):
    return None if value is None else value.format(etag=etag, last_modified=LAST_MODIFIED)


@pytest.mark.parametrize("method", ["GET", pytest.param("HEAD", marks=spec("send-file.head"))])
@pytest.mark.parametrize("source", ["path", pytest.param("file object", marks=spec("send-file.etag"))])
@pytest.mark.parametrize(("request_headers", "status", "body", "response_headers"), CONDITIONAL)
def test_conditional_requests_follow_the_table(
    file_route, behaviour_at, source, method, request_headers, status, body, response_headers
):
    client = file_route(source)
    etag = sent(client).headers["ETag"]
    response = read(client.open("/file", method=method, headers={k: _fill(v, etag) for k, v in request_headers.items()}))
    assert response.status_code == status
    for name, value in response_headers.items():
        assert response.headers.get(name) == _fill(behaviour_at.resolve(value), etag), name
    if method == "HEAD":
        assert response.data == b""
    elif body is not None:
        assert response.data == body


@spec("send-file.get-and-head-only")
@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("source", ["path", "file object"])
@pytest.mark.parametrize(
    "request_headers",
    [
        {"If-None-Match": "{etag}"},
        {"If-None-Match": "*"},
        {"If-Match": '"stale"'},
        {"If-Modified-Since": "{last_modified}"},
        {"Range": "bytes=2-4"},
        {"Range": "bytes=16-20"},
    ],
    ids=["if-none-match", "if-none-match-star", "if-match-stale", "if-modified-since", "range", "range-unsatisfiable"],
)
def test_other_methods_get_the_whole_file(flask, app, data_file, client_for, source, method, request_headers, sync):
    make, defaults = SOURCES[source]
    app.add_url_rule("/file", "file", lambda: sync(flask.send_file(make(data_file), **defaults)), methods=["GET", method])
    client = client_for(app)
    etag = sent(client).headers["ETag"]
    response = read(client.open("/file", method=method, headers={k: _fill(v, etag) for k, v in request_headers.items()}))
    assert (response.status_code, response.data) == (200, DATA)
    assert "Accept-Ranges" not in response.headers
    assert "Content-Range" not in response.headers


@spec("send-file.range-empty-suffix")
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_empty_suffix_range_is_not_satisfiable(file_route, behaviour_at, method):
    response = read(file_route().open("/file", method=method, headers={"Range": "bytes=-0"}))
    expected = behaviour_at("send-file.range-empty-suffix", current=(416, "bytes */16"), before={"3.1": (206, "bytes 0-15/16")})
    assert (response.status_code, response.headers.get("Content-Range")) == expected


@spec("send-file.range-empty-file")
@pytest.mark.parametrize("range_header", ["bytes=0-", "bytes=0-0", "bytes=-1", "bytes=5-9"])
def test_a_range_of_an_empty_file_is_the_whole_empty_file(flask, app, tmp_path, client_for, range_header, sync):
    (tmp_path / "empty.bin").write_bytes(b"")
    app.add_url_rule("/file", "file", lambda: sync(flask.send_file(tmp_path / "empty.bin")))
    response = sent(client_for(app), Range=range_header)
    assert (response.status_code, response.data) == (200, b"")
    assert response.headers["Content-Length"] == "0"
    assert "Content-Range" not in response.headers


@spec("send-file.not-modified-headers")
@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("validator", ["If-None-Match", "If-Modified-Since"])
@pytest.mark.needs("exact-headers")
def test_a_304_keeps_the_caching_headers_only(file_route, behaviour_at, method, validator):
    client = file_route(max_age=60)
    full = sent(client)
    value = full.headers["ETag"] if validator == "If-None-Match" else LAST_MODIFIED
    response = read(client.open("/file", method=method, headers={validator: value}))
    assert response.status_code == 304
    kept = {"Accept-Ranges", "Cache-Control", "Content-Disposition", "ETag", "Expires"}
    expected = behaviour_at("send-file.not-modified-headers", current=kept, before={"3.1": kept - {"Accept-Ranges"}})
    assert set(response.headers.keys()) - {"Date"} == expected
    for name in expected - {"Expires"}:  # Expires follows the clock
        assert response.headers[name] == full.headers[name], name


@spec("send-file.conditional-off")
@pytest.mark.parametrize("source", ["path", "file object"])
@pytest.mark.parametrize(("request_headers", "status", "body", "response_headers"), CONDITIONAL)
def test_conditional_false_ignores_request_headers(file_route, source, request_headers, status, body, response_headers):
    client = file_route(source, conditional=False)
    etag = sent(client).headers["ETag"]
    response = sent(client, **{k: _fill(v, etag) for k, v in request_headers.items()})
    assert (response.status_code, response.data) == (200, DATA)
    assert "Accept-Ranges" not in response.headers
    assert "Content-Range" not in response.headers


# --- validators and caching ------------------------------------------------------------


@spec("send-file.etag")
def test_a_path_gets_an_etag_that_follows_the_file(file_route, data_file):
    client = file_route()
    first, again = sent(client).headers["ETag"], sent(client).headers["ETag"]
    assert re.fullmatch(r'"[^"]+"', first)
    assert again == first
    data_file.write_bytes(DATA * 2)
    assert sent(client).headers["ETag"] != first


@spec("send-file.etag")
@pytest.mark.parametrize("source", ["path", "file object"])
def test_an_etag_string_is_sent_and_compared(file_route, source):
    client = file_route(source, etag="release-7")
    assert sent(client).headers["ETag"] == '"release-7"'
    assert sent(client, **{"If-None-Match": '"release-7"'}).status_code == 304


@spec("send-file.etag")
def test_etag_false_sends_no_etag(file_route):
    client = file_route(etag=False)
    assert "ETag" not in sent(client).headers
    assert sent(client, **{"If-None-Match": "*"}).status_code == 200


@spec("send-file.etag-file-object")
def test_a_file_object_gets_no_etag_unless_given(file_route):
    client = file_route("file object", etag=True)
    assert "ETag" not in sent(client).headers
    response = sent(client, **{"If-None-Match": "*"})
    assert (response.status_code, response.data) == (200, DATA)


@spec("send-file.last-modified")
@pytest.mark.parametrize(
    "last_modified",
    [
        None,
        datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc),
        1_700_000_000,
        1_700_000_000.75,
    ],
    ids=["from-the-file", "datetime", "int", "float"],
)
def test_last_modified_accepts_datetimes_and_timestamps(file_route, last_modified):
    expected = LAST_MODIFIED if last_modified is None else "Tue, 14 Nov 2023 22:13:20 GMT"
    kwargs = {} if last_modified is None else {"last_modified": last_modified}
    assert sent(file_route(**kwargs)).headers["Last-Modified"] == expected


@spec("send-file.max-age")
@pytest.mark.parametrize("source", ["path", "file object"])
def test_an_int_max_age_makes_the_file_public(file_route, source):
    headers = sent(file_route(source, max_age=60)).headers
    assert headers["Cache-Control"] == "public, max-age=60"
    assert "Expires" in headers


@spec("send-file.max-age")
@pytest.mark.parametrize("source", ["path", "file object"])
def test_a_callable_max_age_is_called_with_the_path(file_route, data_file, source):
    calls = []

    def max_age(path):
        calls.append(path)
        return 30

    assert sent(file_route(source, max_age=max_age)).headers["Cache-Control"] == "public, max-age=30"
    assert calls == [str(data_file) if source == "path" else None]


@spec("send-file.max-age")
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"max_age": None}, {"max_age": lambda path: None}],
    ids=["absent", "none", "callable-returning-none"],
)
def test_no_max_age_means_no_cache(file_route, kwargs):
    headers = sent(file_route(**kwargs)).headers
    assert headers["Cache-Control"] == "no-cache"
    assert "Expires" not in headers


@spec("send-file.max-age-default")
@pytest.mark.parametrize(
    ("setting", "cache_control"),
    [(None, "no-cache"), (120, "public, max-age=120"), (timedelta(minutes=2), "public, max-age=120")],
    ids=["none", "int", "timedelta"],
)
def test_send_file_max_age_default_sets_the_lifetime(app, file_route, setting, cache_control):
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = setting
    assert sent(file_route()).headers["Cache-Control"] == cache_control


@spec("send-file.max-age-default")
def test_an_explicit_max_age_beats_the_setting(app, file_route):
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 120
    assert sent(file_route(max_age=5)).headers["Cache-Control"] == "public, max-age=5"


@spec("send-file.max-age-default")
def test_send_file_asks_the_app_for_the_max_age(flask, data_file, client_for, sync):
    asked = []

    class App(flask.Flask):
        def get_send_file_max_age(self, filename):
            asked.append(filename)
            return 33

    app = App(__name__)
    app.add_url_rule("/file", "file", lambda: sync(flask.send_file(data_file)))
    assert sent(client_for(app)).headers["Cache-Control"] == "public, max-age=33"
    assert asked == [str(data_file)]


@spec("send-file.x-sendfile")
@pytest.mark.parametrize("given", ["absolute", "relative"])
def test_x_sendfile_hands_the_path_to_the_server(flask, make_app, data_file, given, client_for, sync):
    app = make_app(root_path=str(data_file.parent))
    app.config["USE_X_SENDFILE"] = True
    path = data_file if given == "absolute" else data_file.name
    app.add_url_rule("/file", "file", lambda: sync(flask.send_file(path)))
    response = sent(client_for(app))
    assert response.headers["X-Sendfile"] == str(data_file)
    assert response.data == b""


@spec("send-file.x-sendfile")
def test_x_sendfile_does_not_apply_to_file_objects(app, file_route):
    app.config["USE_X_SENDFILE"] = True
    response = sent(file_route("file object"))
    assert "X-Sendfile" not in response.headers
    assert response.data == DATA
