"""Routing: registering rules, methods, trailing slashes, converters, hosts and
subdomains, and what the request knows about the match."""

from __future__ import annotations

import uuid

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, RequestRedirect, Rule

from conformance.versions import NOT_APPLICABLE

spec = pytest.mark.spec


def allowed(response):
    """The methods of a response's Allow header, as a set (Flask gives no order)."""
    return {m.strip() for m in response.headers["Allow"].split(",")}


def typed(values):
    """Values with their types, so 0 and 0.0 or '1' and 1 never compare equal."""
    return None if values is None else {k: (type(v), v) for k, v in values.items()}


def body_or_404(response):
    """The text of a 200 response, or None for a 404; any other status fails."""
    assert response.status_code in (200, 404), response.status
    return response.get_data(as_text=True) if response.status_code == 200 else None


def match(app, client, rule, path):
    """The keyword arguments a GET of ``path`` passes to the view of ``rule``; None on 404."""
    seen = []
    app.add_url_rule(rule, "view", lambda **values: seen.append(values) or "matched")
    if body_or_404(client.get(path)) is None:
        assert seen == []  # a refused value never reaches the view
        return None
    return seen[0]


# --- registering rules ------------------------------------------------------


def rule_for(app, path):
    """The one rule of the URL map with this rule string."""
    (rule,) = [r for r in app.url_map.iter_rules() if r.rule == path]
    return rule


def welcome():
    return "welcome"


def view_with(**attributes):
    """A fresh view function carrying the given view-function attributes."""

    def view():
        return "view"

    view.__dict__.update(attributes)
    return view


def refusal(response):
    """Status and allowed methods of a response: (405, {...}) for a refused method."""
    return response.status_code, allowed(response)


@spec("routing.route-decorator")
@pytest.mark.parametrize("path", ["/index", "/home"])
def test_stacked_routes_return_the_function_and_all_reach_it(app, client, path):
    assert app.route("/index")(app.route("/home")(welcome)) is welcome
    assert body_or_404(client.get(path)) == "welcome"


@spec("routing.endpoint-name")
@pytest.mark.parametrize(("options", "endpoint"), [({}, "welcome"), ({"endpoint": "custom"}, "custom")])
def test_endpoint_is_the_function_name_unless_given(app, client, options, endpoint):
    app.route("/w", **options)(welcome)
    assert rule_for(app, "/w").endpoint == endpoint
    assert set(app.view_functions) - {"static"} == {endpoint}
    assert app.view_functions[endpoint] is welcome


@spec("routing.add-url-rule")
def test_add_url_rule_registers_like_route(app, client):
    app.add_url_rule("/w", view_func=welcome)
    assert isinstance(app.url_map, Map)
    assert isinstance(rule_for(app, "/w"), Rule)
    assert app.view_functions["welcome"] is welcome
    assert body_or_404(client.get("/w")) == "welcome"


@spec("routing.endpoint-decorator")
def test_endpoint_decorator_attaches_a_view_to_a_rule(app, client):
    app.add_url_rule("/ex", endpoint="example")
    assert app.endpoint("example")(welcome) is welcome
    assert app.view_functions["example"] is welcome
    assert body_or_404(client.get("/ex")) == "welcome"


@spec("routing.endpoint-conflict")
@pytest.mark.parametrize("register", ["route", "add_url_rule"])
def test_another_function_for_a_taken_endpoint_is_an_assertion_error(app, register):
    app.add_url_rule("/one", "shared", lambda: "one")
    with pytest.raises(AssertionError):
        if register == "route":
            app.route("/two", endpoint="shared")(welcome)
        else:
            app.add_url_rule("/two", "shared", welcome)


@spec("routing.endpoint-conflict")
@pytest.mark.parametrize("path", ["/one", "/two"])
def test_one_function_may_back_several_rules(app, client, path):
    app.add_url_rule("/one", view_func=welcome)
    app.add_url_rule("/two", view_func=welcome)
    assert body_or_404(client.get(path)) == "welcome"


@spec("routing.leading-slash")
@pytest.mark.parametrize("rule", ["noslash", "", "user/<name>"])
@pytest.mark.parametrize("register", ["route", "add_url_rule"])
def test_a_rule_without_a_leading_slash_is_a_value_error(app, register, rule):
    with pytest.raises(ValueError):
        if register == "route":
            app.route(rule)(welcome)
        else:
            app.add_url_rule(rule, "welcome", welcome)
    assert "welcome" not in app.view_functions


@spec("routing.leading-slash")
@pytest.mark.parametrize(
    ("prefix", "rule", "registered"),
    [
        (None, "noslash", None),
        (None, "", None),
        ("/p", "noslash", "/p/noslash"),
        ("/p", "", "/p"),
    ],
)
def test_a_blueprint_prefix_supplies_the_leading_slash(flask, app, prefix, rule, registered):
    bp = flask.Blueprint("bp", __name__, url_prefix=prefix)
    bp.add_url_rule(rule, "view", welcome)
    if registered is None:
        with pytest.raises(ValueError):
            app.register_blueprint(bp)
    else:
        app.register_blueprint(bp)
        assert [r.rule for r in app.url_map.iter_rules() if r.endpoint == "bp.view"] == [registered]


SETUP_CALLS = {
    "route": lambda app: app.route("/late")(lambda: ""),
    "add_url_rule": lambda app: app.add_url_rule("/late", "late", lambda: ""),
    "get": lambda app: app.get("/late")(lambda: ""),
    "post": lambda app: app.post("/late")(lambda: ""),
    "endpoint": lambda app: app.endpoint("late")(lambda: ""),
    "before_request": lambda app: app.before_request(lambda: None),
    "after_request": lambda app: app.after_request(lambda r: r),
    "teardown_request": lambda app: app.teardown_request(lambda e: None),
    "teardown_appcontext": lambda app: app.teardown_appcontext(lambda e: None),
    "context_processor": lambda app: app.context_processor(lambda: {}),
    "url_value_preprocessor": lambda app: app.url_value_preprocessor(lambda e, v: None),
    "url_defaults": lambda app: app.url_defaults(lambda e, v: None),
    "errorhandler": lambda app: app.errorhandler(404)(lambda e: ""),
    "register_error_handler": lambda app: app.register_error_handler(500, lambda e: ""),
}


@spec("routing.setup-finished")
@pytest.mark.parametrize("method", tuple(SETUP_CALLS))
def test_setup_methods_are_refused_after_the_first_request(app, client, method):
    app.add_url_rule("/", "index", lambda: "index")
    SETUP_CALLS[method](app)  # allowed before any request
    assert client.get("/").status_code == 200
    with pytest.raises(AssertionError):
        SETUP_CALLS[method](app)


SHORTCUTS = ("get", "post", "put", "delete", "patch")


@spec("routing.shortcuts")
@pytest.mark.parametrize("shortcut", SHORTCUTS)
def test_shortcut_routes_only_its_method(app, client, shortcut):
    getattr(app, shortcut)("/r")(lambda: "done")
    method = shortcut.upper()
    assert rule_for(app, "/r").methods - {"HEAD", "OPTIONS"} == {method}
    assert client.open("/r", method=method).get_data(as_text=True) == "done"


@spec("routing.shortcuts")
@pytest.mark.parametrize("shortcut", SHORTCUTS)
def test_shortcut_with_methods_is_a_type_error(app, shortcut):
    with pytest.raises(TypeError):
        getattr(app, shortcut)("/r", methods=["GET"])


# --- methods ----------------------------------------------------------------


@pytest.fixture
def calls():
    """A record of the requests that reached a view."""
    return []


@spec("routing.default-methods")
def test_rule_without_methods_accepts_get_head_options(app, client):
    app.add_url_rule("/g", "g", lambda: "got")
    assert rule_for(app, "/g").methods == {"GET", "HEAD", "OPTIONS"}
    assert client.get("/g").get_data(as_text=True) == "got"


@spec("routing.default-methods", "routing.method-not-allowed")
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_rule_without_methods_refuses_other_methods(app, client, calls, method):
    app.add_url_rule("/g", "g", lambda: calls.append(method) or "got")
    assert refusal(client.open("/g", method=method)) == (405, {"GET", "HEAD", "OPTIONS"})
    assert calls == []


@spec("routing.methods")
@pytest.mark.parametrize(("method", "status", "body"), [("GET", 200, "GET"), ("POST", 200, "POST"), ("PUT", 405, None)])
def test_methods_list_opens_the_rule_to_those_methods(flask, app, client, method, status, body):
    app.add_url_rule("/login", "login", lambda: flask.request.method, methods=["GET", "POST"])
    response = client.open("/login", method=method)
    assert response.status_code == status
    assert body is None or response.get_data(as_text=True) == body


@spec("routing.methods-string")
@pytest.mark.parametrize("methods", ["POST", "GET"])
@pytest.mark.parametrize("register", ["route", "add_url_rule"])
def test_methods_as_a_string_is_a_type_error(app, register, methods):
    with pytest.raises(TypeError):
        if register == "route":
            app.route("/s", methods=methods)(lambda: "")
        else:
            app.add_url_rule("/s", "s", lambda: "", methods=methods)


@spec("routing.automatic-head")
def test_head_runs_the_view_and_sends_no_body(flask, app, client, calls):
    app.add_url_rule("/h", "h", lambda: calls.append(flask.request.method) or "hello")
    response = client.head("/h")
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Length"] == "5"
    assert calls == ["HEAD"]


@spec("routing.automatic-head")
def test_head_is_only_added_to_rules_that_accept_get(app, client):
    app.add_url_rule("/p", "p", lambda: "posted", methods=["POST"])
    assert refusal(client.head("/p")) == (405, {"POST", "OPTIONS"})


@spec("routing.automatic-options")
@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        (None, {"GET", "HEAD", "OPTIONS"}),
        (["POST"], {"POST", "OPTIONS"}),
        (["GET", "PUT", "DELETE"], {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
    ],
)
def test_options_is_answered_with_the_allowed_methods(app, client, calls, methods, expected):
    app.add_url_rule("/o", "o", lambda: calls.append("view") or "view", methods=methods)
    response = client.options("/o")
    assert response.status_code == 200
    assert response.get_data() == b""
    assert allowed(response) == expected
    assert calls == []


@spec("routing.automatic-options", "routing.method-not-allowed")
@pytest.mark.parametrize(("method", "status"), [("OPTIONS", 200), ("PUT", 405)])
def test_allow_lists_the_methods_of_every_rule_for_the_url(app, client, method, status):
    app.add_url_rule("/r", "read", lambda: "read")
    app.add_url_rule("/r", "write", lambda: "write", methods=["POST"])
    assert refusal(client.open("/r", method=method)) == (status, {"GET", "HEAD", "POST", "OPTIONS"})


@spec("routing.provide-automatic-options")
@pytest.mark.parametrize("how", ["argument", "route-argument", "attribute"])
def test_automatic_options_can_be_turned_off_per_rule(app, client, how):
    if how == "argument":
        app.add_url_rule("/o", view_func=view_with(), provide_automatic_options=False)
    elif how == "route-argument":
        app.route("/o", provide_automatic_options=False)(view_with())
    else:
        app.add_url_rule("/o", view_func=view_with(provide_automatic_options=False))
    assert refusal(client.options("/o")) == (405, {"GET", "HEAD"})


@spec("routing.provide-automatic-options")
@pytest.mark.parametrize("how", ["argument", "route-argument"])
def test_automatic_options_can_be_turned_off_per_blueprint_rule(flask, app, client, how):
    bp = flask.Blueprint("bp", __name__)
    if how == "argument":
        bp.add_url_rule("/o", view_func=view_with(), provide_automatic_options=False)
    else:
        bp.route("/o", provide_automatic_options=False)(view_with())
    app.register_blueprint(bp)
    assert refusal(client.options("/o")) == (405, {"GET", "HEAD"})


@spec("routing.provide-automatic-options")
def test_misspelled_provide_automatic_methods_attribute_is_ignored(app, client):
    app.add_url_rule("/o", view_func=view_with(provide_automatic_methods=False))
    assert refusal(client.options("/o")) == (200, {"GET", "HEAD", "OPTIONS"})


@spec("routing.provide-automatic-options")
def test_a_view_listing_options_answers_it_itself(flask, app, client):
    app.add_url_rule("/o", "o", lambda: f"own {flask.request.method}", methods=["GET", "OPTIONS"])
    response = client.options("/o")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "own OPTIONS")


@spec("routing.provide-automatic-options")
def test_a_rule_added_to_the_url_map_directly_has_its_view_answer_options(flask, app, client):
    # The automatic answer is decided by add_url_rule; a bare Werkzeug rule never got one.
    app.url_map.add(Rule("/raw", endpoint="raw"))
    app.view_functions["raw"] = lambda: f"raw {flask.request.method}"
    response = client.options("/raw")
    assert (response.status_code, response.get_data(as_text=True), "Allow" in response.headers) == (200, "raw OPTIONS", False)


@spec("routing.provide-automatic-options-config")
def test_provide_automatic_options_config_defaults_to_true(app):
    assert app.config["PROVIDE_AUTOMATIC_OPTIONS"] is True


@spec("routing.provide-automatic-options-config")
def test_provide_automatic_options_config_false_turns_options_off(app, client):
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.add_url_rule("/o", "o", lambda: "view")
    assert refusal(client.options("/o")) == (405, {"GET", "HEAD"})


@spec("routing.view-methods-attribute")
@pytest.mark.parametrize(
    ("given", "method", "status"),
    [(None, "POST", 200), (None, "GET", 405), (["PUT"], "PUT", 200), (["PUT"], "POST", 405)],
)
def test_view_methods_attribute_is_the_default(app, client, given, method, status):
    app.add_url_rule("/v", view_func=view_with(methods=["POST"]), methods=given)
    assert client.open("/v", method=method).status_code == status


@spec("routing.required-methods")
@pytest.mark.parametrize(("given", "accepted"), [(None, {"GET", "POST"}), (["PUT"], {"PUT", "POST"})])
def test_required_methods_are_always_added(app, client, given, accepted):
    app.add_url_rule("/v", view_func=view_with(required_methods=["POST"]), methods=given)
    for method in accepted:
        assert client.open("/v", method=method).status_code == 200
    assert allowed(client.options("/v")) - {"HEAD", "OPTIONS"} == accepted


@spec("routing.no-method-override")
@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/item", {"data": {"_method": "DELETE"}}),
        ("/item?_method=DELETE", {}),
        ("/item", {"headers": {"X-HTTP-Method-Override": "DELETE"}}),
    ],
    ids=["form-field", "query-field", "header"],
)
def test_there_is_no_method_override(flask, app, client, path, kwargs):
    app.add_url_rule("/item", "item", lambda: flask.request.method, methods=["POST", "DELETE"])
    app.add_url_rule("/gone", "gone", lambda: "deleted", methods=["DELETE"])
    assert client.post(path, **kwargs).get_data(as_text=True) == "POST"
    assert client.post(path.replace("/item", "/gone"), **kwargs).status_code == 405


# --- trailing slashes and redirects -----------------------------------------


@spec("routing.slash-redirect")
@pytest.mark.parametrize(
    ("path", "base_url", "location"),
    [
        ("/about", None, "http://localhost/about/"),
        ("/about?x=1&y=2", None, "http://localhost/about/?x=1&y=2"),
        pytest.param("/about", "https://example.org:8443", "https://example.org:8443/about/", marks=pytest.mark.needs("client-environ")),
    ],
)
def test_missing_trailing_slash_redirects_with_308(app, client, path, base_url, location):
    app.add_url_rule("/about/", "about", lambda: "about")
    response = client.get(path, base_url=base_url)
    assert response.status_code == 308
    assert response.headers["Location"] == location


@spec("routing.debug-mode-same-answers")
@pytest.mark.parametrize(
    ("method", "path", "status", "location"),
    [
        ("POST", "/form", 308, "http://localhost/form/"),
        ("PUT", "/form", 308, "http://localhost/form/"),
        ("GET", "/form", 308, "http://localhost/form/"),
        ("POST", "/nowhere", 404, None),
        ("POST", "/read-only/", 405, None),
    ],
)
def test_debug_mode_keeps_routing_answers_for_requests_with_a_body(app, client, method, path, status, location):
    app.debug = True
    app.add_url_rule("/form/", "form", lambda: "form", methods=["GET", "POST", "PUT"])
    app.add_url_rule("/read-only/", "read_only", lambda: "read")
    response = client.open(path, method=method, data={"field": "value"})
    assert (response.status_code, response.headers.get("Location")) == (status, location)


def _form_rule_redirecting_with(app, monkeypatch, code):
    """Debug mode, a /form/ rule, and routing redirects sent with ``code`` instead of
    Werkzeug's 308 (the way Flask's own tests reach the body-dropping case)."""
    app.debug = True
    app.add_url_rule("/form/", "form", lambda: "form", methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"])
    monkeypatch.setattr(RequestRedirect, "code", code)


@spec("routing.debug-body-dropping-redirect")
@pytest.mark.needs("exceptions-reach-caller")
@pytest.mark.parametrize(("method", "code"), [("POST", 301), ("PUT", 302), ("DELETE", 303)])
def test_debug_mode_refuses_a_routing_redirect_that_drops_the_body(app, client, monkeypatch, method, code):
    _form_rule_redirecting_with(app, monkeypatch, code)
    # FormDataRoutingRedirect (flask.debughelpers; its class is pinned by the surface tests).
    with pytest.raises(AssertionError) as caught:
        client.open("/form", method=method, data={"field": "value"})
    assert type(caught.value).__name__ == "FormDataRoutingRedirect"
    assert "http://localhost/form/" in str(caught.value)


@spec("routing.debug-body-dropping-redirect")
@pytest.mark.parametrize(
    ("method", "code", "debug"),
    [
        ("GET", 301, True),
        ("HEAD", 301, True),
        ("OPTIONS", 301, True),
        ("POST", 307, True),
        ("POST", 301, False),
    ],
)
def test_a_routing_redirect_that_keeps_the_body_or_needs_none_is_sent(app, client, monkeypatch, method, code, debug):
    _form_rule_redirecting_with(app, monkeypatch, code)
    app.debug = debug
    response = client.open("/form", method=method, data={"field": "value"} if method == "POST" else None)
    assert (response.status_code, response.headers.get("Location")) == (code, "http://localhost/form/")


@spec("routing.slash-strict")
@pytest.mark.parametrize(
    ("rule", "path", "status"), [("/about/", "/about/", 200), ("/about", "/about", 200), ("/about", "/about/", 404)]
)
def test_trailing_slash_is_part_of_the_rule(app, client, rule, path, status):
    app.add_url_rule(rule, "about", lambda: "about")
    assert client.get(path).status_code == status


@spec("routing.strict-slashes")
@pytest.mark.parametrize("rule", ["/ns", "/ns/"])
@pytest.mark.parametrize("path", ["/ns", "/ns/"])
def test_strict_slashes_false_serves_both_forms(app, client, rule, path):
    app.add_url_rule(rule, "ns", lambda: "ns", strict_slashes=False)
    assert body_or_404(client.get(path)) == "ns"


@spec("routing.redirect-to")
@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/new/<n>", "http://localhost/new/3"),
        (lambda adapter, n: f"/new/{n + 1}", "http://localhost/new/4"),
        ("http://other.example/x", "http://other.example/x"),
    ],
    ids=["template", "callable", "absolute"],
)
def test_redirect_to_answers_with_a_308(app, client, target, location):
    app.add_url_rule("/new/<int:n>", "new", lambda n: f"new {n}")
    app.add_url_rule("/old/<int:n>", "old", redirect_to=target)
    response = client.get("/old/3")
    assert response.status_code == 308
    assert response.headers["Location"] == location


@spec("routing.specificity")
@pytest.mark.parametrize("order", ["generic-first", "specific-first"])
@pytest.mark.parametrize(
    ("path", "endpoint"),
    [("/about", "about"), ("/zz", "name"), ("/5", "number"), ("/f/a/b", "path"), ("/f/a/x", "f-x"), ("/f/s.txt", "f-s")],
)
def test_the_most_specific_rule_wins(app, client, order, path, endpoint):
    rules = [("/<name>", "name"), ("/<int:n>", "number"), ("/about", "about")]
    rules += [("/f/<path:p>", "path"), ("/f/<name>/x", "f-x"), ("/f/s.txt", "f-s")]
    for rule, name in rules if order == "generic-first" else reversed(rules):
        app.add_url_rule(rule, name, lambda _endpoint=name, **values: _endpoint)
    assert client.get(path).get_data(as_text=True) == endpoint


# --- variables and converters -----------------------------------------------


@spec("routing.variables")
@pytest.mark.parametrize(
    ("rule", "path", "values"),
    [
        ("/user/<username>", "/user/janedoe", {"username": "janedoe"}),
        ("/user/<username>", "/user/42", {"username": "42"}),
        ("/category/<cat>/product/<int:prod>", "/category/tools/product/550", {"cat": "tools", "prod": 550}),
    ],
)
def test_variables_are_passed_as_keyword_arguments(app, client, rule, path, values):
    assert typed(match(app, client, rule, path)) == typed(values)


@spec("routing.variable-name-mismatch")
@pytest.mark.needs("exceptions-reach-caller")
def test_parameter_name_mismatch_is_a_type_error(app, client):
    app.add_url_rule("/user/<username>", "user", lambda name: name)
    with pytest.raises(TypeError):
        client.get("/user/jane")


@spec("routing.converter-mismatch")
@pytest.mark.parametrize(
    ("rule", "path"),
    [("/p/<int:n>", "/p/abc"), ("/p/<float:x>", "/p/abc"), ("/p/<uuid:u>", "/p/abc"), ("/p/<any(a, b):c>", "/p/abc")],
)
def test_a_refused_value_is_404_and_the_view_is_not_called(app, client, calls, rule, path):
    app.add_url_rule(rule, "view", lambda **values: calls.append(values) or "view")
    assert client.get(path).status_code == 404
    assert calls == []


@spec("routing.converter-string")
@pytest.mark.parametrize(
    ("rule", "path", "values"),
    [
        ("/s/<s>", "/s/abc", {"s": "abc"}), ("/s/<s>", "/s/a%20b", {"s": "a b"}), ("/s/<s>", "/s/a/b", None),
        ("/s/<string(length=3):s>", "/s/abc", {"s": "abc"}),
        ("/s/<string(length=3):s>", "/s/ab", None), ("/s/<string(length=3):s>", "/s/abcd", None),
        ("/s/<string(minlength=2, maxlength=4):s>", "/s/a", None),
        ("/s/<string(minlength=2, maxlength=4):s>", "/s/ab", {"s": "ab"}),
        ("/s/<string(minlength=2, maxlength=4):s>", "/s/abcd", {"s": "abcd"}),
        ("/s/<string(minlength=2, maxlength=4):s>", "/s/abcde", None),
    ],
)
def test_string_converter(app, client, rule, path, values):
    assert typed(match(app, client, rule, path)) == typed(values)


@spec("routing.converter-int")
@pytest.mark.parametrize(
    ("rule", "path", "values"),
    [
        ("/i/<int:n>", "/i/0", {"n": 0}), ("/i/<int:n>", "/i/42", {"n": 42}),
        ("/i/<int:n>", "/i/-1", None), ("/i/<int:n>", "/i/1.5", None),
        ("/i/<int(min=1, max=10):n>", "/i/0", None), ("/i/<int(min=1, max=10):n>", "/i/1", {"n": 1}),
        ("/i/<int(min=1, max=10):n>", "/i/10", {"n": 10}), ("/i/<int(min=1, max=10):n>", "/i/11", None),
        ("/i/<int(signed=True):n>", "/i/-3", {"n": -3}), ("/i/<int(signed=True):n>", "/i/3", {"n": 3}),
    ],
)
def test_int_converter(app, client, rule, path, values):
    assert typed(match(app, client, rule, path)) == typed(values)


@spec("routing.converter-float")
@pytest.mark.parametrize(
    ("rule", "path", "values"),
    [
        ("/f/<float:x>", "/f/5.5", {"x": 5.5}), ("/f/<float:x>", "/f/5.0", {"x": 5.0}),
        ("/f/<float:x>", "/f/0.0", {"x": 0.0}), ("/f/<float:x>", "/f/5", None), ("/f/<float:x>", "/f/-1.5", None),
        ("/f/<float(signed=True):x>", "/f/-1.5", {"x": -1.5}),
    ],
)
def test_float_converter(app, client, rule, path, values):
    assert typed(match(app, client, rule, path)) == typed(values)


@spec("routing.converter-path")
@pytest.mark.parametrize(
    ("rule", "path", "values"),
    [
        ("/f/<path:p>", "/f/x", {"p": "x"}), ("/f/<path:p>", "/f/a/b/c.txt", {"p": "a/b/c.txt"}),
        ("/f/<path:p>/edit", "/f/a/b/edit", {"p": "a/b"}),
    ],
)
def test_path_converter(app, client, rule, path, values):
    assert typed(match(app, client, rule, path)) == typed(values)


UUID = "12345678-1234-5678-1234-567812345678"


@spec("routing.converter-uuid")
@pytest.mark.parametrize(
    ("path", "values"),
    [(f"/u/{UUID}", {"u": uuid.UUID(UUID)}), (f"/u/{UUID.replace('-', '')}", None), ("/u/not-a-uuid", None)],
)
def test_uuid_converter(app, client, path, values):
    assert typed(match(app, client, "/u/<uuid:u>", path)) == typed(values)


@spec("routing.converter-any")
@pytest.mark.parametrize(("path", "values"), [("/about", {"page": "about"}), ("/help", {"page": "help"}), ("/contact", None)])
def test_any_converter(app, client, path, values):
    assert typed(match(app, client, "/<any(about, help):page>", path)) == typed(values)


class ListConverter(BaseConverter):
    """The comma-separated list converter from the Flask.url_map documentation."""

    def to_python(self, value):
        return value.split(",")

    def to_url(self, values):
        return ",".join(super(ListConverter, self).to_url(v) for v in values)


class TwoLetterConverter(BaseConverter):
    """A converter whose argument picks what it matches: ``<letters(2):code>``."""

    def __init__(self, url_map, count):
        super().__init__(url_map)
        self.regex = f"[a-z]{{{int(count)}}}"


@spec("routing.custom-converter")
def test_custom_converter_matches_with_to_python(app, client):
    app.url_map.converters["list"] = ListConverter
    assert match(app, client, "/l/<list:items>", "/l/a,b,c") == {"items": ["a", "b", "c"]}


@spec("routing.custom-converter")
def test_custom_converter_builds_with_to_url(flask, app, sync):
    app.url_map.converters["list"] = ListConverter
    app.add_url_rule("/l/<list:items>", "items", lambda items: "")
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("items", items=["x", "y z"]) == "/l/x,y%20z"


@spec("routing.custom-converter")
@pytest.mark.parametrize(("path", "values"), [("/c/ab", {"code": "ab"}), ("/c/abc", None), ("/c/a1", None)])
def test_custom_converter_takes_arguments(app, client, path, values):
    app.url_map.converters["letters"] = TwoLetterConverter
    assert match(app, client, "/c/<letters(2):code>", path) == values


# --- hosts and subdomains ---------------------------------------------------


@pytest.fixture
def host_app(make_app, tmp_path):
    """Host matching, with rules on two hosts, a host variable and a static host."""
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "s.txt").write_text("static file")
    app = make_app(host_matching=True, static_host="static.example", root_path=str(tmp_path))
    app.config["TESTING"] = True
    app.add_url_rule("/", "a", lambda: "on a", host="a.example")
    app.add_url_rule("/", "b", lambda: "on b", host="b.example")
    app.add_url_rule("/u/<name>", "u", lambda sub, name: f"{sub}:{name}", host="<sub>.users.example")
    return app


@spec("routing.host-matching")
@pytest.mark.parametrize("host_matching", [True, False])
def test_url_map_mirrors_host_matching(make_app, host_matching):
    app = make_app(host_matching=host_matching, static_folder=None)
    assert app.url_map.host_matching is host_matching


@spec("routing.host-matching")
@pytest.mark.parametrize(
    ("base_url", "path", "body"),
    [("http://a.example", "/", "on a"), ("http://b.example", "/", "on b"), ("http://c.example", "/", None),
     ("http://x.users.example", "/u/j", "x:j")],
)
def test_host_rules_serve_only_their_host(host_app, base_url, path, body, client_for):
    assert body_or_404(client_for(host_app).get(path, base_url=base_url)) == body


@spec("routing.host-matching", "routing.server-name-not-restrictive")
@pytest.mark.parametrize(("base_url", "body"), [("http://a.example", "on a"), ("http://b.example", "on b")])
def test_host_rules_match_the_request_host_even_with_server_name(host_app, base_url, body, client_for, behaviour_at):
    host_app.config["SERVER_NAME"] = "a.example"
    expected = behaviour_at("routing.server-name-not-restrictive", current=body, before={"3.1": NOT_APPLICABLE})
    assert body_or_404(client_for(host_app).get("/", base_url=base_url)) == expected


@spec("routing.host-matching")
def test_url_for_builds_urls_on_other_hosts(flask, host_app, sync):
    with sync.context(host_app.test_request_context(base_url="http://a.example")):
        assert flask.url_for("a") == "/"
        assert flask.url_for("b") == "http://b.example/"
        assert flask.url_for("u", sub="q", name="n") == "http://q.users.example/u/n"


@spec("routing.static-host")
@pytest.mark.parametrize(("base_url", "body"), [("http://static.example", "static file"), ("http://a.example", None)])
def test_static_files_are_served_on_the_static_host(host_app, base_url, body, client_for):
    assert body_or_404(client_for(host_app).get("/static/s.txt", base_url=base_url)) == body


@spec("routing.static-host")
@pytest.mark.parametrize(
    "kwargs",
    [{"host_matching": True}, {"static_host": "static.example"}],
    ids=["host-matching-without-static-host", "static-host-without-host-matching"],
)
def test_static_host_and_host_matching_go_together(make_app, kwargs):
    with pytest.raises(AssertionError):
        make_app(**kwargs)


@spec("routing.static-host")
def test_host_matching_without_a_static_folder_needs_no_static_host(make_app):
    assert make_app(host_matching=True, static_folder=None).url_map.host_matching is True


@pytest.fixture
def subdomain_app(make_app):
    app = make_app(subdomain_matching=True, static_folder=None)
    app.config.update(TESTING=True, SERVER_NAME="example.com")
    app.add_url_rule("/", "root", lambda: "root")
    app.add_url_rule("/", "api", lambda: "api", subdomain="api")
    app.add_url_rule("/u", "user", lambda user: f"user:{user}", subdomain="<user>")
    return app


@spec("routing.subdomain-matching")
@pytest.mark.parametrize(
    ("base_url", "path", "body"),
    [("http://example.com", "/", "root"), ("http://api.example.com", "/", "api"),
     ("http://bob.example.com", "/u", "user:bob"), ("http://www.example.com", "/", None)],
)
def test_subdomain_rules_serve_their_subdomain(subdomain_app, base_url, path, body, client_for):
    assert body_or_404(client_for(subdomain_app).get(path, base_url=base_url)) == body


@spec("routing.subdomain-matching")
@pytest.mark.parametrize(
    ("endpoint", "values", "expected"),
    [("root", {}, "/"), ("api", {}, "http://api.example.com/"), ("user", {"user": "al"}, "http://al.example.com/u")],
)
def test_url_for_builds_subdomain_urls(flask, subdomain_app, endpoint, values, expected, sync):
    with sync.context(subdomain_app.test_request_context(base_url="http://example.com")):
        assert flask.url_for(endpoint, **values) == expected


#: Before 3.1, SERVER_NAME bound the map to its host: the subdomain rule matched
#: and the bare rule did not (spec: routing.subdomain-needs-flag, changed in 3.1).
SUBDOMAIN_BEFORE_3_1 = {("http://api.example.com", "/"): None, ("http://api.example.com", "/api"): "api"}


@spec("routing.subdomain-needs-flag")
@pytest.mark.parametrize(
    ("base_url", "path", "body"),
    [("http://example.com", "/", "root"), ("http://api.example.com", "/", "root"), ("http://api.example.com", "/api", None)],
)
def test_server_name_alone_does_not_enable_subdomains(app, client, base_url, path, body, behaviour_at):
    app.config["SERVER_NAME"] = "example.com"
    app.add_url_rule("/", "root", lambda: "root")
    app.add_url_rule("/api", "api", lambda: "api", subdomain="api")
    expected = behaviour_at(
        "routing.subdomain-needs-flag", current=body, before={"3.1": SUBDOMAIN_BEFORE_3_1.get((base_url, path), body)}
    )
    assert body_or_404(client.get(path, base_url=base_url)) == expected


@spec("routing.subdomain-needs-flag")
@pytest.mark.parametrize("base_url", ["http://example.com", "http://www.example.com", "http://api.example.com"])
def test_without_subdomain_matching_every_host_gets_the_default_subdomains_rules(app, client, base_url):
    app.config["SERVER_NAME"] = "example.com"
    app.url_map.default_subdomain = "www"  # the subdomain of every rule that names none
    app.add_url_rule("/", "root", lambda: "root")
    assert body_or_404(client.get("/", base_url=base_url)) == "root"


@spec("routing.server-name-not-restrictive")
@pytest.mark.parametrize("base_url", ["http://example.com", "http://other.org", "http://api.example.com"])
def test_server_name_does_not_restrict_hosts(flask, app, client, base_url, behaviour_at):
    app.config["SERVER_NAME"] = "example.com"
    app.add_url_rule("/", "root", lambda: f"host {flask.request.host}")
    host = base_url.removeprefix("http://")
    # Before 3.1 every host but SERVER_NAME's was 404.
    old = f"host {host}" if host == "example.com" else None
    expected = behaviour_at("routing.server-name-not-restrictive", current=f"host {host}", before={"3.1": old})
    assert body_or_404(client.get("/", base_url=base_url)) == expected


@spec("routing.server-name-not-restrictive", "wrappers.trusted-hosts")
@pytest.mark.parametrize(("base_url", "status"), [("http://example.com", 200), ("http://other.org", 400)])
def test_trusted_hosts_restricts_hosts(app, client, base_url, status):
    app.config.update(SERVER_NAME="example.com", TRUSTED_HOSTS=["example.com"])
    app.add_url_rule("/", "root", lambda: "root")
    assert client.get("/", base_url=base_url).status_code == status


# --- the match, seen from the request ---------------------------------------


@spec("routing.request-match")
def test_request_describes_the_matched_rule(flask, app, client):
    seen = []

    @app.route("/item/<int:n>/<name>", methods=["GET", "POST"])
    def item(n, name):
        seen.append((flask.request.url_rule, flask.request.view_args, flask.request.endpoint))
        return "item"

    client.get("/item/3/x")
    ((rule, view_args, endpoint),) = seen
    assert isinstance(rule, Rule)
    assert (rule.rule, rule.methods) == ("/item/<int:n>/<name>", {"GET", "HEAD", "OPTIONS", "POST"})
    assert (view_args, endpoint) == ({"n": 3, "name": "x"}, "item")


@spec("routing.request-match")
@pytest.mark.parametrize(("method", "path", "error"), [("GET", "/nowhere", NotFound), ("PUT", "/item", MethodNotAllowed)])
def test_failed_match_leaves_rule_args_and_endpoint_none(flask, app, client, method, path, error):
    seen = []

    @app.before_request
    def record():
        req = flask.request
        seen.append((req.url_rule, req.view_args, req.endpoint, type(req.routing_exception)))

    app.add_url_rule("/item", "item", lambda: "item")
    client.open(path, method=method)
    assert seen == [(None, None, None, error)]


@spec("routing.request-match")
def test_method_not_allowed_error_lists_the_valid_methods(flask, app, client):
    seen = []

    @app.errorhandler(405)
    def record(e):
        seen.append(set(flask.request.routing_exception.valid_methods))
        return "refused", 405

    app.add_url_rule("/item", "item", lambda: "item")
    client.put("/item")
    assert seen == [{"GET", "HEAD", "OPTIONS"}]
