"""View return values: what ``Flask.make_response`` turns them into, the
``flask.make_response`` helper, ``app.response_class`` and default error pages."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response as WerkzeugResponse

spec = pytest.mark.spec

HTML = "text/html; charset=utf-8"


@pytest.fixture
def sent(app):
    """The response objects after_request functions saw, in order."""
    responses = []

    @app.after_request
    def record(response):
        responses.append(response)
        return response

    return responses


def serve(app, client, view, path="/"):
    """Register ``view`` at ``path`` and GET it."""
    app.add_url_rule(path, "view", view)
    return client.get(path)


def summary(response):
    """Status line, Content-Type and body text: what most assertions compare."""
    return response.status, response.content_type, response.get_data(as_text=True)


# --- what a view may return -------------------------------------------------


@spec("responses.str")
@pytest.mark.parametrize("text", ["hello", "héllo wörld €", ""])
def test_str_is_an_html_response_in_utf8(app, client, text):
    response = serve(app, client, lambda: text)
    assert (response.status, response.content_type) == ("200 OK", HTML)
    assert response.get_data() == text.encode("utf-8")


@spec("responses.bytes")
@pytest.mark.parametrize("body", [b"raw", b"\xff\x00\xfe", b""])
def test_bytes_are_the_body_as_given(app, client, body):
    response = serve(app, client, lambda: body)
    assert response.status_code == 200
    assert response.get_data() == body


@spec("responses.dict")
@pytest.mark.parametrize("value", [{"b": 1, "a": [1, 2]}, {}, {"nested": {"x": None, "y": "é"}}])
def test_dict_is_a_json_response(app, client, value):
    response = serve(app, client, lambda: value)
    assert (response.status_code, response.content_type) == (200, "application/json")
    assert response.get_json() == value


@spec("responses.list")
@pytest.mark.parametrize("value", [[1, "x", None], [], [{"a": 1}]])
def test_list_is_a_json_response(app, client, value):
    response = serve(app, client, lambda: value)
    assert (response.status_code, response.content_type) == (200, "application/json")
    assert response.get_json() == value


@spec("responses.dict", "responses.list")
@pytest.mark.parametrize("value", [{"a": 1}, [1]], ids=["dict", "list"])
def test_json_return_values_go_through_the_app_json_provider(app, client, submodule, value):
    class Provider(submodule("json.provider").JSONProvider):
        def dumps(self, obj, **kwargs):
            return '{"via": "custom provider"}'

    app.json = Provider(app)
    assert serve(app, client, lambda: value).get_json() == {"via": "custom provider"}


@spec("responses.tuple-status")
@pytest.mark.parametrize(
    ("rv", "status"),
    [
        (("created", 201), "201 CREATED"),
        (("created", "201 CREATED"), "201 CREATED"),
        pytest.param(("odd", "299 SOMETHING ODD"), "299 SOMETHING ODD", marks=pytest.mark.needs("reason-phrase")),
        (({"error": "missing"}, 404), "404 NOT FOUND"),
        (([1, 2], 202), "202 ACCEPTED"),
        (({"made": True}, "201 CREATED"), "201 CREATED"),
    ],
    ids=["int", "string", "custom-phrase", "dict-body", "list-body", "dict-body-string-status"],
)
def test_tuple_sets_the_status(app, client, rv, status):
    assert serve(app, client, lambda: rv).status == status


@spec("responses.tuple-status")
def test_tuple_body_is_converted_like_a_lone_value(app, client):
    response = serve(app, client, lambda: ({"error": "missing"}, 400))
    assert (response.status_code, response.content_type) == (400, "application/json")
    assert response.get_json() == {"error": "missing"}


@spec("responses.tuple-headers")
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-A": "1", "X-B": "2"}, {"X-A": ["1"], "X-B": ["2"]}),
        ([("X-A", "1"), ("X-B", "2")], {"X-A": ["1"], "X-B": ["2"]}),
        ([("X-A", "1"), ("X-A", "2")], {"X-A": ["1", "2"]}),
        (Headers([("X-A", "1")]), {"X-A": ["1"]}),
    ],
    ids=["dict", "pairs", "repeated-name", "headers-object"],
)
def test_tuple_adds_headers(app, client, headers, expected):
    response = serve(app, client, lambda: ("body", headers))
    assert summary(response) == ("200 OK", HTML, "body")
    assert {name: response.headers.getlist(name) for name in expected} == expected


@spec("responses.tuple-headers")
def test_tuple_content_type_replaces_the_default(app, client):
    response = serve(app, client, lambda: ("plain", {"Content-Type": "text/plain"}))
    assert response.headers.getlist("Content-Type") == ["text/plain"]


@spec("responses.tuple-status-headers")
@pytest.mark.parametrize(
    "rv",
    [
        ("The requested resource was not found", 404, {"X-Error-Code": "99"}),
        ("The requested resource was not found", "404 NOT FOUND", [("X-Error-Code", "99")]),
    ],
    ids=["int-and-dict", "string-and-pairs"],
)
def test_three_tuple_sets_status_and_headers(app, client, rv):
    response = serve(app, client, lambda: rv)
    assert summary(response) == ("404 NOT FOUND", HTML, "The requested resource was not found")
    assert response.headers["X-Error-Code"] == "99"


@spec("responses.tuple-status-headers", "responses.tuple-headers")
def test_three_tuple_can_declare_the_json_content_type(app, client):
    response = serve(app, client, lambda: ({"message": "Accepted"}, 202, {"Content-Type": "application/json"}))
    assert (response.status_code, response.content_type) == (202, "application/json")
    assert response.get_json() == {"message": "Accepted"}


@spec("responses.response-unchanged")
def test_a_response_object_is_sent_as_it_is(flask, app, client, sent):
    made = []

    def view():
        made.append(flask.Response("made", status=203, headers={"X-Own": "1"}, mimetype="text/plain"))
        return made[0]

    response = serve(app, client, view)
    assert sent == made
    assert summary(response) == ("203 NON AUTHORITATIVE INFORMATION", "text/plain; charset=utf-8", "made")
    assert response.headers["X-Own"] == "1"


@spec("responses.response-unchanged")
def test_app_make_response_returns_the_same_object(flask, app, sync):
    with sync.context(app.test_request_context("/")):
        original = app.response_class("x", status=202)
        assert app.make_response(original) is original
        assert original.status_code == 202


@spec("responses.response-in-tuple")
@pytest.mark.parametrize(
    ("extra", "status", "headers"),
    [
        ((404,), "404 NOT FOUND", {"X-Keep": ["kept"], "X-A": ["old"]}),
        (({"X-A": "new", "X-B": "b"},), "200 OK", {"X-Keep": ["kept"], "X-A": ["new"], "X-B": ["b"]}),
        ((201, [("X-A", "new")]), "201 CREATED", {"X-Keep": ["kept"], "X-A": ["new"]}),
    ],
    ids=["status", "headers", "status-and-headers"],
)
def test_tuple_around_a_response_changes_status_and_merges_headers(flask, app, client, extra, status, headers):
    def view():
        return (flask.Response("r", headers=[("X-Keep", "kept"), ("X-A", "old")]), *extra)

    response = serve(app, client, view)
    assert (response.status, response.get_data(as_text=True)) == (status, "r")
    assert {name: response.headers.getlist(name) for name in headers} == headers


@spec("responses.coerce-response")
def test_a_werkzeug_response_becomes_the_response_class(app, client, sent):
    other = WerkzeugResponse("from werkzeug", status=203, headers={"X-Wz": "1"}, mimetype="text/plain")
    response = serve(app, client, lambda: other)
    assert [type(r) for r in sent] == [app.response_class]
    assert summary(response) == ("203 NON AUTHORITATIVE INFORMATION", "text/plain; charset=utf-8", "from werkzeug")
    assert response.headers["X-Wz"] == "1"


@spec("responses.streaming")
@pytest.mark.parametrize("kind", ["generator", "iterator"])
def test_iterables_are_streamed_lazily(app, client, kind):
    events = []

    def chunks():
        for part in ["a", b"b", "ü"]:
            events.append("read")
            yield part

    @app.after_request
    def record(response):
        events.append(("after_request", response.is_streamed))
        return response

    def view():
        # map() is an iterator that is not a generator.
        return chunks() if kind == "generator" else map(lambda part: events.append("read") or part, ["a", b"b", "ü"])

    response = serve(app, client, view)
    assert events[0] == ("after_request", True)
    assert "Content-Length" not in response.headers
    assert list(response.response) == [b"a", b"b", "ü".encode()]


@spec("responses.streaming")
def test_a_generator_may_be_the_body_of_a_tuple(app, client):
    response = serve(app, client, lambda: ((part for part in ["x", "y"]), 201, {"X-A": "1"}))
    assert summary(response) == ("201 CREATED", HTML, "xy")
    assert response.headers["X-A"] == "1"


@spec("responses.wsgi-callable")
@pytest.mark.needs("reason-phrase")
def test_a_wsgi_application_is_called_for_the_response(app, client):
    seen = []

    def wsgi(environ, start_response):
        seen.append(environ["PATH_INFO"])
        start_response("202 Accepted", [("Content-Type", "text/plain"), ("X-Wsgi", "1")])
        return [b"from ", b"wsgi"]

    response = serve(app, client, lambda: wsgi, path="/w")
    assert seen == ["/w"]
    assert summary(response) == ("202 Accepted", "text/plain", "from wsgi")
    assert response.headers["X-Wsgi"] == "1"


def no_return():
    """A view that falls off its end."""


@spec("responses.none-is-error")
@pytest.mark.parametrize(
    "view", [lambda: None, no_return, lambda: (None, 200)], ids=["none", "no-return", "none-in-tuple"]
)
@pytest.mark.needs("exceptions-reach-caller")
def test_none_is_a_type_error(app, client, view):
    with pytest.raises(TypeError):
        serve(app, client, view)


def not_wsgi(only_one):
    """A callable that cannot be called as a WSGI application."""


@spec("responses.invalid-is-error")
@pytest.mark.parametrize(
    "rv",
    [42, 4.2, {"a"}, object(), ("body",), ("body", 200, {}, "extra"), (), not_wsgi],
    ids=["int", "float", "set", "object", "1-tuple", "4-tuple", "empty-tuple", "not-wsgi-callable"],
)
@pytest.mark.needs("exceptions-reach-caller")
def test_unsupported_return_values_are_type_errors(app, client, rv):
    with pytest.raises(TypeError):
        serve(app, client, lambda: rv)


@spec("responses.invalid-is-error", "errors.unhandled-500")
@pytest.mark.parametrize("rv", [42, not_wsgi], ids=["int", "not-wsgi-callable"])
def test_unsupported_return_value_is_a_500_when_errors_do_not_propagate(app, client, rv):
    app.testing = False
    assert serve(app, client, lambda: rv).status_code == 500


@spec("responses.app-make-response")
@pytest.mark.parametrize("returns", ["str", "dict", "response"])
def test_overriding_make_response_changes_every_response(flask, returns, client_for):
    class App(flask.Flask):
        def make_response(self, rv):
            response = super().make_response(rv)
            response.headers["X-Made-By"] = "subclass"
            return response

    app = App(__name__)
    app.config["TESTING"] = True
    values = {"str": "s", "dict": {"d": 1}, "response": flask.Response("r")}
    app.add_url_rule("/", "view", lambda: values[returns])
    assert client_for(app).get("/").headers["X-Made-By"] == "subclass"


# --- flask.make_response ----------------------------------------------------


@spec("responses.make-response-no-args")
def test_make_response_without_arguments_is_empty(flask, app, sync):
    with sync.context(app.test_request_context("/")):
        response = sync(flask.make_response())
    assert isinstance(response, app.response_class)
    assert (response.status, response.get_data()) == ("200 OK", b"")


@spec("responses.make-response-one-arg")
@pytest.mark.parametrize(
    ("value", "status", "content_type", "body"),
    [
        ("text", "200 OK", HTML, b"text"),
        (b"raw", "200 OK", HTML, b"raw"),
        ({"a": 1}, "200 OK", "application/json", None),
        (("created", 201), "201 CREATED", HTML, b"created"),
    ],
    ids=["str", "bytes", "dict", "tuple"],
)
def test_make_response_with_one_argument_converts_it(flask, app, value, status, content_type, body, sync):
    with sync.context(app.test_request_context("/")):
        response = sync(flask.make_response(value))
    assert isinstance(response, app.response_class)
    assert (response.status, response.content_type) == (status, content_type)
    if body is None:
        assert response.get_json() == value
    else:
        assert response.get_data() == body


@spec("responses.make-response-one-arg")
def test_make_response_returns_a_response_as_it_is(flask, app, sync):
    with sync.context(app.test_request_context("/")):
        original = flask.Response("r")
        assert sync(flask.make_response(original)) is original


@spec("responses.make-response-many-args")
@pytest.mark.parametrize(
    ("args", "status", "headers"),
    [
        (("missing", 404), "404 NOT FOUND", {}),
        (("made", 201, {"X-A": "1"}), "201 CREATED", {"X-A": "1"}),
        (("made", {"X-A": "1"}), "200 OK", {"X-A": "1"}),
    ],
    ids=["body-status", "body-status-headers", "body-headers"],
)
def test_make_response_treats_several_arguments_as_a_tuple(flask, app, args, status, headers, sync):
    with sync.context(app.test_request_context("/")):
        response = sync(flask.make_response(*args))
    assert (response.status, response.get_data(as_text=True)) == (status, args[0])
    assert {name: response.headers.get(name) for name in headers} == headers


@spec("responses.make-response-modify")
def test_make_response_result_can_be_changed_and_returned(flask, app, client, sync):
    def view():
        response = sync(flask.make_response("saved"))
        response.status_code = 202
        response.headers["X-Custom-Header"] = "demo"
        response.set_cookie("user_mode", "dark")
        return response

    response = serve(app, client, view)
    assert summary(response) == ("202 ACCEPTED", HTML, "saved")
    assert response.headers["X-Custom-Header"] == "demo"
    assert response.headers["Set-Cookie"].startswith("user_mode=dark")


# --- the response class and default error pages -----------------------------


@pytest.fixture
def custom_class(flask, app, sent):
    """The app with a Response subclass as its response_class."""

    class CustomResponse(flask.Response):
        pass

    app.response_class = CustomResponse
    return CustomResponse


@spec("responses.response-class")
@pytest.mark.parametrize(
    "view",
    ["str", "dict", "tuple", "make_response", "jsonify", "redirect", "werkzeug", "generator", "missing"],
)
def test_response_class_is_used_for_every_response(flask, app, client, sent, custom_class, view, sync):
    views = {
        "str": lambda: "s",
        "dict": lambda: {"d": 1},
        "tuple": lambda: ("t", 201),
        "make_response": lambda: sync(flask.make_response("m")),
        "jsonify": lambda: flask.jsonify(j=1),
        "redirect": lambda: flask.redirect("/elsewhere"),
        "werkzeug": lambda: WerkzeugResponse("w"),
        "generator": lambda: (c for c in "gen"),
    }
    for name, func in views.items():
        app.add_url_rule(f"/{name}", name, func)
    client.get(f"/{view}")
    assert [type(r) for r in sent] == [custom_class]


@spec("responses.response-class")
def test_response_class_is_used_outside_views(flask, app, custom_class, sync):
    with sync.context(app.app_context()):
        made = [sync(flask.make_response()), flask.jsonify([1]), flask.redirect("/x"), app.redirect("/x")]
    assert [type(r) for r in made] == [custom_class] * 4


def boom():
    raise ValueError("unhandled")


@spec("responses.default-error-pages")
@pytest.mark.parametrize(
    ("method", "path", "code"),
    [("GET", "/nowhere", 404), ("POST", "/ok", 405), ("GET", "/abort/400", 400), ("GET", "/abort/403", 403),
     ("GET", "/abort/410", 410), ("GET", "/boom", 500)],
)
def test_default_error_pages_are_html(flask, app, client, method, path, code):
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/ok", "ok", lambda: "ok")
    app.add_url_rule("/abort/<int:code>", "abort", lambda code: flask.abort(code))
    app.add_url_rule("/boom", "boom", boom)
    response = client.open(path, method=method)
    assert (response.status_code, response.content_type) == (code, HTML)
    assert str(code) in response.get_data(as_text=True)
