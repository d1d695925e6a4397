"""Templates, part one: render_template and friends, streaming, autoescaping, the
template context and context processors, and the template signals. Filters, macros,
loaders and the Jinja environment are in test_template_env.py.

Template files are written into ``tmp_path`` folders (see apps/templates.py).
"""

from __future__ import annotations

import datetime

import pytest
from jinja2 import TemplateNotFound
from markupsafe import Markup

from .apps.templates import make_bp, templates, text, tpl_app, write  # noqa: F401

spec = pytest.mark.spec


# --- rendering ------------------------------------------------------------------------


@spec("templates.render-template")
@pytest.mark.parametrize(
    ("name", "source", "context", "expected"),
    [
        ("index.html", "Hello {{ name }}!", {"name": "World"}, "Hello World!"),
        ("auth/login.html", "{{ a }}+{{ b }}", {"a": 1, "b": 2}, "1+2"),
        ("errors/deep/404.txt", "no {{ what }}", {"what": "page"}, "no page"),
        ("plain.html", "static text", {}, "static text"),
    ],
)
def test_render_template_renders_a_file_of_the_folder(flask, tpl_app, templates, name, source, context, expected, sync):
    templates({name: source})
    with sync.context(tpl_app.app_context()):
        assert sync(flask.render_template(name, **context)) == expected


@spec("templates.render-template")
def test_template_folder_is_relative_to_the_root_path(flask, make_app, tmp_path, sync):
    write(tmp_path / "custom_templates", {"page.html": "custom"})
    app = make_app(root_path=str(tmp_path), template_folder="custom_templates")
    with sync.context(app.app_context()):
        assert sync(flask.render_template("page.html")) == "custom"


@spec("templates.render-first-of-list")
@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["missing.html", "b.html"], "B"),
        (["a.html", "b.html"], "A"),
        (["b.html", "a.html"], "B"),
        (["x.html", "y.html", "a.html"], "A"),
    ],
)
def test_a_list_renders_the_first_template_that_exists(flask, tpl_app, templates, names, expected, sync):
    templates({"a.html": "A", "b.html": "B"})
    with sync.context(tpl_app.app_context()):
        assert sync(flask.render_template(names)) == expected


@spec("templates.not-found")
@pytest.mark.parametrize("names", ["missing.html", "sub/missing.html", ["m1.html", "m2.html"]])
def test_missing_template_raises_template_not_found(flask, tpl_app, templates, names, sync):
    templates({"present.html": "here"})
    with sync.context(tpl_app.app_context()), pytest.raises(TemplateNotFound):
        sync(flask.render_template(names))


@spec("templates.render-string")
@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ a }}+{{ b }}", {"a": 1, "b": 2}, "1+2"),
        ("{% for x in items %}[{{ x }}]{% endfor %}", {"items": ["p", "q"]}, "[p][q]"),
        ("no variables", {}, "no variables"),
    ],
)
def test_render_template_string_renders_the_source(flask, app, source, context, expected, sync):
    with sync.context(app.app_context()):
        assert sync(flask.render_template_string(source, **context)) == expected


RENDERERS = {
    "render_template": ("render_template", "page.html"),
    "render_template_string": ("render_template_string", "{{ 6 * 7 }}"),
    "stream_template": ("stream_template", "page.html"),
    "stream_template_string": ("stream_template_string", "{{ 6 * 7 }}"),
}


def call_renderer(flask, which, **context):
    """Render with one of the four functions; a stream is joined into a string."""
    function, argument = RENDERERS[which]
    rv = getattr(flask, function)(argument, **context)
    return rv if isinstance(rv, str) else "".join(rv)


@spec("templates.needs-app-context")
@pytest.mark.parametrize("which", list(RENDERERS))
def test_rendering_outside_an_app_context_is_a_runtime_error(flask, tpl_app, templates, which):
    templates({"page.html": "{{ 6 * 7 }}"})
    with pytest.raises(RuntimeError):
        call_renderer(flask, which)


@spec("templates.needs-app-context")
@pytest.mark.parametrize("which", list(RENDERERS))
def test_an_app_context_is_enough_to_render(flask, tpl_app, templates, which, sync):
    templates({"page.html": "{{ 6 * 7 }}"})
    with sync.context(tpl_app.app_context()):
        assert call_renderer(flask, which) == "42"


# --- streaming ----------------------------------------------------------------------------


@spec("templates.stream")
@pytest.mark.parametrize(
    ("function", "argument"),
    [("stream_template", "list.html"), ("stream_template_string", "{% for x in xs %}[{{ x }}]{% endfor %}")],
)
def test_stream_functions_return_an_iterator_of_pieces(flask, tpl_app, templates, function, argument, sync):
    templates({"list.html": "{% for x in xs %}[{{ x }}]{% endfor %}"})
    with sync.context(tpl_app.test_request_context("/")):
        stream = getattr(flask, function)(argument, xs=["a", "<b>"])
        assert not isinstance(stream, str)
        pieces = list(stream)
    assert all(isinstance(piece, str) for piece in pieces)
    assert "".join(pieces) == "[a][&lt;b&gt;]"


@spec("templates.stream")
@pytest.mark.parametrize(
    ("function", "argument"),
    [("stream_template", "page.html"), ("stream_template_string", "streamed {{ n }}")],
)
def test_a_streamed_template_from_a_view_is_a_streamed_response(flask, tpl_app, templates, function, argument, client_for):
    templates({"page.html": "streamed {{ n }}"})
    seen = []

    @tpl_app.after_request
    def record(response):
        seen.append(response.is_streamed)
        return response

    tpl_app.add_url_rule("/", "index", lambda: getattr(flask, function)(argument, n=1))
    assert text(client_for(tpl_app), "/") == "streamed 1"
    assert seen == [True]


@spec("templates.stream-keeps-request-context")
@pytest.mark.parametrize(
    ("function", "argument"),
    [("stream_template", "page.html"), ("stream_template_string", "{{ request.args.q }}|{{ request.path }}")],
)
def test_request_is_usable_while_a_streamed_template_renders(flask, tpl_app, templates, function, argument, client_for):
    templates({"page.html": "{{ request.args.q }}|{{ request.path }}"})
    tpl_app.add_url_rule("/s", "s", lambda: getattr(flask, function)(argument))
    assert text(client_for(tpl_app), "/s?q=zz") == "zz|/s"


@spec("templates.stream-keeps-request-context")
def test_session_is_usable_while_a_streamed_template_renders(flask, tpl_app, client_for, sync):
    tpl_app.secret_key = "test key"

    @tpl_app.route("/set")
    def set_value():
        flask.session["user"] = "ann"
        return "set"

    tpl_app.add_url_rule("/s", "s", lambda: sync(flask.stream_template_string("user={{ session['user'] }}")))
    client = client_for(tpl_app)
    text(client, "/set")
    assert text(client, "/s") == "user=ann"


# --- autoescaping ---------------------------------------------------------------------------

ESCAPED = "&lt;b&gt; &amp; &#39;q&#39; &#34;d&#34;"
RAW = "<b> & 'q' \"d\""


#: extension -> whether templates with it are autoescaped
EXTENSIONS = {
    **dict.fromkeys(["html", "htm", "xml", "xhtml", "svg"], True),
    **dict.fromkeys(["txt", "j2", "html.j2", "css"], False),
}


@spec("templates.autoescape-by-extension")
@pytest.mark.parametrize(("extension", "escaped"), EXTENSIONS.items())
def test_autoescaping_follows_the_file_extension(flask, tpl_app, templates, extension, escaped, sync):
    templates({f"page.{extension}": "{{ value }}"})
    with sync.context(tpl_app.app_context()):
        assert sync(flask.render_template(f"page.{extension}", value=RAW)) == (ESCAPED if escaped else RAW)


@spec("templates.autoescape-by-extension", "templates.autoescape-strings")
@pytest.mark.parametrize(
    ("filename", "expected"), [*((f"sub/a.{ext}", on) for ext, on in EXTENSIONS.items()), (None, True)]
)
def test_select_jinja_autoescape_decides_by_extension(app, filename, expected):
    assert app.select_jinja_autoescape(filename) is expected


@spec("templates.autoescape-strings")
@pytest.mark.parametrize("function", ["render_template_string", "stream_template_string"])
def test_string_templates_are_autoescaped(flask, app, function, sync):
    with sync.context(app.test_request_context("/")):
        rv = getattr(flask, function)("{{ value }}", value=RAW)
        assert "".join(rv) == ESCAPED


@spec("templates.safe-markup")
@pytest.mark.parametrize(
    ("source", "value"),
    [("{{ value|safe }}", "<b>bold</b>"), ("{{ value }}", Markup("<b>bold</b>"))],
)
def test_safe_values_are_not_escaped(flask, app, source, value, sync):
    with sync.context(app.app_context()):
        assert sync(flask.render_template_string(source, value=value)) == "<b>bold</b>"


@spec("templates.tojson")
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("</script>", '"\\u003c/script\\u003e"'),
        ({"b": 1, "a": [True, None]}, '{"a": [true, null], "b": 1}'),
        (datetime.date(2020, 1, 2), '"Thu, 02 Jan 2020 00:00:00 GMT"'),
    ],
)
def test_tojson_uses_the_app_json_provider_and_escapes_html(flask, app, value, expected, sync):
    with sync.context(app.app_context()):
        assert sync(flask.render_template_string("{{ value|tojson }}", value=value)) == expected


# --- the template context ---------------------------------------------------------------


@spec("templates.default-context")
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ config.SITE }}", "Example"),
        ("{{ request.path }}?{{ request.args.q }}", "/page?x"),
        ("{{ session.get('missing', 'none') }}", "none"),
        ("{{ g.user }}", "ann"),
        ("{{ url_for('page', q=1) }}", "/page?q=1"),
        ("{{ get_flashed_messages() }}", "[]"),
    ],
)
def test_default_names_are_available_in_every_template(flask, app, source, expected, client_for, sync):
    app.config["SITE"] = "Example"

    @app.route("/page")
    def page():
        flask.g.user = "ann"
        return sync(flask.render_template_string(source))

    assert text(client_for(app), "/page?q=x") == expected


@spec("templates.default-context-outside-request")
@pytest.mark.parametrize(("source", "expected"), [("{{ config.SITE }}", "Example"), ("{{ g.user }}", "ann")])
def test_config_and_g_work_with_only_an_app_context(flask, app, source, expected, sync):
    app.config["SITE"] = "Example"
    with sync.context(app.app_context()):
        flask.g.user = "ann"
        assert sync(flask.render_template_string(source)) == expected


@spec("templates.default-context-outside-request")
@pytest.mark.parametrize("source", ["{{ request.path }}", "{{ session.get('k') }}"])
def test_request_and_session_need_a_request_context(flask, app, source, sync):
    with sync.context(app.app_context()), pytest.raises(RuntimeError):
        sync(flask.render_template_string(source))


@spec("templates.config-in-imported-templates")
def test_config_is_available_in_imported_macros(flask, tpl_app, templates, sync):
    tpl_app.config["SITE"] = "Example"
    templates({"_macros.html": "{% macro site() %}{{ config.SITE }}{% endmacro %}"})
    with sync.context(tpl_app.app_context()):
        assert sync(flask.render_template_string('{% from "_macros.html" import site %}{{ site() }}')) == "Example"


@spec("templates.context-processors")
@pytest.mark.parametrize(
    ("returned", "source", "expected"),
    [
        ({"site": "Example"}, "{{ site }}", "Example"),
        ({"a": 1, "b": [2, 3]}, "{{ a }}{{ b|sum }}", "15"),
        ({"price": lambda v: f"${v:.2f}"}, "{{ price(3) }}", "$3.00"),
    ],
)
def test_context_processor_values_become_template_variables(flask, app, returned, source, expected, sync):
    app.context_processor(lambda: returned)
    with sync.context(app.test_request_context("/")):
        assert sync(flask.render_template_string(source)) == expected


@spec("templates.context-processors", "templates.stream")
@pytest.mark.needs("sync-contexts")
def test_context_processors_apply_to_streamed_templates(flask, app):
    app.context_processor(lambda: {"site": "Example"})
    with app.test_request_context("/"):
        assert "".join(flask.stream_template_string("{{ site }}")) == "Example"


@spec("templates.context-processors")
def test_context_processors_run_for_every_render(flask, app, sync):
    calls = []

    @app.context_processor
    def count():
        calls.append(1)
        return {"n": len(calls)}

    with sync.context(app.test_request_context("/")):
        rendered = [sync(flask.render_template_string("{{ n }}")) for _ in range(3)]
    assert rendered == ["1", "2", "3"]


@spec("templates.context-processors")
def test_context_processors_also_apply_with_only_an_app_context(flask, app, sync):
    app.context_processor(lambda: {"site": "Example"})
    with sync.context(app.app_context()):
        assert sync(flask.render_template_string("{{ site }}")) == "Example"


@spec("templates.context-reaches-extended-and-included")
@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("child.html", "base[Example|/page|L]child:part[Example|1|L]"),
        ("include_only.html", "part[Example|1|L]"),
    ],
)
def test_context_reaches_extended_and_included_templates(flask, tpl_app, templates, client_for, page, expected, sync):
    templates(
        {
            "base.html": "base[{{ site }}|{{ request.path }}|{{ local }}]{% block body %}{% endblock %}",
            "child.html": '{% extends "base.html" %}{% block body %}child:{% include "part.html" %}{% endblock %}',
            "include_only.html": '{% include "part.html" %}',
            "part.html": "part[{{ site }}|{{ request.args.q }}|{{ local }}]",
        }
    )
    tpl_app.context_processor(lambda: {"site": "Example"})
    tpl_app.add_url_rule("/page", "page", lambda: sync(flask.render_template(page, local="L")))
    assert text(client_for(tpl_app), "/page?q=1") == expected


@spec("templates.context-processor-returns-mapping")
@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        ({"a": 1}, "x1"),
        ([("a", 2)], "x2"),
        ({}, "x"),
        (None, TypeError),
        (3, TypeError),
    ],
)
def test_context_processor_must_return_a_mapping(flask, app, returned, expected, sync):
    app.context_processor(lambda: returned)
    with sync.context(app.app_context()):
        if expected is TypeError:
            with pytest.raises(TypeError):
                sync(flask.render_template_string("x{{ a }}"))
        else:
            assert sync(flask.render_template_string("x{{ a }}")) == expected


@spec("templates.explicit-context-wins")
@pytest.mark.parametrize("name", ["who", "g", "request", "config", "url_for"])
@pytest.mark.parametrize("function", ["render_template_string", "stream_template_string"])
def test_values_passed_to_render_win(flask, app, name, function, sync):
    app.context_processor(lambda: {"who": "processor"})
    with sync.context(app.test_request_context("/")):
        rv = getattr(flask, function)("{{ %s }}" % name, **{name: "explicit"})
        assert "".join(rv) == "explicit"


@spec("blueprints.app-context-processor", "templates.context-processors")
@pytest.mark.parametrize(("path", "expected"), [("/bp/", "bp-only|everywhere"), ("/", "|everywhere")])
def test_blueprint_context_processors_by_scope(flask, app, make_bp, path, expected, client_for, sync):
    bp = make_bp("bp", url_prefix="/bp")
    bp.context_processor(lambda: {"bp_value": "bp-only"})
    bp.app_context_processor(lambda: {"all_value": "everywhere"})
    source = "{{ bp_value }}|{{ all_value }}"
    bp.add_url_rule("/", "index", lambda: sync(flask.render_template_string(source)))
    app.add_url_rule("/", "index", lambda: sync(flask.render_template_string(source)))
    app.register_blueprint(bp)
    assert text(client_for(app), path) == expected


@spec("blueprints.app-context-processor", "templates.context-processors")
def test_nested_blueprint_views_get_parent_and_own_processors(flask, app, make_bp, client_for, sync):
    parent = make_bp("parent", url_prefix="/p")
    child = make_bp("child", url_prefix="/c")
    parent.context_processor(lambda: {"v": "parent", "from_parent": "yes"})
    child.context_processor(lambda: {"v": "child"})
    child.add_url_rule("/", "index", lambda: sync(flask.render_template_string("{{ v }}|{{ from_parent }}")))
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    assert text(client_for(app), "/p/c/") == "child|yes"


@spec("templates.update-template-context")
def test_update_template_context_keeps_existing_keys(flask, app, behaviour_at, sync):
    app.context_processor(lambda: {"a": "processor", "b": "processor"})
    with sync.context(app.test_request_context("/")):
        context = {"a": "mine", "request": "my request"}
        app.update_template_context(context)
    added = behaviour_at("templates.update-template-context", current={"g"}, before={"3.1.3": {"g", "session"}})
    assert set(context) == {"a", "b", "request"} | added
    assert (context["a"], context["b"], context["request"]) == ("mine", "processor", "my request")


@spec("templates.update-template-context")
def test_update_template_context_adds_only_g_and_request(flask, app, behaviour_at, sync):
    with sync.context(app.test_request_context("/")):
        context = {}
        app.update_template_context(context)
        expected = behaviour_at(
            "templates.update-template-context", current={"g", "request"}, before={"3.1.3": {"g", "request", "session"}}
        )
        assert set(context) == expected
        assert context["g"] is flask.g._get_current_object()
        assert context["request"] is flask.request._get_current_object()


@spec("templates.session-untouched-by-rendering")
@pytest.mark.parametrize(
    ("source", "vary"),
    [("{{ request.path }} {{ g.get('x') }} {{ config.DEBUG }}", False), ("{{ session.get('user') }}", True)],
)
def test_only_templates_reading_the_session_mark_it_accessed(flask, app, source, vary, client_for, sync):
    app.secret_key = "test key"
    app.add_url_rule("/", "index", lambda: sync(flask.render_template_string(source)))
    response = client_for(app).get("/")
    assert ("cookie" in {v.lower() for v in response.vary}) is vary


# --- signals --------------------------------------------------------------------------------


@spec("templates.signals")
@pytest.mark.parametrize("which", list(RENDERERS))
@pytest.mark.needs("sync-contexts")
def test_render_signals_carry_app_template_and_context(flask, tpl_app, templates, which):
    templates({"page.html": "{{ 6 * 7 }}"})
    events = []

    def before(sender, **kwargs):
        events.append(("before", sender, set(kwargs), dict(kwargs["context"])))

    def after(sender, **kwargs):
        events.append(("after", sender, set(kwargs), dict(kwargs["context"])))
        assert kwargs["template"].name == (None if which.endswith("string") else "page.html")

    # Local names keep the receivers alive: blinker holds weak references.
    with (
        flask.before_render_template.connected_to(before, tpl_app),
        flask.template_rendered.connected_to(after, tpl_app),
        tpl_app.test_request_context(),
    ):
        assert call_renderer(flask, which, extra="x") == "42"
    assert [e[0] for e in events] == ["before", "after"]
    for _, sender, kwargs, context in events:
        assert sender is tpl_app
        assert kwargs == {"template", "context"}
        assert context["extra"] == "x"


@spec("templates.signals")
@pytest.mark.parametrize("which", list(RENDERERS))
@pytest.mark.needs("sync-contexts")
def test_before_render_template_comes_before_and_template_rendered_after(flask, tpl_app, templates, which):
    templates({"page.html": "{{ mark() }}{{ 6 * 7 }}"})
    order = []

    def before(sender, **kwargs):
        order.append("before")

    def after(sender, **kwargs):
        order.append("after")

    def mark():
        order.append("rendering")
        return ""

    source = "{{ mark() }}{{ 6 * 7 }}"
    function = getattr(flask, RENDERERS[which][0])
    with (
        flask.before_render_template.connected_to(before, tpl_app),
        flask.template_rendered.connected_to(after, tpl_app),
        tpl_app.test_request_context(),
    ):
        rv = function(source if which.endswith("string") else "page.html", mark=mark)
        assert "".join(rv) == "42"
    assert order == ["before", "rendering", "after"]


@spec("templates.signals")
def test_template_signals_are_not_sent_for_other_apps(flask, make_app, tpl_app, sync):
    other = make_app()
    events = []

    def receiver(sender, **kwargs):
        events.append(sender)

    with flask.template_rendered.connected_to(receiver, tpl_app):
        with sync.context(other.app_context()):
            sync(flask.render_template_string("x"))
        with sync.context(tpl_app.app_context()):
            sync(flask.render_template_string("x"))
    assert events == [tpl_app]


@spec("templates.default-context-processor")
def test_apps_and_blueprints_start_with_the_default_context_processor(flask, app, behaviour_at):
    assert len(flask.Blueprint("bp", __name__).template_context_processors[None]) == 1
    (default,) = app.template_context_processors[None]
    with app.test_request_context("/page"):
        found = default()
        names = behaviour_at(
            "templates.default-context-processor", current={"g", "request"}, before={"3.1": {"g", "request", "session"}}
        )
        assert set(found) == names
        assert (found["g"], found["request"]) == (flask.g._get_current_object(), flask.request._get_current_object())
        app.template_context_processors[None].clear()
        context: dict[str, object] = {}
        app.update_template_context(context)
    assert context == {}
