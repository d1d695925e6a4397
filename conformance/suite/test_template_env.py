"""Templates, part two: filters, tests and globals, get_template_attribute, template
folders and their lookup order, and the Jinja environment (options, autoescape
function, auto-reload). Rendering, context and signals are in test_templates.py.
"""

from __future__ import annotations

import logging
import os

import pytest
from jinja2 import DictLoader, Environment, FileSystemLoader, TemplateNotFound

from .apps.templates import make_bp, templates, text, tpl_app, write  # noqa: F401

spec = pytest.mark.spec


# --- filters, tests and globals ----------------------------------------------------------


def reverse(value):
    return value[::-1]


def is_odd(value):
    return value % 2 == 1


def double(value):
    return 2 * value


#: kind -> (the function, a template using it under NAME, the expected output)
KINDS = {
    "filter": (reverse, "{{ 'abc'|NAME }}", "cba"),
    "test": (is_odd, "{{ 3 is NAME }}/{{ 4 is NAME }}", "True/False"),
    "global": (double, "{{ NAME(21) }}", "42"),
}


def register(target, prefix, kind, style, name):
    """Register KINDS[kind]'s function on ``target`` through ``<prefix>template_<kind>``
    (decorator) or ``add_<prefix>template_<kind>``; return what the call returned."""
    func = KINDS[kind][0]
    if style == "decorator":
        return getattr(target, f"{prefix}template_{kind}")(name)(func)
    if name is None:
        return getattr(target, f"add_{prefix}template_{kind}")(func)
    return getattr(target, f"add_{prefix}template_{kind}")(func, name=name)


REGISTRATIONS = [
    (kind, style, name) for kind in KINDS for style in ("decorator", "add") for name in (None, "renamed")
]


@spec("templates.filters-tests-globals")
@pytest.mark.parametrize(("kind", "style", "name"), REGISTRATIONS)
def test_app_template_registrations_are_usable_in_templates(flask, app, kind, style, name, sync):
    func, source, expected = KINDS[kind]
    register(app, "", kind, style, name)
    with sync.context(app.app_context()):
        assert sync(flask.render_template_string(source.replace("NAME", name or func.__name__))) == expected


@spec("templates.filters-tests-globals")
@pytest.mark.parametrize("kind", list(KINDS))
def test_template_decorators_return_the_function(app, kind):
    assert register(app, "", kind, "decorator", None) is KINDS[kind][0]


@spec("blueprints.app-template-registrars", "templates.filters-tests-globals")
@pytest.mark.parametrize(("kind", "style", "name"), REGISTRATIONS)
def test_blueprint_app_template_registrations_reach_every_template(flask, app, make_bp, kind, style, name, client_for, sync):
    func, source, expected = KINDS[kind]
    bp = make_bp("bp", url_prefix="/bp")
    register(bp, "app_", kind, style, name)
    source = source.replace("NAME", name or func.__name__)
    app.add_url_rule("/", "index", lambda: sync(flask.render_template_string(source)))
    app.register_blueprint(bp)
    assert text(client_for(app), "/") == expected


# --- get_template_attribute -------------------------------------------------------------------

MACROS = "{% macro hello(name) %}Hello {{ name }}!{% endmacro %}{% set answer = 42 %}"


@spec("templates.get-template-attribute")
@pytest.mark.parametrize(("argument", "expected"), [("World", "Hello World!"), ("<W>", "Hello &lt;W&gt;!")])
def test_get_template_attribute_returns_a_callable_macro(flask, tpl_app, templates, argument, expected, sync):
    templates({"_macros.html": MACROS})
    with sync.context(tpl_app.app_context()):
        hello = flask.get_template_attribute("_macros.html", "hello")
        assert str(hello(argument)) == expected


@spec("templates.get-template-attribute")
def test_get_template_attribute_returns_an_exported_variable(flask, tpl_app, templates, sync):
    templates({"_macros.html": MACROS})
    with sync.context(tpl_app.app_context()):
        assert flask.get_template_attribute("_macros.html", "answer") == 42


# --- loaders and lookup order -------------------------------------------------------------


@spec("templates.jinja-loader")
@pytest.mark.parametrize(("owner", "folder"), [("app", "templates"), ("blueprint", "bp_templates")])
def test_jinja_loader_reads_the_template_folder(tpl_app, make_bp, tmp_path, owner, folder):
    loader = (tpl_app if owner == "app" else make_bp("bp", folder)).jinja_loader
    assert isinstance(loader, FileSystemLoader)
    assert [os.path.normpath(p) for p in loader.searchpath] == [str(tmp_path / folder)]


@spec("templates.jinja-loader")
def test_no_template_folder_means_no_loader(flask, make_app, tmp_path):
    assert flask.Blueprint("bp", __name__).jinja_loader is None
    assert make_app(root_path=str(tmp_path), template_folder=None).jinja_loader is None


@spec("templates.blueprint-template-folder")
@pytest.mark.parametrize("path", ["/", "/bp/"])
def test_a_blueprint_template_renders_from_any_view(flask, tpl_app, make_bp, path, client_for, sync):
    bp = make_bp("bp", "bp_templates", {"bp_only.html": "from the blueprint"}, url_prefix="/bp")
    bp.add_url_rule("/", "index", lambda: sync(flask.render_template("bp_only.html")))
    tpl_app.add_url_rule("/", "index", lambda: sync(flask.render_template("bp_only.html")))
    tpl_app.register_blueprint(bp)
    assert text(client_for(tpl_app), path) == "from the blueprint"


@spec("templates.blueprint-template-folder")
def test_list_templates_covers_app_and_blueprint_folders(tpl_app, templates, make_bp):
    templates({"app.html": "", "sub/nested.html": ""})
    tpl_app.register_blueprint(make_bp("bp", "bp_templates", {"bp.html": ""}))
    assert set(tpl_app.jinja_env.list_templates()) == {"app.html", "sub/nested.html", "bp.html"}


@spec("templates.loader-order")
@pytest.mark.parametrize(
    ("app_has_it", "registration", "path", "expected"),
    [
        (True, "one", "/one/", "app"),
        (True, "one two", "/two/", "app"),
        (False, "one two", "/two/", "one"),
        (False, "two one", "/one/", "two"),
        (False, "two", "/two/", "two"),
    ],
)
def test_app_folder_first_then_blueprints_in_registration_order(
    flask, tpl_app, templates, make_bp, app_has_it, registration, path, expected, client_for
, sync):
    if app_has_it:
        templates({"index.html": "app"})
    for name in registration.split():
        bp = make_bp(name, f"{name}_templates", {"index.html": name}, url_prefix=f"/{name}")
        bp.add_url_rule("/", "index", lambda: sync(flask.render_template("index.html")))
        tpl_app.register_blueprint(bp)
    assert text(client_for(tpl_app), path) == expected


@spec("templates.explain-loading")
@pytest.mark.parametrize(("name", "expected"), [("app.html", "app"), ("bp.html", "bp"), ("both.html", "app")])
def test_explain_template_loading_does_not_change_rendering(flask, tpl_app, templates, make_bp, name, expected, sync):
    tpl_app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    templates({"app.html": "app", "both.html": "app"})
    tpl_app.register_blueprint(make_bp("bp", "bp_templates", {"bp.html": "bp", "both.html": "bp"}))
    with sync.context(tpl_app.app_context()):
        assert sync(flask.render_template(name)) == expected


@spec("templates.explain-loading")
@pytest.mark.parametrize(("name", "expected"), [("bp.html", "bp"), ("both.html", "app")])
def test_explain_template_loading_does_not_change_rendering_in_a_blueprint_view(
    flask, tpl_app, templates, make_bp, client_for, name, expected, sync
):
    # Inside a blueprint's request the explanation also considers that blueprint.
    tpl_app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    templates({"both.html": "app"})
    bp = make_bp("bp", "bp_templates", {"bp.html": "bp", "both.html": "bp"}, url_prefix="/bp")
    bp.add_url_rule("/<name>", "page", lambda name: sync(flask.render_template(name)))
    tpl_app.register_blueprint(bp)
    assert text(client_for(tpl_app), f"/bp/{name}") == expected


@spec("templates.explain-loading")
@pytest.mark.parametrize(
    ("explain", "name", "logged"),
    [(True, "app.html", True), (True, "missing.html", True), (False, "app.html", False)],
    ids=["found", "missing", "setting-off"],
)
def test_explain_template_loading_logs_each_lookup_on_the_app_logger(
    flask, tpl_app, templates, caplog, explain, name, logged, sync
):
    tpl_app.config["EXPLAIN_TEMPLATE_LOADING"] = explain
    templates({"app.html": "app"})
    with caplog.at_level(logging.INFO, logger=tpl_app.logger.name), sync.context(tpl_app.app_context()):
        try:
            sync(flask.render_template(name))
        except TemplateNotFound:
            pass
    # What the explanation says is the implementation's own text; that it exists,
    # where it goes, which template it is about and which file was found (the setting
    # is there to show "the wrong file" being loaded) are the setting's promise.
    records = [r for r in caplog.records if r.name == tpl_app.logger.name]
    assert bool(records) is logged
    assert all(r.levelno == logging.INFO and name in r.getMessage() for r in records)
    found = os.path.join(tpl_app.root_path, "templates", "app.html")
    assert all((found in r.getMessage()) is (name == "app.html") for r in records)


@spec("templates.explain-loading")
def test_explain_template_loading_still_raises_for_missing_templates(flask, tpl_app, templates, sync):
    tpl_app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    templates({"app.html": "app"})
    with sync.context(tpl_app.app_context()), pytest.raises(TemplateNotFound):
        sync(flask.render_template("missing.html"))


# --- the Jinja environment ------------------------------------------------------------------


@spec("templates.jinja-env")
def test_jinja_env_is_created_once(app):
    env = app.jinja_env
    assert isinstance(env, Environment)
    assert app.jinja_env is env


@spec("templates.jinja-env")
@pytest.mark.parametrize(("filename", "expected"), [("page.txt", "&lt;i&gt;"), ("page.html", "<i>")])
def test_jinja_env_autoescape_asks_select_jinja_autoescape(flask, make_app, tmp_path, filename, expected, sync):
    write(tmp_path / "templates", {filename: "{{ v }}"})

    class TextEscapingApp(flask.Flask):
        def select_jinja_autoescape(self, filename):
            return filename is not None and filename.endswith(".txt")

    app = TextEscapingApp(__name__, root_path=str(tmp_path))
    with sync.context(app.app_context()):
        assert sync(flask.render_template(filename, v="<i>")) == expected


@spec("templates.environment-globals")
def test_the_environment_holds_flasks_globals_and_tojson(app):
    env = app.jinja_env
    names = ("url_for", "get_flashed_messages", "config", "request", "session", "g")
    assert sorted(name for name in names if name in env.globals) == sorted(names)
    assert env.globals["config"] is app.config
    assert "tojson" in env.filters


@spec("templates.environment-overrides")
def test_an_overridden_environment_is_used(flask, make_app, tmp_path, sync):
    class ExtraGlobal(flask.Flask):
        def create_jinja_environment(self):
            env = super().create_jinja_environment()
            env.globals["site"] = "Example"
            return env

    app = ExtraGlobal(__name__, root_path=str(tmp_path))
    with sync.context(app.app_context()):
        assert sync(flask.render_template_string("{{ site }}|{{ url_for is defined }}")) == "Example|True"


@spec("templates.environment-overrides")
def test_an_overridden_global_loader_is_used(flask, tmp_path, sync):
    write(tmp_path / "templates", {"page.html": "from the folder"})

    class DictLoading(flask.Flask):
        def create_global_jinja_loader(self):
            return DictLoader({"page.html": "from the dict {{ v }}"})

    app = DictLoading(__name__, root_path=str(tmp_path))
    with sync.context(app.app_context()):
        assert sync(flask.render_template("page.html", v=1)) == "from the dict 1"


@spec("templates.jinja-options")
def test_jinja_options_is_an_empty_dict_by_default(app):
    assert type(app.jinja_options) is dict
    assert app.jinja_options == {}


@spec("templates.jinja-options")
@pytest.mark.parametrize(
    ("options", "source", "expected"),
    [
        ({"trim_blocks": True}, "{% if true %}\nyes{% endif %}", "yes"),
        ({"variable_start_string": "[[", "variable_end_string": "]]"}, "[[ 1 + 1 ]]", "2"),
        ({"autoescape": False}, "{{ '<b>' }}", "<b>"),
    ],
)
@pytest.mark.parametrize("where", ["subclass", "instance"])
def test_jinja_options_reach_the_environment(flask, make_app, options, source, expected, where, sync):
    if where == "subclass":

        class Configured(flask.Flask):
            jinja_options = options

        app = Configured(__name__)
    else:
        app = make_app()
        app.jinja_options = dict(options)
    with sync.context(app.app_context()):
        assert sync(flask.render_template_string(source)) == expected


@spec("templates.jinja-options", "templates.auto-reload")
@pytest.mark.parametrize(("option", "setting"), [(True, False), (False, True)])
def test_auto_reload_in_jinja_options_replaces_the_setting(make_app, option, setting):
    app = make_app()
    app.jinja_options = {"auto_reload": option}
    app.config["TEMPLATES_AUTO_RELOAD"] = setting
    assert app.jinja_env.auto_reload is option


@spec("templates.jinja-options")
def test_a_loader_in_jinja_options_replaces_the_apps_loader(flask, make_app, sync):
    app = make_app()
    app.jinja_options = {"loader": DictLoader({"page.html": "from the dict loader"})}
    with sync.context(app.app_context()):
        assert sync(flask.render_template("page.html")) == "from the dict loader"


@spec("templates.jinja-options")
def test_jinja_options_changed_after_creation_have_no_effect(flask, app, sync):
    with sync.context(app.app_context()):
        assert sync(flask.render_template_string("{% if true %}\nyes{% endif %}")) == "\nyes"
        app.jinja_options = {"trim_blocks": True}
        assert sync(flask.render_template_string("{% if true %}\nyes{% endif %}")) == "\nyes"
    assert app.jinja_env.trim_blocks is False


@spec("templates.auto-reload")
@pytest.mark.parametrize(
    ("setting", "debug", "expected"),
    [(None, False, False), (None, True, True), (True, False, True), (False, True, False)],
)
def test_auto_reload_follows_the_setting_or_debug(make_app, setting, debug, expected):
    app = make_app()
    app.config["TEMPLATES_AUTO_RELOAD"] = setting
    app.config["DEBUG"] = debug
    assert app.jinja_env.auto_reload is expected


@spec("templates.auto-reload")
@pytest.mark.parametrize(("setting", "expected"), [(None, True), (False, False), (True, True)])
def test_setting_debug_later_updates_auto_reload(make_app, setting, expected):
    app = make_app()
    app.config["TEMPLATES_AUTO_RELOAD"] = setting
    env = app.jinja_env
    app.debug = True
    assert env.auto_reload is expected


@spec("templates.auto-reload")
@pytest.mark.parametrize(("setting", "expected"), [(True, "new"), (False, "old")])
def test_changed_template_files_reload_only_with_auto_reload(flask, tpl_app, templates, tmp_path, setting, expected, sync):
    tpl_app.config["TEMPLATES_AUTO_RELOAD"] = setting
    templates({"page.html": "old"})
    with sync.context(tpl_app.app_context()):
        assert sync(flask.render_template("page.html")) == "old"
        templates({"page.html": "new"})
        path = tmp_path / "templates" / "page.html"
        later = path.stat().st_mtime + 10  # a clearly newer mtime, whatever the clock resolution
        os.utime(path, (later, later))
        assert sync(flask.render_template("page.html")) == expected
