"""URL building: ``flask.url_for`` and ``Flask.url_for``."""

from __future__ import annotations

import pytest
from werkzeug.routing import BuildError

spec = pytest.mark.spec


@pytest.fixture
def user_app(app):
    """An app with a rule that has one variable part and one with a path converter."""
    app.add_url_rule("/user/<name>", endpoint="user")
    app.add_url_rule("/files/<path:subpath>", endpoint="files")
    return app


@spec("url-for.rule-values")
@pytest.mark.parametrize(
    ("endpoint", "values", "expected"),
    [
        ("user", {"name": "john"}, "/user/john"),
        ("files", {"subpath": "a/b.txt"}, "/files/a/b.txt"),
    ],
)
def test_values_fill_the_rule(flask, user_app, endpoint, values, expected, sync):
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for(endpoint, **values) == expected


@spec("url-for.query-args")
@pytest.mark.parametrize(
    ("extra", "query"),
    [
        ({"page": 2}, "page=2"),
        ({"q": "x", "sort": "asc"}, "q=x&sort=asc"),
        ({"flag": True, "zero": 0, "ratio": 1.5}, "flag=True&zero=0&ratio=1.5"),
    ],
)
def test_unknown_keys_go_to_the_query_string(flask, user_app, extra, query, sync):
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for("user", name="john", **extra) == f"/user/john?{query}"


@spec("url-for.none-dropped")
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"page": None}, "/user/john"),
        ({"page": None, "q": "x"}, "/user/john?q=x"),
    ],
)
def test_none_values_are_dropped(flask, user_app, extra, expected, sync):
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for("user", name="john", **extra) == expected


@spec("url-for.list-values")
@pytest.mark.parametrize(
    ("value", "query"),
    [
        (["a", "b"], "tag=a&tag=b"),
        (["b", "a", "b"], "tag=b&tag=a&tag=b"),
        ([1, "x"], "tag=1&tag=x"),
    ],
)
def test_list_values_repeat_the_key(flask, user_app, value, query, sync):
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for("user", name="j", tag=value) == f"/user/j?{query}"


@spec("url-for.escaping")
@pytest.mark.parametrize(
    ("endpoint", "values", "expected"),
    [
        ("user", {"name": "a b"}, "/user/a%20b"),
        ("user", {"name": "ü"}, "/user/%C3%BC"),
        ("user", {"name": "a?b#c&d"}, "/user/a%3Fb%23c&d"),
        ("user", {"name": "a/b"}, "/user/a/b"),
        ("user", {"name": "a%2Fb"}, "/user/a%252Fb"),
        ("files", {"subpath": "a b/ü"}, "/files/a%20b/%C3%BC"),
        ("user", {"name": "j", "q": "ü &="}, "/user/j?q=%C3%BC+%26%3D"),
    ],
)
def test_special_characters_are_percent_encoded(flask, user_app, endpoint, values, expected, sync):
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for(endpoint, **values) == expected


@spec("url-for.anchor")
@pytest.mark.parametrize(
    ("anchor", "fragment"),
    [
        ("bio", "bio"),
        ("a b", "a%20b"),
        ("x/y?z=1&w", "x/y?z=1&w"),
        ("ü", "%C3%BC"),
        ('<"q">', "%3C%22q%22%3E"),
    ],
)
def test_anchor_appends_an_encoded_fragment(flask, user_app, anchor, fragment, sync):
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for("user", name="john", _anchor=anchor) == f"/user/john#{fragment}"


@spec("url-for.anchor", "url-for.query-args")
def test_anchor_comes_after_the_query_string(flask, user_app, sync):
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for("user", name="j", page=2, _anchor="top") == "/user/j?page=2#top"


@pytest.fixture
def method_app(app):
    """One endpoint, a different rule per method."""
    app.add_url_rule("/read", endpoint="thing", methods=["GET"])
    app.add_url_rule("/write", endpoint="thing", methods=["POST"])
    return app


@spec("url-for.method")
@pytest.mark.parametrize(
    ("method", "expected"),
    [("GET", "/read"), ("POST", "/write")],
)
def test_method_selects_the_rule_for_that_method(flask, method_app, method, expected, sync):
    with sync.context(method_app.test_request_context("/")):
        assert flask.url_for("thing", _method=method) == expected


@spec("url-for.method", "url-for.build-error")
def test_method_without_a_rule_is_a_build_error(flask, method_app, sync):
    with sync.context(method_app.test_request_context("/")):
        with pytest.raises(BuildError):
            flask.url_for("thing", _method="PUT")


@spec("url-for.relative-in-request")
@pytest.mark.parametrize(
    ("request_kwargs", "external", "expected"),
    [
        ({}, None, "/user/j"),
        ({}, False, "/user/j"),
        ({}, True, "http://localhost/user/j"),
        ({"base_url": "https://example.org:8443"}, True, "https://example.org:8443/user/j"),
        ({"base_url": "http://example.org/root/"}, None, "/root/user/j"),
        ({"base_url": "http://example.org/root/"}, True, "http://example.org/root/user/j"),
    ],
)
def test_urls_in_a_request_are_relative_unless_external(flask, user_app, request_kwargs, external, expected, sync):
    with sync.context(user_app.test_request_context(**request_kwargs)):
        assert flask.url_for("user", name="j", _external=external) == expected


@pytest.fixture
def server_app(user_app):
    user_app.config.update(SERVER_NAME="example.com", APPLICATION_ROOT="/prefix", PREFERRED_URL_SCHEME="https")
    return user_app


@spec("url-for.external-outside-request")
@pytest.mark.parametrize(
    ("external", "expected"),
    [
        (None, "https://example.com/prefix/user/j"),
        (True, "https://example.com/prefix/user/j"),
        (False, "/prefix/user/j"),
    ],
)
def test_urls_outside_a_request_are_external_by_default(flask, server_app, external, expected, sync):
    with sync.context(server_app.app_context()):
        assert flask.url_for("user", name="j", _external=external) == expected


@spec("url-for.external-outside-request")
@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"SERVER_NAME": "example.com"}, "http://example.com/user/j"),
        ({"SERVER_NAME": "example.com:8080"}, "http://example.com:8080/user/j"),
        ({"SERVER_NAME": "example.com", "PREFERRED_URL_SCHEME": "https"}, "https://example.com/user/j"),
        ({"SERVER_NAME": "example.com", "APPLICATION_ROOT": "/app"}, "http://example.com/app/user/j"),
    ],
)
def test_server_name_settings_shape_urls_outside_a_request(flask, user_app, config, expected, sync):
    user_app.config.update(config)
    with sync.context(user_app.app_context()):
        assert flask.url_for("user", name="j") == expected


@spec("url-for.server-name-in-request")
@pytest.mark.parametrize(
    ("base_url", "external", "expected"),
    [
        ("http://example.com/", True, "http://example.com/user/j"),
        ("http://other.org/", True, "http://example.com/user/j"),
        ("http://example.com:8080/", True, "http://example.com/user/j"),
        ("http://example.com/", None, "/user/j"),
        ("https://example.com/", True, "https://example.com/user/j"),
        ("http://example.com/mount/", True, "http://example.com/mount/user/j"),
        ("http://example.com/mount/", None, "/mount/user/j"),
    ],
)
def test_in_a_request_only_server_name_shapes_external_urls(flask, server_app, base_url, external, expected, sync):
    # server_app sets PREFERRED_URL_SCHEME=https and APPLICATION_ROOT=/prefix: a
    # request's own scheme and script root win over both.
    with sync.context(server_app.test_request_context(base_url=base_url)):
        assert flask.url_for("user", name="j", _external=external) == expected


@spec("url-for.dot-needs-request")
@pytest.mark.parametrize("endpoint", [".user", ".bp.page"])
def test_a_leading_dot_without_a_request_is_a_build_error(flask, server_app, endpoint, sync):
    bp = flask.Blueprint("bp", __name__)
    bp.add_url_rule("/page", endpoint="page")
    server_app.register_blueprint(bp)
    with sync.context(server_app.app_context()):
        with pytest.raises(BuildError):
            flask.url_for(endpoint, name="j")


@spec("url-for.app-method-without-context")
@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"SERVER_NAME": "example.com", "APPLICATION_ROOT": "/prefix", "PREFERRED_URL_SCHEME": "https"},
         "https://example.com/prefix/user/j"),
        ({"SERVER_NAME": "example.com:8080"}, "http://example.com:8080/user/j"),
        ({}, RuntimeError),
    ],
)
def test_app_url_for_needs_no_context(user_app, config, expected):
    user_app.config.update(config)
    if expected is RuntimeError:
        with pytest.raises(RuntimeError):
            user_app.url_for("user", name="j")
    else:
        assert user_app.url_for("user", name="j") == expected


@spec("url-for.rule-defaults")
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, "/page/"),
        ({"n": 1}, "/page/"),
        ({"n": 2}, "/page/2"),
        ({"n": 1, "q": "x"}, "/page/?q=x"),
    ],
)
def test_a_rule_with_defaults_builds_the_short_url(flask, app, values, expected, sync):
    app.add_url_rule("/page/", endpoint="page", defaults={"n": 1})
    app.add_url_rule("/page/<int:n>", endpoint="page")
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("page", **values) == expected


@spec("url-for.self-value")
@pytest.mark.parametrize("via", ["function", "method"])
@pytest.mark.parametrize(
    ("values", "expected"),
    [({"self": "me"}, "/s/me"), ({"self": "me", "q": 1}, "/s/me?q=1")],
)
def test_a_value_named_self_is_accepted(flask, app, via, values, expected, sync):
    app.add_url_rule("/s/<self>", endpoint="s")
    with sync.context(app.test_request_context("/")):
        build = flask.url_for if via == "function" else app.url_for
        assert build("s", **values) == expected


@spec("url-for.external-outside-request")
def test_app_url_for_works_in_a_bare_app_context(server_app, sync):
    with sync.context(server_app.app_context()):
        assert server_app.url_for("user", name="j") == "https://example.com/prefix/user/j"


@spec("url-for.requires-server-name")
def test_building_without_request_or_server_name_is_a_runtime_error(flask, user_app, sync):
    with sync.context(user_app.app_context()):
        with pytest.raises(RuntimeError):
            flask.url_for("user", name="j")


@spec("url-for.requires-context")
def test_url_for_outside_any_context_is_a_runtime_error(flask, user_app):
    with pytest.raises(RuntimeError):
        flask.url_for("user", name="j")


@spec("url-for.scheme")
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"_scheme": "https"}, "https://localhost/user/j"),
        ({"_scheme": "https", "_external": True}, "https://localhost/user/j"),
        ({"_scheme": "http", "_external": True}, "http://localhost/user/j"),
        ({"_scheme": ""}, "//localhost/user/j"),
    ],
)
def test_scheme_sets_the_scheme_of_an_external_url(flask, user_app, kwargs, expected, sync):
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for("user", name="j", **kwargs) == expected


@spec("url-for.scheme")
def test_scheme_applies_outside_a_request(flask, server_app, sync):
    with sync.context(server_app.app_context()):
        assert flask.url_for("user", name="j", _scheme="http") == "http://example.com/prefix/user/j"


@spec("url-for.scheme-not-internal")
@pytest.mark.parametrize("context", ["request", "app"])
@pytest.mark.needs("sync-contexts")
def test_scheme_with_external_false_is_a_value_error(flask, server_app, context):
    ctx = server_app.test_request_context() if context == "request" else server_app.app_context()
    with ctx:
        with pytest.raises(ValueError):
            flask.url_for("user", name="j", _scheme="https", _external=False)


@spec("url-for.build-error")
@pytest.mark.parametrize(
    ("endpoint", "values"),
    [
        ("nowhere", {}),
        ("user", {}),
        ("user", {"nome": "typo"}),
    ],
)
def test_unbuildable_urls_raise_build_error(flask, user_app, endpoint, values, sync):
    with sync.context(user_app.test_request_context("/")):
        with pytest.raises(BuildError):
            flask.url_for(endpoint, **values)


@spec("url-for.build-error")
def test_build_error_is_a_lookup_error(flask, user_app, sync):
    with sync.context(user_app.test_request_context("/")):
        with pytest.raises(LookupError):
            flask.url_for("nowhere")


@spec("url-for.build-error-handlers")
def test_build_error_handlers_get_error_endpoint_and_values(flask, user_app, sync):
    calls = []

    def handler(error, endpoint, values):
        calls.append((type(error), endpoint, values.get("page")))
        return "/elsewhere"

    user_app.url_build_error_handlers.append(handler)
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for("nowhere", page=3) == "/elsewhere"
    assert calls == [(BuildError, "nowhere", 3)]


@spec("url-for.build-error-handlers")
@pytest.mark.parametrize("answer", [None, "/found"], ids=["none-answers", "a-handler-answers"])
def test_handle_url_build_error_called_directly(user_app, answer, sync):
    user_app.url_build_error_handlers.append(lambda error, endpoint, values: answer)
    error = BuildError("nowhere", {}, None)
    with sync.context(user_app.test_request_context("/")):
        if answer is None:
            with pytest.raises(BuildError) as raised:
                user_app.handle_url_build_error(error, "nowhere", {})
            assert raised.value is error
        else:
            assert user_app.handle_url_build_error(error, "nowhere", {}) == answer


@spec("url-for.build-error-handler-values")
@pytest.mark.parametrize(
    ("context", "kwargs", "expected"),
    [
        ("request", {}, {"page": 3, "_anchor": None, "_method": None, "_scheme": None, "_external": False}),
        ("request", {"_anchor": "a", "_method": "GET", "_scheme": "https", "_external": True},
         {"page": 3, "_anchor": "a", "_method": "GET", "_scheme": "https", "_external": True}),
        ("request", {"_scheme": "https"},
         {"page": 3, "_anchor": None, "_method": None, "_scheme": "https", "_external": True}),
        ("request", {"_external": True},
         {"page": 3, "_anchor": None, "_method": None, "_scheme": None, "_external": True}),
        ("app", {}, {"page": 3, "_anchor": None, "_method": None, "_scheme": None, "_external": True}),
        ("app", {"_external": False},
         {"page": 3, "_anchor": None, "_method": None, "_scheme": None, "_external": False}),
    ],
)
@pytest.mark.needs("sync-contexts")
def test_build_error_handlers_get_the_special_arguments(flask, server_app, context, kwargs, expected):
    seen = []
    server_app.url_build_error_handlers.append(lambda error, endpoint, values: seen.append(dict(values)) or "/x")
    ctx = server_app.test_request_context() if context == "request" else server_app.app_context()
    with ctx:
        assert flask.url_for("nowhere", page=3, **kwargs) == "/x"
    assert seen == [expected]


@spec("url-for.build-error-handlers")
@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([None, "/second"], "/second"),
        (["/first", "/second"], "/first"),
        ([BuildError, "/second"], "/second"),
    ],
)
def test_first_handler_with_a_value_wins(flask, user_app, results, expected, sync):
    def make(result):
        def handler(error, endpoint, values):
            if result is BuildError:
                raise error
            return result

        return handler

    user_app.url_build_error_handlers.extend(make(r) for r in results)
    with sync.context(user_app.test_request_context("/")):
        assert flask.url_for("nowhere") == expected


@spec("url-for.build-error-handlers")
@pytest.mark.parametrize("handlers", [0, 1, 2])
def test_build_error_propagates_when_no_handler_gives_a_value(flask, user_app, handlers, sync):
    user_app.url_build_error_handlers.extend(lambda e, ep, v: None for _ in range(handlers))
    with sync.context(user_app.test_request_context("/")):
        with pytest.raises(BuildError):
            flask.url_for("nowhere")


@spec("url-for.build-error-handlers")
@pytest.mark.parametrize("answer", [None, "/second"], ids=["none-answers", "second-answers"])
def test_a_build_error_a_handler_raises_replaces_the_original(flask, user_app, answer, sync):
    replacement = BuildError("replacement", {}, None)
    seen = []

    def first(error, endpoint, values):
        raise replacement

    def second(error, endpoint, values):
        seen.append(error)
        return answer

    user_app.url_build_error_handlers.extend([first, second])
    with sync.context(user_app.test_request_context("/")):
        if answer is None:
            with pytest.raises(BuildError) as raised:
                flask.url_for("nowhere")
            assert raised.value is replacement
        else:
            assert flask.url_for("nowhere") == answer
    assert seen == [replacement]


@spec("url-for.build-error-handlers")
def test_handle_url_build_error_is_what_url_for_calls(flask, make_app, sync):
    class App(flask.Flask):
        def handle_url_build_error(self, error, endpoint, values):
            return f"/handled/{endpoint}"

    app = App(__name__)
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("nowhere") == "/handled/nowhere"


@pytest.fixture
def lang_app(flask, app):
    """The documented i18n pattern: a language code carried in every URL."""

    @app.url_defaults
    def add_language(endpoint, values):
        values.setdefault("lang", "en")

    @app.url_value_preprocessor
    def pull_language(endpoint, values):
        flask.g.lang = values.pop("lang")

    @app.route("/<lang>/about")
    def about():
        return f"about in {flask.g.lang}"

    return app


@spec("url-for.url-defaults")
@pytest.mark.parametrize(
    ("values", "expected"),
    [({}, "/en/about"), ({"lang": "de"}, "/de/about")],
)
def test_url_defaults_fill_in_values(flask, lang_app, values, expected, sync):
    with sync.context(lang_app.test_request_context("/")):
        assert flask.url_for("about", **values) == expected


@spec("url-for.url-defaults")
def test_url_defaults_get_the_endpoint_and_a_mutable_dict(flask, app, sync):
    seen = []

    @app.url_defaults
    def record(endpoint, values):
        seen.append((endpoint, dict(values)))
        values["page"] = 1

    app.add_url_rule("/list", endpoint="listing")
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("listing", sort="asc") == "/list?sort=asc&page=1"
    assert seen == [("listing", {"sort": "asc"})]


@spec("url-for.url-value-preprocessor")
def test_url_value_preprocessor_pops_values_before_the_view(lang_app, client):
    response = client.get("/fr/about")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "about in fr"


@spec("url-for.url-value-preprocessor")
def test_url_value_preprocessor_runs_before_before_request(flask, app, client):
    order = []

    @app.before_request
    def before():
        order.append(("before_request", dict(flask.request.view_args)))

    @app.url_value_preprocessor
    def preprocess(endpoint, values):
        order.append(("preprocessor", endpoint, dict(values)))
        values.pop("item")

    @app.route("/items/<int:item>")
    def show():
        return "ok"

    assert client.get("/items/7").status_code == 200
    assert order == [("preprocessor", "show", {"item": 7}), ("before_request", {})]


@spec("url-for.app-method")
@pytest.mark.parametrize("context", ["request", "app"])
@pytest.mark.needs("sync-contexts")
def test_url_for_calls_the_app_method(flask, context):
    class App(flask.Flask):
        def url_for(self, endpoint, **values):
            return f"custom:{endpoint}:{sorted(values)}"

    app = App(__name__)
    app.config["SERVER_NAME"] = "example.com"
    ctx = app.test_request_context() if context == "request" else app.app_context()
    with ctx:
        assert flask.url_for("x", a=1).startswith("custom:x:")
