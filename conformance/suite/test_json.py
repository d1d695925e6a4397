"""JSON: ``jsonify``, the app's JSON provider (``app.json``), ``flask.json`` and JSON
request and response bodies."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import io
import json
import uuid

import pytest
from markupsafe import Markup
from werkzeug.exceptions import BadRequest, HTTPException

spec = pytest.mark.spec


def body(response):
    return response.get_data(as_text=True)


def _parse_error(text):
    """The standard library's message for ``text``, as the default provider reports it."""
    try:
        json.loads(text)
    except ValueError as error:
        return str(error)
    raise AssertionError(f"{text!r} parses")


# --- jsonify ------------------------------------------------------------------------------


@spec("json.jsonify-response")
def test_jsonify_makes_a_json_response_of_the_app_class(flask, app, sync):
    with sync.context(app.app_context()):
        response = flask.jsonify({"a": 1})
    assert isinstance(response, app.response_class)
    assert (response.status_code, response.mimetype) == (200, "application/json")
    assert body(response) == '{"a":1}\n'


@spec("json.jsonify-response")
def test_jsonify_from_a_view_reaches_the_client(flask, app, client):
    app.add_url_rule("/", "index", lambda: flask.jsonify(status="ok"))
    response = client.get("/")
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/json")
    assert response.get_json() == {"status": "ok"}


@spec("json.jsonify-arguments")
@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((), {}, "null"),
        ((7,), {}, "7"),
        (("text",), {}, '"text"'),
        (([1, 2, 3],), {}, "[1,2,3]"),
        ((1, 2, 3), {}, "[1,2,3]"),
        (({"k": [1]},), {}, '{"k":[1]}'),
        ((), {"b": 2, "a": [1]}, '{"a":[1],"b":2}'),
    ],
    ids=["none", "one-int", "one-str", "one-list", "several", "one-dict", "keywords"],
)
def test_jsonify_arguments_pick_the_json_value(flask, app, args, kwargs, expected, sync):
    with sync.context(app.app_context()):
        assert body(flask.jsonify(*args, **kwargs)) == expected + "\n"


@spec("json.jsonify-args-and-kwargs")
@pytest.mark.parametrize("via", ["jsonify", "app.json.response"])
def test_positional_and_keyword_arguments_together_are_a_type_error(flask, app, via, sync):
    with sync.context(app.app_context()):
        make = flask.jsonify if via == "jsonify" else app.json.response
        with pytest.raises(TypeError):
            make(1, a=2)


# --- the provider's settings --------------------------------------------------------------

INDENTED = '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}\n'
COMPACT = '{"a":1,"b":[1,2]}\n'


@spec("json.compact")
@pytest.mark.parametrize(("debug", "expected"), [(False, COMPACT), (True, INDENTED)], ids=["normal", "debug"])
def test_responses_are_compact_unless_debugging(flask, app, debug, expected, sync):
    app.debug = debug
    with sync.context(app.app_context()):
        assert body(flask.jsonify(a=1, b=[1, 2])) == expected


@spec("json.compact")
@pytest.mark.parametrize("debug", [False, True], ids=["normal", "debug"])
def test_x_requested_with_does_not_change_the_layout(flask, app, client, debug):
    app.debug = debug
    app.add_url_rule("/", "index", lambda: flask.jsonify(a=1, b=[1, 2]))
    plain = body(client.get("/"))
    assert body(client.get("/", headers={"X-Requested-With": "XMLHttpRequest"})) == plain


@spec("json.compact-setting")
@pytest.mark.parametrize(
    ("compact", "debug", "expected"),
    [(True, True, COMPACT), (False, False, INDENTED), (None, False, COMPACT), (None, True, INDENTED)],
)
def test_compact_setting_overrides_debug(flask, app, compact, debug, expected, sync):
    app.debug = debug
    app.json.compact = compact
    with sync.context(app.app_context()):
        assert body(flask.jsonify(a=1, b=[1, 2])) == expected


@spec("json.sort-keys")
@pytest.mark.parametrize(
    ("sort_keys", "dumped", "responded"),
    [
        (True, '{"a": 2, "b": 1}', '{"a":2,"b":1}\n'),
        (False, '{"b": 1, "a": 2}', '{"b":1,"a":2}\n'),
    ],
    ids=["default", "off"],
)
def test_keys_are_sorted_unless_turned_off(flask, app, sort_keys, dumped, responded, sync):
    if not sort_keys:
        app.json.sort_keys = False
    with sync.context(app.app_context()):
        assert app.json.dumps({"b": 1, "a": 2}) == dumped
        assert body(flask.jsonify({"b": 1, "a": 2})) == responded


@spec("json.ensure-ascii")
@pytest.mark.parametrize(
    ("ensure_ascii", "expected"), [(True, '"\\u00fc\\u20ac"'), (False, '"ü€"')], ids=["default", "off"]
)
def test_non_ascii_is_escaped_unless_turned_off(flask, app, ensure_ascii, expected, sync):
    if not ensure_ascii:
        app.json.ensure_ascii = False
    with sync.context(app.app_context()):
        assert app.json.dumps("ü€") == expected
        assert flask.jsonify("ü€").get_data() == (expected + "\n").encode("utf-8")


@spec("json.mimetype")
@pytest.mark.parametrize("mimetype", ["application/vnd.api+json", "text/javascript"])
def test_provider_mimetype_is_the_response_mimetype(flask, app, mimetype, sync):
    app.json.mimetype = mimetype
    with sync.context(app.app_context()):
        assert flask.jsonify([1]).mimetype == mimetype


# --- the provider itself ----------------------------------------------------------------------


@spec("json.provider-default")
def test_app_json_is_the_default_provider(app, submodule):
    provider = submodule("json.provider")
    assert type(app).json_provider_class is provider.DefaultJSONProvider
    assert type(app.json) is provider.DefaultJSONProvider
    assert isinstance(app.json, provider.JSONProvider)


@spec("json.provider-default")
def test_default_provider_settings(app):
    assert (app.json.compact, app.json.sort_keys, app.json.ensure_ascii) == (None, True, True)
    assert app.json.mimetype == "application/json"


@spec("json.provider-methods")
@pytest.mark.parametrize("value", [{"a": [1, None, True]}, [1.5, "x"], "s", None])
def test_provider_round_trips(app, value):
    assert app.json.loads(app.json.dumps(value)) == value
    assert app.json.loads(app.json.dumps(value).encode("utf-8")) == value
    text = io.StringIO()
    app.json.dump(value, text)
    assert app.json.load(io.StringIO(text.getvalue())) == value
    assert app.json.load(io.BytesIO(text.getvalue().encode("utf-8"))) == value


def _marking_provider(submodule):
    """A provider that wraps every encoded value so its use is visible."""

    class Marking(submodule("json.provider").DefaultJSONProvider):
        def dumps(self, obj, **kwargs):
            return super().dumps({"marked": obj}, **kwargs)

        def loads(self, s, **kwargs):
            return {"parsed": super().loads(s, **kwargs)}

    return Marking


@pytest.fixture(params=["class-attribute", "assignment"])
def marked_app(request, flask, submodule):
    """An app whose provider is the marking one, set either way the API allows."""
    provider_class = _marking_provider(submodule)
    if request.param == "class-attribute":
        app_class = type("MarkedFlask", (flask.Flask,), {"json_provider_class": provider_class})
        application = app_class(__name__)
    else:
        application = flask.Flask(__name__)
        application.json = provider_class(application)
    application.config["TESTING"] = True
    return application


@spec("json.custom-provider")
def test_custom_provider_is_used_by_jsonify(flask, marked_app, sync):
    with sync.context(marked_app.app_context()):
        assert body(flask.jsonify(1)) == '{"marked":1}\n'


@spec("json.custom-provider")
def test_custom_provider_is_used_by_flask_json(flask, marked_app, sync):
    with sync.context(marked_app.app_context()):
        assert flask.json.dumps(2) == '{"marked": 2}'
        assert flask.json.loads("[3]") == {"parsed": [3]}


@spec("json.custom-provider", "json.response-get-json")
def test_response_json_uses_the_active_app_provider(flask, marked_app, sync):
    response = flask.Response("[5]", mimetype="application/json")
    assert response.get_json() == [5]
    with sync.context(marked_app.app_context()):
        assert (response.get_json(), response.json) == ({"parsed": [5]}, {"parsed": [5]})


@spec("json.custom-provider")
def test_custom_provider_parses_request_bodies(flask, marked_app, client_for, sync):
    @marked_app.post("/")
    def echo():
        return repr(sync(flask.request.get_json()))

    response = client_for(marked_app).post("/", data="[4]", content_type="application/json")
    assert body(response) == "{'parsed': [4]}"


@spec("json.provider-base-response")
def test_minimal_provider_still_makes_responses(flask, app, submodule, sync):
    class Minimal(submodule("json.provider").JSONProvider):
        def dumps(self, obj, **kwargs):
            return f"<{obj!r}>"

        def loads(self, s, **kwargs):
            return s

    app.json = Minimal(app)
    with sync.context(app.app_context()):
        response = flask.jsonify(5)
    assert isinstance(response, app.response_class)
    assert (response.mimetype, body(response)) == ("application/json", "<5>")


@spec("json.provider-base-abstract")
@pytest.mark.parametrize(
    ("method", "args"),
    [("dumps", ({"a": 1},)), ("loads", ('{"a": 1}',)), ("dump", ({"a": 1}, io.StringIO())), ("load", (io.StringIO("{}"),))],
)
def test_the_base_provider_leaves_dumps_and_loads_to_subclasses(app, submodule, method, args):
    provider = submodule("json.provider").JSONProvider(app)
    with pytest.raises(NotImplementedError):
        getattr(provider, method)(*args)


# --- what it encodes --------------------------------------------------------------------------


@dataclasses.dataclass
class Point:
    x: int
    tags: list


class Html:
    def __html__(self):
        return "<b>safe</b>"


EXTRA_TYPES = [
    (datetime.date(2024, 1, 2), '"Tue, 02 Jan 2024 00:00:00 GMT"'),
    (datetime.datetime(2024, 1, 2, 3, 4, 5), '"Tue, 02 Jan 2024 03:04:05 GMT"'),
    (
        datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        '"Tue, 02 Jan 2024 01:04:05 GMT"',
    ),
    (uuid.UUID("12345678-1234-5678-1234-567812345678"), '"12345678-1234-5678-1234-567812345678"'),
    (decimal.Decimal("1.10"), '"1.10"'),
    (Point(1, ["a"]), '{"tags":["a"],"x":1}'),
    (Markup("<i>m</i>"), '"<i>m</i>"'),
    (Html(), '"<b>safe</b>"'),
]
EXTRA_IDS = ["date", "naive-datetime", "aware-datetime", "uuid", "decimal", "dataclass", "markup", "html-method"]


@spec("json.extra-types")
@pytest.mark.parametrize(("value", "expected"), EXTRA_TYPES, ids=EXTRA_IDS)
def test_provider_encodes_extra_types(flask, app, value, expected, sync):
    with sync.context(app.app_context()):
        assert body(flask.jsonify(value)) == expected + "\n"
        assert app.json.loads(app.json.dumps(value)) == app.json.loads(expected)


@spec("json.unsupported-type")
@pytest.mark.parametrize(
    "value", [{1, 2}, b"bytes", object(), datetime.time(1, 2)], ids=["set", "bytes", "object", "time"]
)
def test_other_types_are_a_type_error(flask, app, value, sync):
    with sync.context(app.app_context()):
        with pytest.raises(TypeError):
            app.json.dumps(value)
        with pytest.raises(TypeError):
            flask.jsonify(value)


# --- flask.json -----------------------------------------------------------------------------------


@spec("json.module-in-app")
def test_module_functions_follow_the_app_provider(flask, app, sync):
    app.json.sort_keys = False
    with sync.context(app.app_context()):
        assert flask.json.dumps({"b": 1, "a": 2}) == '{"b": 1, "a": 2}'
    app.json.sort_keys = True
    with sync.context(app.app_context()):
        assert flask.json.dumps({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'


@spec("json.module-in-app")
def test_module_file_functions_in_an_app(flask, app, sync):
    with sync.context(app.app_context()):
        text = io.StringIO()
        flask.json.dump({"b": datetime.date(2024, 1, 2), "a": 1}, text)
        assert text.getvalue() == '{"a": 1, "b": "Tue, 02 Jan 2024 00:00:00 GMT"}'
        assert flask.json.load(io.StringIO(text.getvalue()))["a"] == 1
        assert flask.json.loads(b'{"x": [1]}') == {"x": [1]}


@spec("json.module-outside-app")
def test_module_functions_outside_an_app(flask):
    assert flask.json.dumps({"b": 1, "a": 2}) == '{"b": 1, "a": 2}'
    assert flask.json.dumps(datetime.date(2024, 1, 2)) == '"Tue, 02 Jan 2024 00:00:00 GMT"'
    assert flask.json.loads('{"a": [1, null]}') == {"a": [1, None]}
    text = io.StringIO()
    flask.json.dump([uuid.UUID(int=1)], text)
    assert text.getvalue() == '["00000000-0000-0000-0000-000000000001"]'
    assert flask.json.load(io.BytesIO(b"[2]")) == [2]


@spec("json.module-outside-app")
def test_module_dumps_outside_an_app_refuses_unknown_types(flask):
    with pytest.raises(TypeError):
        flask.json.dumps({1, 2})


# --- JSON request bodies ------------------------------------------------------------------------------


@pytest.fixture
def json_echo(flask, app, sync):
    """POST /echo answers with what get_json() gave, called with the query's flags."""

    @app.post("/echo")
    def echo():
        flags = {name: True for name in ("force", "silent") if name in flask.request.args}
        return {"value": sync(flask.request.get_json(**flags))}

    @app.post("/property")
    def prop():
        return {"value": sync(flask.request.json)}

    return app


@spec("json.request-get-json")
@pytest.mark.parametrize(
    ("raw", "value"),
    [('{"a": [1, "x"]}', {"a": [1, "x"]}), ("[1, 2]", [1, 2]), ("null", None), ('"s"', "s"), ("1.5", 1.5)],
)
@pytest.mark.parametrize("path", ["/echo", "/property"])
def test_json_bodies_are_parsed(json_echo, client, path, raw, value):
    response = client.post(path, data=raw, content_type="application/json")
    assert (response.status_code, response.get_json()) == (200, {"value": value})


@spec("json.request-json-mimetypes")
@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("application/vnd.api+json", 200),
        ("application/problem+json", 200),
        ("text/json", 415),
        ("application/jsonx", 415),
    ],
)
def test_json_content_types(json_echo, client, content_type, status):
    assert client.post("/echo", data="[1]", content_type=content_type).status_code == status


@spec("json.request-wrong-type")
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
@pytest.mark.parametrize("path", ["/echo", "/property"])
def test_body_not_declared_as_json_is_415(json_echo, client, path, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    assert client.post(path, data='{"a": 1}', **kwargs).status_code == 415


@spec("json.request-malformed")
@pytest.mark.parametrize(
    "raw", ["{bad", "", "[1,]", "{'a': 1}"], ids=["truncated", "empty", "trailing-comma", "quotes"]
)
@pytest.mark.parametrize("path", ["/echo", "/property"])
def test_malformed_json_is_400(json_echo, client, path, raw):
    assert client.post(path, data=raw, content_type="application/json").status_code == 400


@spec("json.request-silent")
@pytest.mark.parametrize(("raw", "content_type"), [('{"a": 1}', "text/plain"), ("{bad", "application/json")])
def test_silent_gives_none(json_echo, client, raw, content_type):
    response = client.post("/echo?silent", data=raw, content_type=content_type)
    assert (response.status_code, response.get_json()) == (200, {"value": None})


@spec("json.request-force")
@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", None])
def test_force_ignores_the_content_type(json_echo, client, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    response = client.post("/echo?force", data='{"a": 1}', **kwargs)
    assert (response.status_code, response.get_json()) == (200, {"value": {"a": 1}})


@spec("json.request-cache")
def test_parsed_json_is_cached(flask, app, sync):
    with sync.context(app.test_request_context("/", method="POST", json={"a": [1]})):
        first = sync(flask.request.get_json())
        assert sync(flask.request.get_json()) is first
        assert sync(flask.request.json) is first
        again = sync(flask.request.get_json(cache=False))
        assert again == first
        assert again is not first


@spec("json.request-data-kept")
def test_body_is_still_readable_after_get_json(flask, app, client, sync):
    @app.post("/")
    def view():
        parsed = sync(flask.request.get_json())
        return {"parsed": parsed, "data": sync(flask.request.data).decode(), "text": sync(flask.request.get_data(as_text=True))}

    response = client.post("/", data='{"k": "v"}', content_type="application/json")
    assert response.get_json() == {"parsed": {"k": "v"}, "data": '{"k": "v"}', "text": '{"k": "v"}'}


# --- JSON response bodies ---------------------------------------------------------------------


@spec("json.response-get-json")
@pytest.mark.parametrize("mimetype", ["application/json", "application/vnd.api+json"])
def test_response_json_decodes_the_body(flask, mimetype):
    response = flask.Response('{"a": [1]}', mimetype=mimetype)
    assert response.json == {"a": [1]}
    assert response.get_json() == {"a": [1]}


@spec("json.response-get-json")
def test_response_json_is_none_for_other_mimetypes_unless_forced(flask):
    response = flask.Response('{"a": 1}', mimetype="text/plain")
    assert response.json is None
    assert response.get_json() is None
    assert response.get_json(force=True) == {"a": 1}


@spec("json.response-get-json")
def test_response_get_json_silent_on_bad_body(flask):
    assert flask.Response("{bad", mimetype="application/json").get_json(silent=True) is None


# --- JSON request errors, in and out of debug mode ---------------------------------------------


@pytest.fixture
def json_error_app(flask, app, sync):
    """POST /catch reports the HTTP exception get_json() raised, as JSON."""

    @app.post("/catch")
    def catch():
        try:
            sync(flask.request.get_json(force="force" in flask.request.args))
        except HTTPException as error:
            return {"type": type(error).__name__, "code": error.code, "description": error.description}
        return {"type": None}

    return app


def _json_error(client, data, content_type, path="/catch"):
    return client.post(path, data=data, content_type=content_type).get_json()


@spec("json.request-error-types", "json.request-malformed")
@pytest.mark.parametrize("debug", [False, True], ids=["normal", "debug"])
@pytest.mark.parametrize("path", ["/catch", "/catch?force"])
def test_malformed_json_raises_bad_request(json_error_app, client, debug, path):
    json_error_app.debug = debug
    seen = _json_error(client, "{bad", "application/json", path)
    assert (seen["type"], seen["code"]) == ("BadRequest", 400)


@spec("json.request-error-types", "json.request-wrong-type")
@pytest.mark.parametrize("debug", [False, True], ids=["normal", "debug"])
def test_a_body_not_declared_as_json_raises_unsupported_media_type(json_error_app, client, debug):
    json_error_app.debug = debug
    seen = _json_error(client, '{"a": 1}', "text/plain")
    assert (seen["type"], seen["code"]) == ("UnsupportedMediaType", 415)
    assert "application/json" in seen["description"]


@spec("json.request-debug-message")
@pytest.mark.parametrize(
    ("debug", "description"),
    [
        (False, BadRequest.description),
        (True, f"Failed to decode JSON object: {_parse_error('{bad')}"),
    ],
    ids=["normal", "debug"],
)
def test_the_parse_error_is_shown_only_in_debug_mode(json_error_app, client, debug, description):
    json_error_app.debug = debug
    assert _json_error(client, "{bad", "application/json")["description"] == description


@spec("json.request-debug-message")
@pytest.mark.parametrize(("debug", "shown"), [(False, False), (True, True)], ids=["normal", "debug"])
def test_the_error_page_shows_the_parse_error_only_in_debug_mode(flask, app, client, debug, shown, sync):
    app.debug = debug
    app.add_url_rule("/", "view", lambda: repr(sync(flask.request.get_json())), methods=["POST"])
    response = client.post("/", data="[1,]", content_type="application/json")
    assert (response.status_code, response.mimetype) == (400, "text/html")
    assert ("Failed to decode JSON object" in response.get_data(as_text=True)) is shown


@spec("json.request-debug-message", "wrappers.on-json-loading-failed")
@pytest.mark.parametrize(
    ("debug", "error", "raised", "description"),
    [
        (False, None, "UnsupportedMediaType", None),
        (True, None, "UnsupportedMediaType", None),
        (False, ValueError("boom"), "BadRequest", BadRequest.description),
        (True, ValueError("boom"), "BadRequest", "Failed to decode JSON object: boom"),
    ],
)
def test_default_on_json_loading_failed_raises(flask, app, debug, error, raised, description):
    app.debug = debug
    with app.test_request_context("/", method="POST", data="{bad", content_type="application/json"):
        with pytest.raises(HTTPException) as caught:
            flask.request.on_json_loading_failed(error)
    assert type(caught.value).__name__ == raised
    if description is not None:
        assert caught.value.description == description


@spec("json.request-silent", "json.request-force")
def test_silent_and_force_together_give_none_for_bad_json(flask, app, sync):
    with app.test_request_context("/", method="POST", data="{bad", content_type="text/plain"):
        assert sync(flask.request.get_json(force=True, silent=True)) is None


@spec("json.request-silent", "json.request-malformed")
def test_a_silent_failure_is_not_cached(flask, app, sync):
    with app.test_request_context("/", method="POST", data="{bad", content_type="application/json"):
        assert sync(flask.request.get_json(silent=True)) is None
        with pytest.raises(BadRequest):
            sync(flask.request.get_json())


# --- JSON response bodies, more ---------------------------------------------------------------


@spec("json.response-get-json")
def test_response_json_is_not_cached(flask):
    response = flask.Response('{"a": 1}', mimetype="application/json")
    assert response.get_json() == {"a": 1}
    response.set_data('{"a": 2}')
    assert (response.get_json(), response.json) == ({"a": 2}, {"a": 2})


@spec("json.response-get-json")
def test_response_get_json_raises_on_a_bad_body_unless_silent(flask):
    response = flask.Response("{bad", mimetype="application/json")
    with pytest.raises(ValueError):
        response.get_json()
    assert response.get_json(silent=True) is None
