"""Blueprints: deferred registration, URL prefixes and subdomains, nesting, names,
record callbacks and setup state, and what a blueprint registers app-wide.

Blueprint request hooks are tested in test_hooks.py and blueprint error handlers in
test_errors.py; these tests are about what registering a blueprint does.
"""

from __future__ import annotations

import os

import click
import pytest

spec = pytest.mark.spec


def rules(app):
    """(rule, endpoint) of every rule except the application's static route, sorted."""
    return sorted((r.rule, r.endpoint) for r in app.url_map.iter_rules() if r.endpoint != "static")


def body(client, path, **kwargs):
    """Status and text of a GET, closing the response (static files hold a file open)."""
    response = client.get(path, **kwargs)
    try:
        return response.status_code, response.get_data(as_text=True)
    finally:
        response.close()


def view(text="ok"):
    """A view function that answers ``text`` whatever view arguments it gets."""

    def show(**kwargs):
        return text

    return show


# --- deferred registration and endpoint names ------------------------------------


@spec("blueprints.deferred")
def test_blueprint_routes_reach_the_app_only_on_registration(flask, app, client):
    bp = flask.Blueprint("bp", __name__)
    bp.add_url_rule("/x", "x", view("from bp"))
    assert rules(app) == []
    app.register_blueprint(bp)
    assert rules(app) == [("/x", "bp.x")]
    assert body(client, "/x") == (200, "from bp")


ADD_ROUTE = {
    "route": lambda bp, f: bp.route("/x")(f),
    "get": lambda bp, f: bp.get("/x")(f),
    "add_url_rule": lambda bp, f: bp.add_url_rule("/x", view_func=f),
    "add_url_rule-endpoint": lambda bp, f: bp.add_url_rule("/x", "show", f),
}


@spec("blueprints.endpoint-prefix")
@pytest.mark.parametrize("how", list(ADD_ROUTE))
def test_blueprint_endpoints_get_the_blueprint_name(flask, app, how, sync):
    bp = flask.Blueprint("admin", __name__)

    def show():
        return "ok"

    ADD_ROUTE[how](bp, show)
    app.register_blueprint(bp)
    assert rules(app) == [("/x", "admin.show")]
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("admin.show") == "/x"


@spec("blueprints.endpoint-decorator")
def test_blueprint_endpoint_decorator_names_an_app_endpoint_as_given(flask, app, client):
    app.url_map.add(app.url_rule_class("/x", endpoint="show"))
    bp = flask.Blueprint("admin", __name__)
    bp.endpoint("show")(view("from bp"))
    assert "show" not in app.view_functions  # not before registration
    app.register_blueprint(bp, url_prefix="/admin")
    assert rules(app) == [("/x", "show")]
    assert body(client, "/x") == (200, "from bp")


# --- URL prefix, subdomain, url_defaults -------------------------------------------


@spec("blueprints.url-prefix")
@pytest.mark.parametrize(
    ("prefix", "rule", "expected"),
    [
        ("/a", "/x", "/a/x"), ("/a/", "/x", "/a/x"), ("/a", "x", "/a/x"), ("/a/", "x", "/a/x"),
        ("/a", "/", "/a/"), ("/a", "", "/a"), ("/a/b", "/x/<int:n>", "/a/b/x/<int:n>"),
        ("/aX/", "/Xy", "/aX/Xy"), ("/a//", "//x", "/a/x"),
    ],
)
def test_url_prefix_is_joined_with_one_slash(flask, app, prefix, rule, expected):
    bp = flask.Blueprint("bp", __name__, url_prefix=prefix)
    bp.add_url_rule(rule, "v", view())
    app.register_blueprint(bp)
    assert rules(app) == [(expected, "bp.v")]


@spec("blueprints.url-prefix-at-registration")
@pytest.mark.parametrize(
    ("own", "given", "expected"),
    [("/a", "/b", "/b/x"), (None, "/b", "/b/x"), ("/a/", "/b/", "/b/x"), ("/a", "", "/x"), ("/a", None, "/a/x")],
)
def test_registration_url_prefix_replaces_the_blueprints(flask, app, client, own, given, expected):
    bp = flask.Blueprint("bp", __name__, url_prefix=own)
    bp.add_url_rule("/x", "v", view())
    app.register_blueprint(bp, url_prefix=given)
    assert rules(app) == [(expected, "bp.v")]
    assert body(client, expected) == (200, "ok")


@pytest.fixture
def sub_app(make_app):
    """An app that matches subdomains of example.com."""
    application = make_app(subdomain_matching=True)
    application.config.update(TESTING=True, SERVER_NAME="example.com")
    return application


@spec("blueprints.subdomain")
@pytest.mark.parametrize(
    ("own", "given", "host"),
    [
        ({"subdomain": "api"}, {}, "api.example.com"),
        ({"subdomain": "api"}, {"subdomain": "v2"}, "v2.example.com"),
        ({}, {"subdomain": "v2"}, "v2.example.com"),
        ({"subdomain": "api"}, {"subdomain": None}, "api.example.com"),
    ],
)
def test_subdomain_restricts_the_blueprints_rules(flask, sub_app, own, given, host, client_for):
    bp = flask.Blueprint("bp", __name__, **own)
    bp.add_url_rule("/x", "v", view("sub"))
    sub_app.register_blueprint(bp, **given)
    client = client_for(sub_app)
    assert body(client, "/x", base_url=f"http://{host}") == (200, "sub")
    assert body(client, "/x", base_url="http://example.com")[0] == 404


@spec("blueprints.url-defaults")
def test_constructor_url_defaults_become_view_arguments(flask, app, client):
    bp = flask.Blueprint("bp", __name__, url_prefix="/bp", url_defaults={"lang": "en"})

    @bp.route("/x")
    def show(lang):
        return lang

    app.register_blueprint(bp)
    assert body(client, "/bp/x") == (200, "en")


@spec("blueprints.url-defaults")
@pytest.mark.parametrize(
    ("own", "given", "rule_defaults", "expected"),
    [
        ({"lang": "en", "page": 1}, {"lang": "de"}, None, "de 1"),
        ({"lang": "en"}, {"page": 2}, None, "en 2"),
        ({"lang": "en", "page": 1}, {}, {"page": 3}, "en 3"),
        ({"lang": "en", "page": 1}, {"page": 2}, {"page": 3}, "en 3"),
    ],
)
def test_registration_url_defaults_merge_and_rule_defaults_win(flask, app, client, own, given, rule_defaults, expected):
    bp = flask.Blueprint("bp", __name__, url_defaults=own)
    options = {} if rule_defaults is None else {"defaults": rule_defaults}
    bp.add_url_rule("/x", "v", lambda lang, page: f"{lang} {page}", **options)
    app.register_blueprint(bp, url_defaults=given)
    assert body(client, "/x") == (200, expected)


# --- static files and folders -----------------------------------------------------


@pytest.fixture
def bp_root(tmp_path):
    """A blueprint folder with ``static/a.txt``."""
    (tmp_path / "bp" / "static").mkdir(parents=True)
    (tmp_path / "bp" / "static" / "a.txt").write_text("bp file")
    return str(tmp_path / "bp")


@spec("blueprints.static-route")
@pytest.mark.parametrize(
    ("own", "given", "url"),
    [
        ({"url_prefix": "/admin"}, {}, "/admin/static/a.txt"),
        ({"url_prefix": "/admin", "static_url_path": "/assets"}, {}, "/admin/assets/a.txt"),
        ({"url_prefix": "/admin"}, {"url_prefix": "/back"}, "/back/static/a.txt"),
    ],
)
def test_blueprint_static_files_are_served_under_its_prefix(flask, app, client, bp_root, own, given, url, sync):
    bp = flask.Blueprint("admin", __name__, static_folder="static", root_path=bp_root, **own)
    app.register_blueprint(bp, **given)
    assert body(client, url) == (200, "bp file")
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("admin.static", filename="a.txt") == url


@spec("blueprints.static-shadowed")
def test_without_prefix_the_app_static_route_wins(flask, make_app, tmp_path, bp_root, client_for, sync):
    (tmp_path / "app" / "static").mkdir(parents=True)
    (tmp_path / "app" / "static" / "a.txt").write_text("app file")
    app = make_app(root_path=str(tmp_path / "app"))
    app.register_blueprint(flask.Blueprint("admin", __name__, static_folder="static", root_path=bp_root))
    assert body(client_for(app), "/static/a.txt") == (200, "app file")
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("admin.static", filename="a.txt") == "/static/a.txt"


@spec("blueprints.folders")
def test_blueprint_has_no_folders_by_default(flask):
    bp = flask.Blueprint("bp", __name__)
    assert (bp.static_folder, bp.static_url_path, bp.template_folder) == (None, None, None)
    assert bp.has_static_folder is False


@spec("blueprints.folders")
@pytest.mark.parametrize(
    ("kwargs", "url_path"),
    [
        ({"static_folder": "files"}, "/files"),
        ({"static_folder": "files/"}, "/files"),
        ({"static_folder": "files", "static_url_path": "/assets"}, "/assets"),
    ],
)
def test_static_folder_is_absolute_and_url_path_follows_it(flask, tmp_path, kwargs, url_path):
    bp = flask.Blueprint("bp", __name__, root_path=str(tmp_path), **kwargs)
    assert bp.static_folder == os.path.join(str(tmp_path), "files")
    assert bp.static_url_path == url_path


@spec("blueprints.folders")
def test_template_folder_is_kept_as_given(flask):
    assert flask.Blueprint("bp", __name__, template_folder="templates").template_folder == "templates"


# --- nesting --------------------------------------------------------------------------


@spec("blueprints.nested")
@pytest.mark.parametrize(
    ("parent_prefix", "child_prefix", "given", "expected"),
    [
        ("/p", "/c", None, "/p/c/x"),
        ("/p/", "/c/", None, "/p/c/x"),
        (None, "/c", None, "/c/x"),
        ("/p", None, None, "/p/x"),
        ("/p", "/c", "/r", "/p/r/x"),
        ("/pX/", "/Xc", None, "/pX/Xc/x"),
    ],
)
def test_nested_prefixes_and_endpoints_combine(flask, app, client, parent_prefix, child_prefix, given, expected, sync):
    parent = flask.Blueprint("p", __name__, url_prefix=parent_prefix)
    child = flask.Blueprint("c", __name__, url_prefix=child_prefix)
    child.add_url_rule("/x", "v", view("child"))
    parent.register_blueprint(child, url_prefix=given)
    app.register_blueprint(parent)
    assert rules(app) == [(expected, "p.c.v")]
    assert body(client, expected) == (200, "child")
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("p.c.v") == expected


@spec("blueprints.endpoint-prefix", "blueprints.nested", "blueprints.app-blueprints")
@pytest.mark.parametrize(("parent_name", "child_name"), [("XMLFeeds", "Xrss"), ("_private", "v2")])
def test_blueprint_names_are_used_verbatim(flask, app, parent_name, child_name):
    parent = flask.Blueprint(parent_name, __name__)
    child = flask.Blueprint(child_name, __name__, url_prefix="/c")
    parent.add_url_rule("/x", "show", view())
    child.add_url_rule("/x", "show", view())
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    assert list(app.blueprints) == [parent_name, f"{parent_name}.{child_name}"]
    assert rules(app) == sorted([("/x", f"{parent_name}.show"), ("/c/x", f"{parent_name}.{child_name}.show")])


@spec("blueprints.nested")
def test_nested_blueprint_follows_every_registration_of_its_parent(flask, app):
    parent = flask.Blueprint("p", __name__, url_prefix="/p")
    child = flask.Blueprint("c", __name__, url_prefix="/c")
    child.add_url_rule("/x", "v", view())
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    app.register_blueprint(parent, name="q", url_prefix="/q")
    assert rules(app) == [("/p/c/x", "p.c.v"), ("/q/c/x", "q.c.v")]


@spec("blueprints.nested")
def test_same_name_may_be_nested_in_different_parents(flask, app):
    first, second = flask.Blueprint("one", __name__), flask.Blueprint("two", __name__)
    first.register_blueprint(flask.Blueprint("c", __name__, url_prefix="/1"))
    second.register_blueprint(flask.Blueprint("c", __name__, url_prefix="/2"))
    app.register_blueprint(first)
    app.register_blueprint(second)
    assert list(app.blueprints) == ["one", "one.c", "two", "two.c"]


@spec("blueprints.nested-subdomain")
@pytest.mark.parametrize(
    ("child_subdomain", "given", "host"),
    [
        ("inner", None, "inner.outer.example.com"),
        (None, None, "outer.example.com"),
        (None, "given", "given.outer.example.com"),
        ("inner", "given", "given.outer.example.com"),
    ],
)
def test_nested_subdomains_combine(flask, sub_app, child_subdomain, given, host, client_for):
    parent = flask.Blueprint("p", __name__, subdomain="outer")
    child = flask.Blueprint("c", __name__, subdomain=child_subdomain)
    child.add_url_rule("/x", "v", view("nested"))
    parent.register_blueprint(child, **({} if given is None else {"subdomain": given}))
    sub_app.register_blueprint(parent)
    client = client_for(sub_app)
    assert body(client, "/x", base_url=f"http://{host}") == (200, "nested")
    assert body(client, "/x", base_url="http://example.com")[0] == 404


@spec("blueprints.nested-scopes")
@pytest.mark.parametrize(("path", "expected"), [("/p/c/x", ["p", "c"]), ("/p/x", ["p"]), ("/x", [])])
def test_parent_hooks_run_for_nested_requests(flask, app, client, path, expected):
    calls = []
    parent = flask.Blueprint("p", __name__, url_prefix="/p")
    child = flask.Blueprint("c", __name__, url_prefix="/c")
    parent.before_request(lambda: calls.append("p"))
    child.before_request(lambda: calls.append("c"))
    parent.add_url_rule("/x", "v", view())
    child.add_url_rule("/x", "v", view())
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    app.add_url_rule("/x", "home", view())
    assert body(client, path)[0] == 200
    assert calls == expected


@spec("blueprints.self-nesting")
def test_blueprint_cannot_be_registered_on_itself(flask):
    bp = flask.Blueprint("bp", __name__)
    with pytest.raises(ValueError):
        bp.register_blueprint(bp)


# --- names ----------------------------------------------------------------------------


@spec("blueprints.register-with-name")
def test_same_blueprint_registers_again_under_another_name(flask, app, client):
    bp = flask.Blueprint("bp", __name__)
    bp.add_url_rule("/x", "v", lambda: flask.request.blueprint)
    app.register_blueprint(bp, url_prefix="/one")
    app.register_blueprint(bp, name="two", url_prefix="/two")
    assert rules(app) == [("/one/x", "bp.v"), ("/two/x", "two.v")]
    assert body(client, "/one/x") == (200, "bp")
    assert body(client, "/two/x") == (200, "two")


@spec("blueprints.duplicate-name")
@pytest.mark.parametrize("which", ["same blueprint", "different blueprint"])
def test_registering_a_taken_name_is_a_value_error(flask, app, which):
    bp = flask.Blueprint("bp", __name__)
    app.register_blueprint(bp)
    again = bp if which == "same blueprint" else flask.Blueprint("bp", __name__)
    with pytest.raises(ValueError):
        app.register_blueprint(again, url_prefix="/other")


@pytest.fixture
def registered(flask, app):
    """Blueprints a, b (with b.c nested) and a again as a2, in that order."""
    a, b, c = (flask.Blueprint(n, __name__) for n in "abc")
    b.register_blueprint(c)
    app.register_blueprint(a)
    app.register_blueprint(b)
    app.register_blueprint(a, name="a2")
    return a, b, c


@spec("blueprints.app-blueprints")
def test_app_blueprints_maps_names_in_registration_order(app, registered):
    a, b, c = registered
    assert list(app.blueprints.items()) == [("a", a), ("b", b), ("b.c", c), ("a2", a)]


@spec("blueprints.app-blueprints")
def test_iter_blueprints_yields_them_in_registration_order(app, registered):
    a, b, c = registered
    assert list(app.iter_blueprints()) == [a, b, c, a]


@spec("blueprints.dot-in-name")
@pytest.mark.parametrize("name", ["a.b", ".a", "a."])
def test_dotted_blueprint_name_is_a_value_error(flask, name):
    with pytest.raises(ValueError):
        flask.Blueprint(name, __name__)


@spec("blueprints.empty-name")
def test_empty_blueprint_name_is_a_value_error(flask):
    with pytest.raises(ValueError):
        flask.Blueprint("", __name__)


@spec("blueprints.dot-in-endpoint")
@pytest.mark.parametrize(("endpoint", "view_name"), [("a.b", "show"), (None, "a.b"), ("show", "a.b")])
def test_dotted_blueprint_endpoint_is_a_value_error(flask, endpoint, view_name):
    bp = flask.Blueprint("bp", __name__)
    func = view()
    func.__name__ = view_name
    with pytest.raises(ValueError):
        bp.add_url_rule("/x", endpoint, func)


# --- url_for and the request's blueprint ----------------------------------------------------


@pytest.fixture
def tree_app(flask, app):
    """/bp/<page> in bp, /p/c/<page> in p.c (also registered as q.c), /<page> on the app."""
    bp = flask.Blueprint("bp", __name__, url_prefix="/bp")
    parent = flask.Blueprint("p", __name__, url_prefix="/p")
    child = flask.Blueprint("c", __name__, url_prefix="/c")
    for owner in (bp, child, app):
        owner.add_url_rule("/<page>", "page", view())
        owner.add_url_rule("/", "index", view())
    parent.register_blueprint(child)
    app.register_blueprint(bp)
    app.register_blueprint(parent)
    app.register_blueprint(parent, name="q", url_prefix="/q")
    return app


@spec("blueprints.url-for-relative")
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/bp/", "/bp/about"),
        ("/p/c/", "/p/c/about"),
        ("/q/c/", "/q/c/about"),
        ("/", "/about"),
    ],
)
def test_leading_dot_resolves_against_the_current_blueprint(flask, tree_app, path, expected, sync):
    with sync.context(tree_app.test_request_context(path)):
        assert flask.url_for(".page", page="about") == expected


@spec("blueprints.request-blueprint")
@pytest.mark.parametrize(
    ("path", "name", "names"),
    [
        ("/bp/x", "bp", ["bp"]),
        ("/p/c/x", "p.c", ["p.c", "p"]),
        ("/q/c/x", "q.c", ["q.c", "q"]),
        ("/x", None, []),
        ("/p/c/x/y/z", None, []),
    ],
)
def test_request_blueprint_names_the_registration(flask, tree_app, path, name, names, sync):
    with sync.context(tree_app.test_request_context(path)):
        assert flask.request.blueprint == name
        assert flask.request.blueprints == names


# --- record callbacks and setup state ------------------------------------------------------------


@spec("blueprints.record")
def test_record_runs_on_every_registration_and_not_before(flask, submodule, app):
    states = []
    bp = flask.Blueprint("bp", __name__)
    bp.record(states.append)
    assert states == []
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again")
    assert [s.name for s in states] == ["bp", "again"]
    assert all(isinstance(s, submodule("blueprints").BlueprintSetupState) for s in states)


@spec("blueprints.record-once")
def test_record_once_runs_on_the_first_registration_per_app(flask, make_app):
    calls = []
    bp = flask.Blueprint("bp", __name__)
    bp.record_once(lambda state: calls.append((state.app, state.name)))
    first, second = make_app(), make_app()
    first.register_blueprint(bp)
    first.register_blueprint(bp, name="again")
    second.register_blueprint(bp)
    assert calls == [(first, "bp"), (second, "bp")]


@pytest.fixture
def states(flask, app):
    """The setup states of two registrations of one blueprint, with options."""
    seen = []
    bp = flask.Blueprint("bp", __name__, url_prefix="/a", subdomain="s", url_defaults={"k": 1})
    bp.record(seen.append)
    app.register_blueprint(bp, extra=5)
    app.register_blueprint(bp, name="b2", url_prefix="/b", subdomain="t", url_defaults={"j": 2})
    return bp, seen


@spec("blueprints.setup-state")
def test_setup_state_carries_app_blueprint_and_options(app, states):
    bp, (first, second) = states
    assert (first.app, first.blueprint, first.options, first.first_registration) == (app, bp, {"extra": 5}, True)
    assert second.options == {"name": "b2", "url_prefix": "/b", "subdomain": "t", "url_defaults": {"j": 2}}
    assert second.first_registration is False


@spec("blueprints.setup-state")
@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, ("/a", "s", "bp", "", {"k": 1})),
        (1, ("/b", "t", "b2", "", {"k": 1, "j": 2})),
    ],
)
def test_setup_state_has_the_settings_in_effect(states, index, expected):
    state = states[1][index]
    assert (state.url_prefix, state.subdomain, state.name, state.name_prefix, state.url_defaults) == expected


@spec("blueprints.setup-state")
def test_nested_setup_state_has_the_combined_settings(flask, app):
    seen = []
    parent = flask.Blueprint("p", __name__, url_prefix="/p")
    child = flask.Blueprint("c", __name__, url_prefix="/c")
    child.record(seen.append)
    parent.register_blueprint(child, extra=1)
    app.register_blueprint(parent)
    (state,) = seen
    assert (state.name, state.name_prefix, state.url_prefix, state.options["extra"]) == ("c", "p", "/p/c", 1)


@spec("blueprints.setup-state-add-url-rule")
def test_setup_state_add_url_rule_prefixes_rule_and_endpoint(flask, app, client):
    bp = flask.Blueprint("bp", __name__, url_prefix="/a")
    bp.record(lambda state: state.add_url_rule("/extra", "ex", view("added")))
    app.register_blueprint(bp)
    assert rules(app) == [("/a/extra", "bp.ex")]
    assert body(client, "/a/extra") == (200, "added")


@spec("blueprints.make-setup-state")
def test_make_setup_state_supplies_the_state_for_callbacks(flask, submodule, app):
    class State(submodule("blueprints").BlueprintSetupState):
        pass

    class MyBlueprint(flask.Blueprint):
        def make_setup_state(self, app, options, first_registration=False):
            return State(self, app, options, first_registration)

    seen = []
    bp = MyBlueprint("bp", __name__)
    bp.record(seen.append)
    app.register_blueprint(bp, url_prefix="/m")
    assert [type(s) for s in seen] == [State]
    assert seen[0].url_prefix == "/m"


@spec("blueprints.register-method")
def test_register_blueprint_calls_register_with_the_options(flask, app):
    calls = []

    class MyBlueprint(flask.Blueprint):
        def register(self, app, options):
            calls.append((app, dict(options)))
            super().register(app, options)

    app.register_blueprint(MyBlueprint("bp", __name__), url_prefix="/m", extra=1)
    assert calls == [(app, {"url_prefix": "/m", "extra": 1})]


@spec("blueprints.recorded-by-register")
def test_the_blueprint_is_recorded_by_its_register_method(flask, app):
    seen = []

    class MyBlueprint(flask.Blueprint):
        def register(self, app, options):
            seen.append(("before", list(app.blueprints)))
            super().register(app, options)
            seen.append(("after", list(app.blueprints)))

    bp = MyBlueprint("bp", __name__)
    app.register_blueprint(bp)
    assert seen == [("before", []), ("after", ["bp"])]
    assert app.blueprints["bp"] is bp


LATE_SETUP = {
    "route": lambda bp, f: bp.route("/y")(f),
    "add_url_rule": lambda bp, f: bp.add_url_rule("/y", "y", f),
    "before_request": lambda bp, f: bp.before_request(f),
    "before_app_request": lambda bp, f: bp.before_app_request(f),
    "errorhandler": lambda bp, f: bp.errorhandler(404)(f),
    "url_defaults": lambda bp, f: bp.url_defaults(f),
    "record": lambda bp, f: bp.record(f),
    "register_blueprint": lambda bp, f: bp.register_blueprint(type(bp)("late", __name__)),
}


@spec("blueprints.setup-after-registration")
@pytest.mark.parametrize("method", list(LATE_SETUP))
def test_setup_after_registration_is_an_assertion_error(flask, app, method):
    bp = flask.Blueprint("bp", __name__)
    app.register_blueprint(bp)
    with pytest.raises(AssertionError):
        LATE_SETUP[method](bp, view())


# --- what a blueprint registers app-wide ------------------------------------------------------


@spec("blueprints.app-hooks-once")
@pytest.mark.parametrize("registrar", ["before_app_request", "after_app_request", "teardown_app_request"])
def test_app_wide_hooks_are_added_once_per_app(flask, app, client, registrar):
    calls = []

    def hook(*args):
        calls.append(registrar)
        return args[0] if registrar == "after_app_request" else None

    bp = flask.Blueprint("bp", __name__)
    getattr(bp, registrar)(hook)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again", url_prefix="/again")
    app.add_url_rule("/", "home", view())
    assert body(client, "/")[0] == 200
    assert calls == [registrar]


@spec("blueprints.url-value-preprocessor-scope")
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/bp/7", [("app-wide", "bp.v", 7), ("bp", "bp.v", 7)]),
        ("/7", [("app-wide", "home", 7)]),
    ],
)
def test_blueprint_url_value_preprocessors_scope(flask, app, client, path, expected):
    calls = []
    bp = flask.Blueprint("bp", __name__, url_prefix="/bp")
    bp.url_value_preprocessor(lambda endpoint, values: calls.append(("bp", endpoint, values["n"])))
    bp.app_url_value_preprocessor(lambda endpoint, values: calls.append(("app-wide", endpoint, values["n"])))
    bp.add_url_rule("/<int:n>", "v", view())
    app.register_blueprint(bp)
    app.add_url_rule("/<int:n>", "home", view())
    assert body(client, path)[0] == 200
    assert calls == expected


@spec("blueprints.url-defaults-scope")
@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("p.v", [("app-wide", "p.v"), ("p", "p.v")]),
        ("p.c.v", [("app-wide", "p.c.v"), ("p", "p.c.v")]),
        ("home", [("app-wide", "home")]),
    ],
)
def test_blueprint_url_defaults_scope(flask, app, endpoint, expected, sync):
    calls = []
    parent = flask.Blueprint("p", __name__, url_prefix="/p")
    child = flask.Blueprint("c", __name__, url_prefix="/c")
    parent.url_defaults(lambda ep, values: calls.append(("p", ep)))
    parent.app_url_defaults(lambda ep, values: calls.append(("app-wide", ep)))
    parent.add_url_rule("/", "v", view())
    child.add_url_rule("/", "v", view())
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    app.add_url_rule("/", "home", view())
    with sync.context(app.test_request_context("/")):
        flask.url_for(endpoint)
    assert calls == expected


@spec("blueprints.app-template-registrars")
@pytest.mark.parametrize("kind", ["filter", "test", "global"])
@pytest.mark.parametrize(
    ("style", "given"), [("decorator", None), ("decorator", "renamed"), ("method", None), ("method", "renamed")]
)
def test_app_template_registrars_register_on_the_app(flask, app, kind, style, given):
    def helper(value=None):
        return True

    bp = flask.Blueprint("bp", __name__)
    if style == "decorator":
        assert getattr(bp, f"app_template_{kind}")(given)(helper) is helper
    else:
        getattr(bp, f"add_app_template_{kind}")(helper, given)
    assert helper not in getattr(app.jinja_env, f"{kind}s").values()
    app.register_blueprint(bp)
    assert getattr(app.jinja_env, f"{kind}s")[given or "helper"] is helper


@spec("blueprints.app-context-processor")
@pytest.mark.parametrize(("path", "expected"), [("/bp/", {"everywhere", "bp_only"}), ("/", {"everywhere"})])
def test_app_context_processor_applies_to_every_request(flask, app, path, expected, sync):
    bp = flask.Blueprint("bp", __name__, url_prefix="/bp")
    bp.app_context_processor(lambda: {"everywhere": 1})
    bp.context_processor(lambda: {"bp_only": 1})
    bp.add_url_rule("/", "v", view())
    app.register_blueprint(bp)
    app.add_url_rule("/", "home", view())
    with sync.context(app.test_request_context(path)):
        context = {}
        app.update_template_context(context)
    assert {"everywhere", "bp_only"} & set(context) == expected


# --- cli_group -------------------------------------------------------------------------------------


@spec("blueprints.cli-group")
def test_cli_group_defaults_to_a_marker_for_the_blueprint_name(flask):
    default = flask.Blueprint("bp", __name__).cli_group
    assert default is not None
    assert not isinstance(default, str)


@spec("blueprints.cli-group")
@pytest.mark.parametrize("group", [None, "tools"])
def test_explicit_cli_group_is_kept(flask, group):
    assert flask.Blueprint("bp", __name__, cli_group=group).cli_group == group


@spec("blueprints.cli-group")
def test_blueprint_cli_is_a_click_group_named_after_it(flask, behaviour_at):
    cli = flask.Blueprint("auth", __name__).cli
    assert isinstance(cli, click.Group)
    assert cli.name == behaviour_at("blueprints.cli-group", current="auth", before={"3.0": None})
