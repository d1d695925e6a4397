"""The response object as Flask documents it: the app's response class and its class
attributes, status, body, headers and content type, cookies, ETags, conditional and
range responses, streaming flags and the WSGI side, whether the implementation
inherits them from Werkzeug or not."""

from __future__ import annotations

import email.utils
import hashlib
import time
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.http import COEP, COOP
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response as WerkzeugResponse

spec = pytest.mark.spec


def environ(path="/", **kwargs):
    return EnvironBuilder(path, **kwargs).get_environ()


# --- the app's response class ------------------------------------------------------------------


@spec("response-object.default-mimetype")
def test_default_mimetype_of_the_response_class_shapes_text_responses(flask, app, client):
    class PlainResponse(flask.Response):
        default_mimetype = "text/plain"

    app.response_class = PlainResponse
    app.add_url_rule("/text", "text", lambda: "hi")
    app.add_url_rule("/json", "json", lambda: {"a": 1})
    assert client.get("/text").headers["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get("/json").headers["Content-Type"] == "application/json"
    assert flask.Response.default_mimetype == "text/html"


@spec("response-object.autocorrect-location")
def test_relative_locations_stay_relative_by_default(flask, app, client):
    assert flask.Response.autocorrect_location_header is False
    app.add_url_rule("/", "go", lambda: flask.redirect("/target?x=1"))
    assert client.get("/").headers["Location"] == "/target?x=1"


@spec("response-object.autocorrect-location", "responses.response-class")
def test_a_response_class_can_make_locations_absolute(flask, app, client):
    class AbsoluteResponse(flask.Response):
        autocorrect_location_header = True

    app.response_class = AbsoluteResponse
    app.add_url_rule("/", "go", lambda: flask.redirect("/target"))
    location = client.get("/").headers["Location"]
    assert location.startswith("http") and location.endswith("/target"), location


@spec("response-object.autocorrect-location")
@pytest.mark.parametrize(
    ("autocorrect", "base_url", "given", "sent"),
    [
        (True, "http://localhost/", "/target", "http://localhost/target"),
        (True, "https://example.com/app/", "/target", "https://example.com/target"),
        (True, "https://example.com/app/", "target?x=1", "https://example.com/app/target?x=1"),
        (True, "https://example.com/app/", "https://other.test/", "https://other.test/"),
        (False, "https://example.com/app/", "/target", "/target"),
    ],
)
def test_autocorrection_joins_the_location_to_the_request_url(flask, autocorrect, base_url, given, sent):
    class Checked(flask.Response):
        autocorrect_location_header = autocorrect

    response = Checked("x", status=302, headers={"Location": given})
    assert response.get_wsgi_headers(environ(base_url=base_url))["Location"] == sent


@spec("response-object.force-type")
def test_force_type_turns_a_werkzeug_response_into_the_class(flask):
    class Tagged(flask.Response):
        tag = "mine"

    plain = WerkzeugResponse("w", status=201)
    forced = Tagged.force_type(plain)
    assert (type(forced), forced.tag, forced.status_code, forced.get_data()) == (Tagged, "mine", 201, b"w")


# --- status, body and headers -------------------------------------------------------------------


@spec("response-object.status")
@pytest.mark.parametrize(
    ("assign", "value", "status", "status_code"),
    [
        ("status_code", 202, "202 ACCEPTED", 202),
        ("status_code", 299, "299 UNKNOWN", 299),
        ("status", "299 Custom Reason", "299 Custom Reason", 299),
        ("status", 404, "404 NOT FOUND", 404),
        ("status", "410", "410 GONE", 410),
    ],
)
def test_status_and_status_code_follow_each_other(flask, assign, value, status, status_code):
    response = flask.Response("x")
    setattr(response, assign, value)
    assert (response.status, response.status_code) == (status, status_code)


@spec("response-object.constructor")
def test_constructor_arguments(flask):
    response = flask.Response("x", status=201, headers={"X-A": "1"}, content_type="text/plain")
    assert (response.status, response.headers["X-A"], response.content_type) == ("201 CREATED", "1", "text/plain")
    assert flask.Response(b"\xff", mimetype="application/octet-stream").content_type == "application/octet-stream"


@spec("response-object.data")
def test_body_as_bytes_text_and_replaced(flask):
    response = flask.Response("héllo")
    assert (response.data, response.get_data(as_text=True), response.content_length) == (b"h\xc3\xa9llo", "héllo", 6)
    response.set_data("ü")
    assert (response.get_data(), response.headers["Content-Length"]) == (b"\xc3\xbc", "2")
    response.data = b"xyz"
    assert (response.get_data(), response.content_length) == (b"xyz", 3)


@spec("response-object.mimetype-params")
@pytest.mark.parametrize(
    ("kwargs", "mimetype", "params"),
    [
        ({}, "text/html", {"charset": "utf-8"}),
        ({"mimetype": "text/plain"}, "text/plain", {"charset": "utf-8"}),
        ({"mimetype": "image/png"}, "image/png", {}),
        ({"content_type": "text/csv; Charset=latin-1; header=present"}, "text/csv", {"charset": "latin-1", "header": "present"}),
    ],
)
def test_response_mimetype_and_its_params(flask, kwargs, mimetype, params):
    response = flask.Response("x", **kwargs)
    assert (response.mimetype, dict(response.mimetype_params)) == (mimetype, params)


@spec("response-object.mimetype-params")
def test_changing_mimetype_params_rewrites_the_content_type(flask):
    response = flask.Response("x", mimetype="text/plain")
    response.mimetype_params["charset"] = "latin-1"
    assert response.headers["Content-Type"] == "text/plain; charset=latin-1"
    response.mimetype = "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@spec("response-object.headers")
def test_headers_can_be_changed_before_returning(flask, app, client, sync):
    @app.route("/")
    def view():
        response = sync(flask.make_response("body"))
        response.status_code = 202
        response.headers["X-Custom"] = "demo"
        response.headers["Content-Type"] = "text/plain"
        response.headers.add("X-Many", "1")
        response.headers.add("X-Many", "2")
        return response

    response = client.get("/")
    assert (response.status_code, response.headers["X-Custom"], response.headers["Content-Type"]) == (
        202,
        "demo",
        "text/plain",
    )
    assert response.headers.getlist("X-Many") == ["1", "2"]


# --- cookies ----------------------------------------------------------------------------------------


def _set_cookie(flask, *args, **kwargs):
    response = flask.Response()
    response.set_cookie(*args, **kwargs)
    return response.headers.getlist("Set-Cookie")


@spec("response-object.set-cookie")
@pytest.mark.parametrize(
    ("kwargs", "header"),
    [
        ({}, "k=v; Path=/"),
        ({"path": "/x", "domain": "example.com"}, "k=v; Domain=example.com; Path=/x"),
        ({"secure": True, "httponly": True}, "k=v; Secure; HttpOnly; Path=/"),
        ({"samesite": "Lax"}, "k=v; Path=/; SameSite=Lax"),
        ({"samesite": "Strict"}, "k=v; Path=/; SameSite=Strict"),
        ({"samesite": "None", "secure": True}, "k=v; Secure; Path=/; SameSite=None"),
        ({"path": None}, "k=v"),
        (
            {"expires": datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)},
            "k=v; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Path=/",
        ),
        ({"expires": 1_893_553_445}, "k=v; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Path=/"),
    ],
)
def test_set_cookie_writes_exactly_the_given_attributes(flask, kwargs, header):
    assert _set_cookie(flask, "k", "v", **kwargs) == [header]


@spec("response-object.set-cookie-partitioned")
def test_partitioned_cookies_are_also_secure(flask):
    assert _set_cookie(flask, "k", "v", partitioned=True) == ["k=v; Secure; Path=/; Partitioned"]
    response = flask.Response()
    response.delete_cookie("k", partitioned=True)
    assert response.headers["Set-Cookie"] == "k=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; Path=/; Partitioned"


@spec("response-object.set-cookie")
def test_a_cookie_without_expiry_lasts_for_the_browser_session(flask):
    (header,) = _set_cookie(flask, "theme", "dark")
    assert "Expires" not in header and "Max-Age" not in header
    (header,) = _set_cookie(flask, "empty")
    assert header == "empty=; Path=/"


@spec("response-object.set-cookie")
@pytest.mark.parametrize("max_age", [60, timedelta(minutes=1)], ids=["seconds", "timedelta"])
def test_max_age_also_sets_expires_from_now(flask, max_age):
    before = time.time()
    (header,) = _set_cookie(flask, "k", "v", max_age=max_age)
    parts = header.split("; ")
    assert [p for p in parts if not p.startswith("Expires=")] == ["k=v", "Max-Age=60", "Path=/"]
    (expires,) = [p.partition("=")[2] for p in parts if p.startswith("Expires=")]
    assert before + 59 <= email.utils.parsedate_to_datetime(expires).timestamp() <= time.time() + 61


@spec("response-object.set-cookie")
def test_cookie_values_that_need_it_are_quoted(flask):
    assert _set_cookie(flask, "k", 'a b;"c"') == ['k="a b\\073\\"c\\""; Path=/']


@spec("response-object.delete-cookie")
@pytest.mark.parametrize(
    ("kwargs", "header"),
    [
        ({}, "k=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
        (
            {"path": "/x", "domain": "example.com", "secure": True, "httponly": True, "samesite": "Lax"},
            "k=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; Path=/x; "
            "SameSite=Lax",
        ),
    ],
)
def test_delete_cookie_expires_it_in_the_past(flask, kwargs, header):
    response = flask.Response()
    response.delete_cookie("k", **kwargs)
    assert response.headers.getlist("Set-Cookie") == [header]


@spec("response-object.delete-cookie")
def test_deleting_a_cookie_the_client_never_had_is_harmless(flask, app, client, sync):
    @app.route("/")
    def view():
        response = sync(flask.make_response("cleared"))
        response.delete_cookie("never-set")
        return response

    response = client.get("/")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "cleared")
    assert client.get_cookie("never-set") is None


# --- ETags, conditional and range responses ----------------------------------------------------


@spec("response-object.etag")
def test_etags_are_added_set_and_read(flask):
    response = flask.Response("body")
    assert response.get_etag() == (None, None)
    response.add_etag()
    digest = hashlib.sha1(b"body").hexdigest()
    assert (response.headers["ETag"], response.get_etag()) == (f'"{digest}"', (digest, False))
    response.set_data("other")
    response.add_etag()
    assert response.get_etag() == (digest, False)  # kept: add_etag never replaces one
    response.add_etag(overwrite=True, weak=True)
    assert response.headers["ETag"] == f'W/"{hashlib.sha1(b"other").hexdigest()}"'
    response.set_etag("v1", weak=True)
    assert (response.headers["ETag"], response.get_etag()) == ('W/"v1"', ("v1", True))


@spec("response-object.freeze")
def test_freeze_buffers_the_body_and_adds_length_and_etag(flask):
    response = flask.Response(chunk for chunk in ["a", "b"])
    assert (response.is_streamed, response.is_sequence) == (True, False)
    response.freeze()
    assert (response.is_sequence, response.get_data(), response.headers["Content-Length"]) == (True, b"ab", "2")
    assert response.headers["ETag"] == f'"{hashlib.sha1(b"ab").hexdigest()}"'


@spec("response-object.streaming-flags")
def test_list_bodies_are_sequences_and_not_streamed(flask):
    response = flask.Response(["a", "b"])
    assert (response.is_streamed, response.is_sequence) == (False, True)


@spec("response-object.make-conditional")
@pytest.mark.parametrize(
    ("method", "if_none_match", "status", "body"),
    [("GET", '"v1"', 304, b""), ("HEAD", '"v1"', 304, b""), ("GET", '"v2"', 200, b"body"), ("POST", '"v1"', 200, b"body")],
)
def test_make_conditional_answers_304_for_a_matching_etag(flask, method, if_none_match, status, body):
    response = flask.Response("body")
    response.set_etag("v1")
    request_environ = environ(method=method, headers={"If-None-Match": if_none_match})
    assert response.make_conditional(request_environ) is response
    assert response.status_code == status
    app_iter, _, _ = response.get_wsgi_response(request_environ)
    assert b"".join(app_iter) == (b"" if method == "HEAD" else body)


@spec("response-object.make-conditional")
def test_make_conditional_takes_a_request_object(flask, app, sync):
    with sync.context(app.test_request_context("/", headers={"If-None-Match": '"v1"'})):
        response = flask.Response("body")
        response.set_etag("v1")
        assert response.make_conditional(flask.request).status_code == 304


@spec("response-object.make-conditional")
@pytest.mark.parametrize(
    ("range_header", "length", "status", "content_range", "body"),
    [("bytes=0-1", 4, 206, "bytes 0-1/4", b"bo"), ("bytes=2-", 4, 206, "bytes 2-3/4", b"dy"), ("bytes=0-1", 0, 200, None, b"")],
)
def test_make_conditional_serves_ranges(flask, range_header, length, status, content_range, body):
    response = flask.Response("body" if length else "")
    response.make_conditional(environ(headers={"Range": range_header}), accept_ranges=True, complete_length=length)
    assert (response.status_code, response.headers.get("Content-Range"), response.get_data()) == (
        status,
        content_range,
        body,
    )
    if length:
        assert response.headers["Accept-Ranges"] == "bytes"


@spec("response-object.make-conditional")
def test_an_unsatisfiable_range_raises_416(flask):
    response = flask.Response("body")
    with pytest.raises(RequestedRangeNotSatisfiable) as caught:
        response.make_conditional(environ(headers={"Range": "bytes=10-20"}), accept_ranges=True, complete_length=4)
    assert caught.value.code == 416


# --- the WSGI side ------------------------------------------------------------------------------


@spec("response-object.wsgi")
@pytest.mark.parametrize(("method", "status", "body"), [("GET", 200, [b"body"]), ("HEAD", 200, []), ("GET", 204, [])])
def test_app_iter_is_empty_for_head_and_bodiless_statuses(flask, method, status, body):
    response = flask.Response("body", status=status)
    assert list(response.get_app_iter(environ(method=method))) == body


@spec("response-object.wsgi")
def test_call_on_close_runs_when_the_response_closes(flask, app, client, sync):
    closed = []

    @app.route("/")
    def view():
        response = sync(flask.make_response("x"))
        response.call_on_close(lambda: closed.append("closed"))
        return response

    response = client.get("/")
    assert response.get_data() == b"x"
    response.close()
    assert closed == ["closed"]


@spec("response-object.wsgi")
@pytest.mark.parametrize(("automatic", "length"), [(True, "5"), (False, None)])
def test_content_length_is_set_automatically_unless_turned_off(flask, app, client, automatic, length):
    class Sized(flask.Response):
        automatically_set_content_length = automatic

    app.response_class = Sized
    app.add_url_rule("/", "text", lambda: "hello")
    app.add_url_rule("/stream", "stream", lambda: Sized(chunk for chunk in ["a", "b"]))
    assert client.get("/").headers.get("Content-Length") == length
    assert client.get("/stream").headers.get("Content-Length") is None


@spec("response-object.wsgi")
def test_from_app_captures_a_wsgi_application(flask):
    def wsgi_app(environ, start_response):
        start_response("201 CREATED", [("X-From", "wsgi")])
        return [b"from ", b"wsgi"]

    response = flask.Response.from_app(wsgi_app, environ())
    assert type(response) is flask.Response
    assert (response.status, response.headers["X-From"], response.get_data()) == ("201 CREATED", "wsgi", b"from wsgi")


@spec("response-object.streaming-flags")
def test_a_generator_body_is_converted_only_while_implicit_conversion_is_on(flask):
    response = flask.Response(chunk for chunk in ["a", "b"])
    response.implicit_sequence_conversion = False
    with pytest.raises(RuntimeError):
        response.get_data()
    response.make_sequence()
    assert (response.is_sequence, response.get_data()) == (True, b"ab")
    assert list(flask.Response(["a", b"b", "ü"]).iter_encoded()) == [b"a", b"b", b"\xc3\xbc"]


HEADER_PROPERTIES = [
    ("cache_control", lambda r: setattr(r.cache_control, "max_age", 60), "Cache-Control", "max-age=60"),
    ("vary", lambda r: (r.vary.add("Accept"), r.vary.add("Cookie")), "Vary", "Accept, Cookie"),
    ("allow", lambda r: r.allow.update(["GET", "POST"]), "Allow", "GET, POST"),
    (
        "expires",
        lambda r: setattr(r, "expires", datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)),
        "Expires",
        "Wed, 02 Jan 2030 03:04:05 GMT",
    ),
    (
        "last_modified",
        lambda r: setattr(r, "last_modified", datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc)),
        "Last-Modified",
        "Thu, 02 Jan 2020 03:04:05 GMT",
    ),
    ("retry_after", lambda r: setattr(r, "retry_after", 120), "Retry-After", "120"),
    ("content_language", lambda r: r.content_language.add("en"), "Content-Language", "en"),
    ("accept_ranges", lambda r: setattr(r, "accept_ranges", "bytes"), "Accept-Ranges", "bytes"),
    (
        "access_control_allow_credentials",
        lambda r: setattr(r, "access_control_allow_credentials", True),
        "Access-Control-Allow-Credentials",
        "true",
    ),
    (
        "content_security_policy",
        lambda r: setattr(r.content_security_policy, "default_src", "'self'"),
        "Content-Security-Policy",
        "default-src 'self'",
    ),
    ("location", lambda r: setattr(r, "location", "/next"), "Location", "/next"),
    ("age", lambda r: setattr(r, "age", 30), "Age", "30"),
    ("content_encoding", lambda r: setattr(r, "content_encoding", "gzip"), "Content-Encoding", "gzip"),
    ("content_location", lambda r: setattr(r, "content_location", "/x.json"), "Content-Location", "/x.json"),
    (
        "www_authenticate",
        lambda r: setattr(r, "www_authenticate", WWWAuthenticate("basic", {"realm": "Log in"})),
        "WWW-Authenticate",
        'Basic realm="Log in"',
    ),
    (
        "content_security_policy_report_only",
        lambda r: setattr(r.content_security_policy_report_only, "default_src", "'self'"),
        "Content-Security-Policy-Report-Only",
        "default-src 'self'",
    ),
    (
        "cross_origin_opener_policy",
        lambda r: setattr(r, "cross_origin_opener_policy", COOP.SAME_ORIGIN),
        "Cross-Origin-Opener-Policy",
        "same-origin",
    ),
    (
        "cross_origin_embedder_policy",
        lambda r: setattr(r, "cross_origin_embedder_policy", COEP.REQUIRE_CORP),
        "Cross-Origin-Embedder-Policy",
        "require-corp",
    ),
]


@spec("response-object.header-properties")
@pytest.mark.parametrize(
    ("change", "header", "value"), [row[1:] for row in HEADER_PROPERTIES], ids=[row[0] for row in HEADER_PROPERTIES]
)
def test_header_properties_write_their_header(flask, app, client, change, header, value, sync):
    @app.route("/")
    def view():
        response = sync(flask.make_response("x"))
        change(response)
        return response

    assert client.get("/").headers.getlist(header) == [value]
