"""The request and response classes as Flask extends Werkzeug's: routing data, size
limits, trusted hosts, the JSON failure hook and response defaults."""

from __future__ import annotations

import warnings
from io import BytesIO

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request as WerkzeugRequest
from werkzeug.wrappers import Response as WerkzeugResponse

spec = pytest.mark.spec


def text(response):
    return response.get_data(as_text=True)


# --- the classes ----------------------------------------------------------------------------


@spec("wrappers.werkzeug-subclasses")
def test_request_and_response_subclass_werkzeug(flask, app):
    assert issubclass(flask.Request, WerkzeugRequest)
    assert issubclass(flask.Response, WerkzeugResponse)
    assert app.request_class is flask.Request
    assert app.response_class is flask.Response


@spec("wrappers.werkzeug-subclasses")
def test_request_proxy_is_a_flask_request(flask, app, sync):
    with sync.context(app.test_request_context("/?q=1", headers={"User-Agent": "probe"})):
        request = flask.request._get_current_object()
        assert isinstance(request, flask.Request)
        assert (request.args["q"], request.user_agent.string, request.method) == ("1", "probe", "GET")


@spec("wrappers.request-class")
def test_request_class_override_is_used(flask, app, client):
    class TaggedRequest(flask.Request):
        tag = "custom"

    app.request_class = TaggedRequest

    @app.route("/")
    def index():
        return f"{type(flask.request._get_current_object()).__name__} {flask.request.tag}"

    assert text(client.get("/")) == "TaggedRequest custom"


@spec("wrappers.unrouted-request")
def test_request_outside_dispatch_has_no_routing_data(flask, app):
    app.add_url_rule("/page/<int:n>", "page", lambda n: "page")
    request = flask.Request(EnvironBuilder("/page/3").get_environ())
    assert (request.endpoint, request.blueprint, request.blueprints) == (None, None, [])
    assert (request.url_rule, request.view_args, request.routing_exception) == (None, None, None)


# --- size limits -------------------------------------------------------------------------------


@pytest.fixture
def body_app(flask, app, sync):
    """POST views that read the body in the different ways a view can."""
    readers = {
        "data": lambda: len(sync(flask.request.get_data())),
        "form": lambda: len(sync(flask.request.form)["field"]),
        "files": lambda: len(sync(flask.request.files)["upload"].read()),
        "json": lambda: len(sync(flask.request.get_json())["field"]),
    }
    for name, read in readers.items():
        app.add_url_rule(f"/{name}", name, lambda read=read: {"read": read()}, methods=["POST"])
    return app


SENDERS = {
    "data": lambda client, size: client.post("/data", data="x" * size),
    "form": lambda client, size: client.post("/form", data={"field": "x" * size}),
    "files": lambda client, size: client.post("/files", data={"upload": (BytesIO(b"x" * size), "f.bin")}),
    "json": lambda client, size: client.post("/json", json={"field": "x" * size}),
}


def _post(client, how, size):
    return SENDERS[how](client, size)


@spec("wrappers.max-content-length")
@pytest.mark.parametrize("how", ["data", "form", "files", "json"])
def test_body_over_max_content_length_is_413(body_app, client, how):
    body_app.config["MAX_CONTENT_LENGTH"] = 1000
    assert _post(client, how, 5000).status_code == 413
    small = _post(client, how, 10)
    assert (small.status_code, small.get_json()) == (200, {"read": 10})


@spec("wrappers.max-content-length")
def test_no_limit_by_default(flask, body_app, client, sync):
    assert body_app.config["MAX_CONTENT_LENGTH"] is None
    assert _post(client, "data", 2_000_000).get_json() == {"read": 2_000_000}
    with sync.context(body_app.test_request_context("/")):
        assert flask.request.max_content_length is None
    body_app.config["MAX_CONTENT_LENGTH"] = 1234
    with sync.context(body_app.test_request_context("/")):
        assert flask.request.max_content_length == 1234


@spec("wrappers.max-content-length-per-request")
@pytest.mark.parametrize(
    ("config", "override", "size", "status"), [(50, 1000, 100, 200), (None, 10, 20, 413), (1000, 10, 20, 413)]
)
def test_view_can_change_the_limit_for_its_request(flask, app, client, config, override, size, status, sync):
    app.config["MAX_CONTENT_LENGTH"] = config

    @app.post("/upload")
    def upload():
        flask.request.max_content_length = override
        return {"read": len(sync(flask.request.get_data())), "limit": flask.request.max_content_length}

    @app.post("/other")
    def other():
        return {"limit": flask.request.max_content_length}

    response = client.post("/upload", data="x" * size)
    assert response.status_code == status
    if status == 200:
        assert response.get_json() == {"read": size, "limit": override}
    assert client.post("/other").get_json() == {"limit": config}


def _multipart(client, path, fields):
    return client.post(path, data=fields, content_type="multipart/form-data")


@spec("wrappers.max-form-memory-size")
def test_form_memory_size_defaults_to_500000(flask, app, sync):
    assert app.config["MAX_FORM_MEMORY_SIZE"] == 500_000
    with sync.context(app.test_request_context("/")):
        assert flask.request.max_form_memory_size == 500_000


@spec("wrappers.max-form-memory-size")
@pytest.mark.parametrize(
    ("limit", "size", "status"),
    [(None, 500_001, 413), (None, 400_000, 200), (1000, 1500, 413), (1000, 500, 200)],
)
def test_large_form_field_is_413(flask, app, client, limit, size, status, sync):
    if limit is not None:
        app.config["MAX_FORM_MEMORY_SIZE"] = limit
    app.add_url_rule("/", "form", lambda: str(len(sync(flask.request.form)["a"])), methods=["POST"])
    assert _multipart(client, "/", {"a": "x" * size}).status_code == status


@spec("wrappers.max-form-memory-size")
def test_form_memory_size_can_be_set_per_request(flask, app, client, sync):
    @app.post("/strict")
    def strict():
        flask.request.max_form_memory_size = 1000
        return str(len(sync(flask.request.form)["a"]))

    assert _multipart(client, "/strict", {"a": "x" * 1500}).status_code == 413
    assert text(_multipart(client, "/strict", {"a": "x" * 500})) == "500"


@spec("wrappers.max-form-parts")
@pytest.mark.parametrize(
    ("limit", "parts", "status"), [(None, 1000, 200), (None, 1001, 413), (3, 3, 200), (3, 4, 413)]
)
def test_too_many_form_parts_is_413(flask, app, client, limit, parts, status, sync):
    if limit is not None:
        app.config["MAX_FORM_PARTS"] = limit
    app.add_url_rule("/", "form", lambda: str(len(sync(flask.request.form))), methods=["POST"])
    fields = {f"f{i}": "v" for i in range(parts)}
    assert _multipart(client, "/", fields).status_code == status


@spec("wrappers.max-form-parts")
def test_form_parts_limit_is_reported_and_can_be_set_per_request(flask, app, client, sync):
    with sync.context(app.test_request_context("/")):
        assert flask.request.max_form_parts == 1000

    @app.post("/strict")
    def strict():
        flask.request.max_form_parts = 2
        return str(len(sync(flask.request.form)))

    assert _multipart(client, "/strict", {"a": "1", "b": "2", "c": "3"}).status_code == 413
    assert text(_multipart(client, "/strict", {"a": "1", "b": "2"})) == "2"


@spec("wrappers.limits-outside-app")
@pytest.mark.parametrize(
    ("limit", "default"), [("max_content_length", None), ("max_form_memory_size", 500_000), ("max_form_parts", 1000)]
)
def test_limits_outside_an_app_are_werkzeugs_defaults(flask, app, limit, default):
    app.config.update(MAX_CONTENT_LENGTH=7, MAX_FORM_MEMORY_SIZE=7, MAX_FORM_PARTS=7)
    request = flask.Request(EnvironBuilder("/").get_environ())
    assert getattr(request, limit) == default


# --- hosts -------------------------------------------------------------------------------------


@pytest.fixture
def host_app(flask, app):
    app.add_url_rule("/", "host", lambda: flask.request.host)
    return app


@spec("wrappers.trusted-hosts")
@pytest.mark.parametrize("host", ["example.com", "evil.test", "127.0.0.1:8080"])
def test_every_host_is_accepted_by_default(host_app, client, host):
    assert host_app.config["TRUSTED_HOSTS"] is None
    response = client.get("/", headers={"Host": host})
    assert (response.status_code, text(response)) == (200, host)


@spec("wrappers.trusted-hosts")
@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("example.com", 200),
        ("example.com:8080", 200),
        ("api.example.org", 200),
        ("example.org", 200),
        ("a.b.example.org", 200),
        ("www.example.com", 400),
        ("evil.test", 400),
        ("example.org.evil.test", 400),
    ],
)
def test_trusted_hosts_refuse_other_hosts(host_app, client, host, status):
    host_app.config["TRUSTED_HOSTS"] = ["example.com", ".example.org"]
    assert client.get("/", headers={"Host": host}).status_code == status


@spec("wrappers.trusted-hosts-attribute")
def test_request_trusted_hosts_mirrors_the_config(flask, app, client):
    app.add_url_rule("/", "hosts", lambda: {"trusted": flask.request.trusted_hosts})
    assert client.get("/").get_json() == {"trusted": None}
    app.config["TRUSTED_HOSTS"] = ["localhost", ".example.org"]
    assert client.get("/").get_json() == {"trusted": ["localhost", ".example.org"]}


@spec("wrappers.trusted-hosts-attribute", "wrappers.request-class")
@pytest.mark.parametrize(("host", "status"), [("only.test", 200), ("other.test", 400)])
def test_request_class_can_set_trusted_hosts(flask, host_app, client, host, status):
    class Strict(flask.Request):
        trusted_hosts = ["only.test"]

    host_app.request_class = Strict
    assert client.get("/", headers={"Host": host}).status_code == status


# --- JSON hook ---------------------------------------------------------------------------------


@spec("wrappers.on-json-loading-failed", "wrappers.request-class")
@pytest.mark.parametrize(
    ("raw", "content_type", "expected"),
    [
        ('{"a": 1}', "text/plain", "None"),
        ("{bad", "application/json", "ValueError"),
        ('{"a": 1}', "application/json", "ok"),
    ],
)
def test_on_json_loading_failed_supplies_the_value(flask, app, client, raw, content_type, expected, sync):
    class Lenient(flask.Request):
        def on_json_loading_failed(self, e):
            return {"failed": "None" if e is None else "ValueError" if isinstance(e, ValueError) else repr(e)}

    app.request_class = Lenient

    @app.post("/")
    def view():
        parsed = sync(flask.request.get_json())
        return parsed.get("failed", "ok")

    response = client.post("/", data=raw, content_type=content_type)
    assert (response.status_code, text(response)) == (200, expected)


# --- responses -----------------------------------------------------------------------------------


@spec("wrappers.response-defaults")
def test_response_defaults_to_html(flask):
    response = flask.Response()
    assert flask.Response.default_mimetype == "text/html"
    assert (response.status_code, response.status) == (200, "200 OK")
    assert (response.mimetype, response.content_type) == ("text/html", "text/html; charset=utf-8")


@spec("wrappers.response-defaults")
@pytest.mark.parametrize(
    ("mimetype", "content_type"),
    [
        ("text/plain", "text/plain; charset=utf-8"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("image/png", "image/png"),
    ],
)
def test_response_mimetype_gets_a_charset_when_textual(flask, mimetype, content_type):
    assert flask.Response("x", mimetype=mimetype).content_type == content_type


@spec("wrappers.max-cookie-size")
def test_max_cookie_size_follows_the_config(flask, app, sync):
    with sync.context(app.app_context()):
        assert flask.Response().max_cookie_size == 4093
    app.config["MAX_COOKIE_SIZE"] = 80
    with sync.context(app.app_context()):
        assert flask.Response().max_cookie_size == 80
    assert flask.Response().max_cookie_size == 4093  # no app active: Werkzeug's default


@spec("wrappers.max-cookie-size")
def test_oversized_cookie_warns_but_is_sent(flask, app, sync):
    app.config["MAX_COOKIE_SIZE"] = 80
    with sync.context(app.app_context()):
        response = flask.Response()
        with pytest.warns(UserWarning):
            response.set_cookie("big", "v" * 100)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            response.set_cookie("small", "v")
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("big=" + "v" * 100) for c in cookies)
    assert any(c.startswith("small=v") for c in cookies)
