"""Command groups and commands: ``app.cli``, ``AppGroup``, ``with_appcontext``,
``FlaskGroup``, blueprint command groups, the built-in ``routes``, ``shell`` and
``run`` commands, ``Flask.run``, ``--version``, ``python -m``, ``ScriptInfo`` and
the test CLI runner.

Most tests run the implementation's CLI in process. A few start real processes,
each with a bounded wait: the shell reading standard input, a development server
fetched over HTTP, and ``python -m``. In process, Werkzeug's server is stopped
just before it would serve, so a command that should not start it cannot hang.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from importlib import metadata

import click
import pytest
import requests
import werkzeug.serving
from click.testing import CliRunner

from .apps.cli import (  # noqa: F401
    cli_sandbox,
    free_port,
    instance,
    parse_which,
    python_m,
    raw,
    run_cli,
    serving,
    write,
)

pytestmark = pytest.mark.needs("cli")

spec = pytest.mark.spec


class ServerStarted(Exception):
    """Werkzeug's development server was about to serve (in process)."""


@pytest.fixture
def server_blocked(monkeypatch):
    """Stop any in-process development server right before it serves, reporting
    the address it was bound to as ``ServerStarted(address)``."""

    def serve_forever(self, poll_interval=0.5):
        address = self.server_address
        self.server_close()
        raise ServerStarted(address)

    monkeypatch.setattr(werkzeug.serving.BaseWSGIServer, "serve_forever", serve_forever)


@pytest.fixture
def hello_app(app, flask):
    """The test app with a ``hello`` command that greets from the current app."""

    @app.cli.command("hello")
    def hello():
        """Say hello from the app."""
        click.echo(f"hello from {flask.current_app.name}")

    return app


# --- app.cli, AppGroup, with_appcontext --------------------------------------------


@spec("cli.app-commands")
def test_app_cli_is_an_app_group(submodule, app):
    assert isinstance(app.cli, submodule("cli").AppGroup)


@spec("cli.app-commands")
def test_app_cli_is_named_after_the_app(make_app):
    assert make_app("inventory").cli.name == "inventory"


@spec("cli.app-commands")
@pytest.mark.needs("test-client")
def test_app_command_runs_in_the_app_context(hello_app):
    result = hello_app.test_cli_runner().invoke(args=["hello"])
    assert (result.exit_code, result.output) == (0, f"hello from {hello_app.name}\n")


@spec("cli.app-commands")
@pytest.mark.parametrize("inside", [False, True], ids=["no-context", "inside-another-apps-context"])
def test_flask_command_gives_app_commands_and_their_parameters_the_apps_context(
    flask, run_cli, make_app, app, sync, inside
):
    # A plain click command (not wrapped by app.cli.command) and an option callback
    # both see the loaded app, even while another app's context is active.
    def tagged(ctx, param, value):
        return f"{value}@{flask.current_app.name}"

    @click.command("plain")
    @click.option("--who", default="me", callback=tagged)
    def plain(who):
        click.echo(f"{who} {flask.current_app.name}")

    app.cli.add_command(plain)
    if not inside:
        result = run_cli("plain", create_app=lambda: app)
    else:
        with sync.context(make_app(import_name="conformance_other").app_context()):
            result = run_cli("plain", create_app=lambda: app)
    assert (result.exit_code, result.output) == (0, f"me@{app.name} {app.name}\n")


@spec("cli.app-commands")
@pytest.mark.parametrize(
    ("args", "output"),
    [
        (["create-user", "ann"], "standard ann\n"),
        (["create-user", "ann", "--admin"], "admin ann\n"),
        (["create-user", "--admin", "bob"], "admin bob\n"),
    ],
)
@pytest.mark.needs("test-client")
def test_app_command_takes_click_arguments_and_options(app, args, output):
    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--admin", is_flag=True)
    def create_user(username, admin):
        click.echo(f"{'admin' if admin else 'standard'} {username}")

    result = app.test_cli_runner().invoke(args=args)
    assert (result.exit_code, result.output) == (0, output)


@spec("cli.command-teardown")
@pytest.mark.parametrize(("fails", "exit_code", "expected"), [(False, 0, None), (True, 1, "ValueError")])
@pytest.mark.needs("test-client")
def test_a_command_ends_its_app_context_with_teardown(flask, app, fails, exit_code, expected):
    seen = []
    app.teardown_appcontext(lambda exc: seen.append(("teardown", type(exc).__name__ if exc else None)))

    @app.cli.command("work")
    def work():
        flask.g.job = "running"
        seen.append(("command", flask.g.job))
        if fails:
            raise ValueError("boom")

    result = app.test_cli_runner().invoke(args=["work"])
    assert result.exit_code == exit_code
    assert seen == [("command", "running"), ("teardown", expected)]
    assert not flask.has_app_context()


@spec("cli.app-group")
@pytest.mark.parametrize(
    ("with_appcontext", "nested", "expected"),
    [(True, False, "True"), (False, False, "False"), (True, True, "True")],
    ids=["command", "without-context", "nested-group"],
)
@pytest.mark.needs("test-client")
def test_app_group_commands_get_the_app_context(flask, submodule, app, with_appcontext, nested, expected):
    group = submodule("cli").AppGroup("tools")
    owner = group.group("inner")(lambda: None) if nested else group

    @owner.command("probe", with_appcontext=with_appcontext)
    def probe():
        click.echo(str(flask.has_app_context()))

    args = ["inner", "probe"] if nested else ["probe"]
    result = app.test_cli_runner().invoke(group, args)
    assert (result.exit_code, result.output) == (0, f"{expected}\n")
    if nested:
        assert isinstance(owner, submodule("cli").AppGroup)


@spec("cli.with-appcontext")
@pytest.mark.needs("test-client")
def test_with_appcontext_runs_a_click_command_in_the_loaded_apps_context(flask, submodule, app):
    @click.command()
    @submodule("cli").with_appcontext
    def plain():
        click.echo(flask.current_app.name)

    assert app.test_cli_runner().invoke(plain).output == f"{app.name}\n"


def _script_info_recorder(cli, seen: list) -> click.Command:
    """A command that records the ScriptInfo pass_script_info hands it."""

    @click.command()
    @cli.pass_script_info
    def show(info):
        seen.append(info)

    return show


@spec("cli.with-appcontext")
@pytest.mark.needs("test-client")
def test_pass_script_info_hands_over_the_script_info(submodule, app):
    cli = submodule("cli")
    seen = []
    result = app.test_cli_runner().invoke(_script_info_recorder(cli, seen))
    assert result.exit_code == 0
    assert isinstance(seen[0], cli.ScriptInfo)
    assert seen[0].load_app() is app


@spec("cli.with-appcontext")
def test_pass_script_info_makes_one_when_none_is_there(submodule, cli_sandbox):
    cli = submodule("cli")
    seen = []
    result = CliRunner().invoke(_script_info_recorder(cli, seen))
    assert result.exit_code == 0, result.output
    assert isinstance(seen[0], cli.ScriptInfo)
    assert (seen[0].app_import_path, seen[0].create_app) == (None, None)


# --- FlaskGroup --------------------------------------------------------------------------


@spec("cli.flask-group")
def test_flask_group_create_app_supplies_the_app(run_cli, hello_app):
    result = run_cli("hello", create_app=lambda: hello_app)
    assert (result.exit_code, result.output) == (0, f"hello from {hello_app.name}\n")


@spec("cli.flask-group")
@pytest.mark.parametrize("args", [["hello"], ["--debug", "-e", "custom.env", "hello"]], ids=["plain", "group-options"])
def test_a_custom_script_groups_callback_takes_no_parameters(submodule, cli_sandbox, hello_app, args):
    # The documented custom script: @click.group(cls=FlaskGroup, ...) over a function
    # without parameters; the group's own options (--version, --app, -e, --debug)
    # hand it nothing.
    (cli_sandbox / "custom.env").write_text("")
    ran = []

    @click.group(cls=submodule("cli").FlaskGroup, create_app=lambda: hello_app)
    def cli():
        """Management script for the app."""
        ran.append("group")

    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.output, ran) == (0, f"hello from {hello_app.name}\n", ["group"])


@spec("cli.flask-group")
def test_a_flask_group_nested_in_another_group_keeps_its_parent_context(submodule, cli_sandbox, hello_app):
    @click.command("where")
    @click.pass_context
    def where(ctx):
        click.echo(ctx.find_root().info_name)

    outer = click.Group("manage")
    group = submodule("cli").FlaskGroup(create_app=lambda: hello_app)
    group.add_command(where)
    outer.add_command(group, "web")
    result = CliRunner().invoke(outer, ["web", "where"])
    assert (result.exit_code, result.output) == (0, "manage\n")


@spec("cli.flask-group")
def test_a_flask_group_invoked_without_a_command_runs_its_callback(submodule, cli_sandbox, hello_app):
    # invoke_without_command=True: no arguments is not a request for help.
    @click.group(cls=submodule("cli").FlaskGroup, create_app=lambda: hello_app, invoke_without_command=True)
    def cli():
        click.echo("no command given")

    result = CliRunner().invoke(cli, [])
    assert (result.exit_code, result.output) == (0, "no command given\n")


@spec("cli.flask-group")
@pytest.mark.parametrize(
    ("kwargs", "commands"),
    [({}, {"run", "shell", "routes"}), ({"add_default_commands": False}, set())],
)
def test_flask_group_adds_the_builtin_commands(submodule, kwargs, commands):
    assert set(submodule("cli").FlaskGroup(**kwargs).commands) == commands


@spec("cli.flask-group", "cli.test-cli-runner")
@pytest.mark.parametrize("handed_over", ["invoke-obj", "context-settings"])
def test_flask_group_uses_the_script_info_it_is_handed(submodule, cli_sandbox, hello_app, handed_over):
    cli = submodule("cli")
    if handed_over == "invoke-obj":  # the test runner passes its own ScriptInfo as obj=
        result = hello_app.test_cli_runner().invoke(cli.FlaskGroup(), ["hello"])
    else:
        info = cli.ScriptInfo(create_app=lambda: hello_app)
        result = CliRunner().invoke(cli.FlaskGroup(context_settings={"obj": info}), ["hello"])
    assert (result.exit_code, result.output) == (0, f"hello from {hello_app.name}\n")


@spec("cli.version")
def test_version_names_python_the_implementation_and_werkzeug(impl, run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0, result.output
    # An implementation without a known version (impl.version None) is not held to one.
    for version in (platform.python_version(), impl.version, metadata.version("werkzeug")):
        assert version is None or version in result.output


@spec("cli.version")
def test_version_answers_before_the_options_after_it_are_checked(run_cli):
    result = run_cli("--version", "--env-file", "missing.env")
    assert result.exit_code == 0, result.output
    assert platform.python_version() in result.output


@spec("cli.flask-group")
def test_flask_group_without_version_option_refuses_it(run_cli):
    assert run_cli("--version", add_version_option=False).exit_code == 2


@pytest.fixture
def plugin(cli_sandbox, monkeypatch):
    """An installed distribution (a dist-info folder on sys.path) that declares the
    command ``plugged`` under the ``flask.commands`` entry point group."""
    root = cli_sandbox / "site"
    info = root / "conformance_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: conformance-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[flask.commands]\nplugged = conformance_plugin:plugged\n")
    (root / "conformance_plugin.py").write_text(
        "import click\n\n\n@click.command()\ndef plugged():\n    \"\"\"A plugin's command.\"\"\"\n"
        "    click.echo('plugged in')\n"
    )
    monkeypatch.syspath_prepend(str(root))
    yield
    sys.modules.pop("conformance_plugin", None)


@spec("cli.plugin-commands")
@pytest.mark.parametrize("args", [["plugged"], ["--help"]], ids=["run", "help"])
def test_plugin_commands_join_the_builtin_ones(run_cli, plugin, args):
    # No app anywhere: like the built-in commands, a plugin's need none to be listed or run.
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    if args == ["plugged"]:
        assert result.output == "plugged in\n"
    else:
        assert _commands_listed(result.output)["plugged"] == "A plugin's command."


@spec("cli.builtins-first")
@pytest.mark.needs("test-client")
def test_an_app_command_named_run_does_not_replace_the_server(run_cli, app):
    @app.cli.command("run")
    def run():
        """The app's own run."""
        click.echo("custom run")

    assert "--port" in run_cli("run", "--help", create_app=lambda: app).output
    assert app.test_cli_runner().invoke(args=["run"]).output == "custom run\n"


def _commands_listed(help_text: str) -> dict[str, str]:
    """Command name -> its help line, from the 'Commands:' part of --help output."""
    section = help_text.split("Commands:", 1)[1]
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^  (\S+)[ \t]*(.*)$", section, re.M)}


@spec("cli.help")
def test_help_lists_builtin_and_app_commands(run_cli, hello_app):
    result = run_cli("--help", create_app=lambda: hello_app)
    assert result.exit_code == 0
    listed = _commands_listed(result.output)
    assert listed["hello"] == "Say hello from the app."
    assert {"run", "shell", "routes"} <= set(listed)


@spec("cli.help")
def test_help_works_when_the_app_does_not_load(run_cli):
    result = run_cli("--app", "nosuchmodule", "--help")
    assert result.exit_code == 0
    assert {"run", "shell", "routes"} <= set(_commands_listed(result.output))


@spec("cli.help")
def test_help_lists_the_commands_of_the_app_named_before_it(impl, run_cli, cli_sandbox):
    write(cli_sandbox, impl.module, {"hello.py": [instance("app")]})
    result = run_cli("--app", "hello", "--help")
    assert result.exit_code == 0, result.output
    assert _commands_listed(result.output)["which"] == "Say which app this is."


@spec("cli.help")
@pytest.mark.parametrize("args", [["--help"], []], ids=["lone-help", "no-arguments"])
@pytest.mark.parametrize(
    ("files", "env"),
    [({}, {"FLASK_APP": "hello"}), ({".flaskenv": "FLASK_APP=hello\n"}, {})],
    ids=["variable", "flaskenv"],
)
def test_help_lists_the_commands_of_the_app_named_by_the_environment(
    impl, run_cli, cli_sandbox, files, env, args, behaviour_at
):
    # Without a command the help comes before any option is processed, so FLASK_APP
    # (set or read from a dotenv file) must be honoured all the same.
    write(cli_sandbox, impl.module, {"hello.py": [instance("app")], **files})
    result = run_cli(*args, env=env)
    expected = "Say which app this is."
    if args:  # a lone --help has done so since 3.1 only
        expected = behaviour_at("cli.help", current=expected, before={"3.1": None})
    assert _commands_listed(result.output).get("which") == expected
    if args:  # with no arguments at all, exiting 0 or 2 is click's choice
        assert result.exit_code == 0, result.output


@spec("cli.help")
@pytest.mark.parametrize(
    ("files", "target", "shown"),
    [
        ({}, "nosuchmodule", ["Error: ", "nosuchmodule"]),
        ({"hello.py": [raw("raise LookupError('conformance boom')")]}, "hello", ["Traceback", "LookupError: conformance boom"]),
    ],
    ids=["app-not-found", "error-while-importing"],
)
def test_help_says_why_the_app_did_not_load(impl, run_cli, cli_sandbox, files, target, shown):
    write(cli_sandbox, impl.module, files)
    result = run_cli("--app", target, "--help")
    assert result.exit_code == 0, result.output
    for text in shown:
        assert text in _stderr(result)


def _stderr(result) -> str:
    """What the command wrote to standard error (click 8.2 and later keep it apart)."""
    try:
        return result.stderr
    except ValueError:  # an older click mixes it into the output
        pytest.skip("this click version does not keep standard error apart")


@spec("cli.discovery-errors")
def test_an_unknown_command_without_an_app_is_a_usage_error_saying_why(run_cli):
    # Not a built-in command, so the app is needed to look it up: its failure is shown.
    result = run_cli("--app", "nosuchmodule", "nosuchcommand")
    assert result.exit_code == 2, result.output
    assert "nosuchmodule" in _stderr(result) and "nosuchcommand" in _stderr(result)


# --- blueprint command groups ----------------------------------------------------------


@spec("cli.blueprint-groups", "blueprints.cli-group")
@pytest.mark.parametrize(
    ("bp_kwargs", "register_kwargs", "args"),
    [
        ({}, {}, ["auth", "reset"]),
        ({"cli_group": "users"}, {}, ["users", "reset"]),
        ({"cli_group": None}, {}, ["reset"]),
        ({}, {"cli_group": "admin"}, ["admin", "reset"]),
        ({"cli_group": "users"}, {"cli_group": None}, ["reset"]),
        ({}, {"name": "people"}, ["people", "reset"]),
    ],
    ids=["default", "named", "none", "register-named", "register-none", "registered-under-another-name"],
)
@pytest.mark.needs("test-client")
def test_blueprint_commands_are_grouped_as_cli_group_says(flask, app, bp_kwargs, register_kwargs, args):
    bp = flask.Blueprint("auth", __name__, **bp_kwargs)

    @bp.cli.command("reset")
    def reset():
        click.echo(f"reset in {flask.current_app.name}")

    app.register_blueprint(bp, **register_kwargs)
    result = app.test_cli_runner().invoke(args=args)
    assert (result.exit_code, result.output) == (0, f"reset in {app.name}\n")


@spec("cli.blueprint-groups")
def test_a_blueprint_without_commands_adds_no_group(flask, app):
    app.register_blueprint(flask.Blueprint("quiet", __name__))
    assert "quiet" not in app.cli.commands


# --- routes ----------------------------------------------------------------------------


@pytest.fixture
def routes_app(make_app):
    """Rules added as /zeta, /alpha, /mid, /alpha2, two of them for one endpoint; the
    URL map lists them by endpoint: /zeta, /alpha, /alpha2, /mid (no static route)."""
    app = make_app(static_folder=None)
    app.add_url_rule("/zeta", "alpha", methods=["POST", "PUT"])
    app.add_url_rule("/alpha", "zeta")
    app.add_url_rule("/mid/<int:x>", "mid", methods=["DELETE"])
    app.add_url_rule("/alpha2", "zeta", methods=["GET", "POST"])
    return app


def _routes_table(output: str) -> list[list[str]]:
    """Header and rows of the routes table, cells split on runs of 2+ spaces."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    assert set(lines[1]) <= {"-", " "}, output  # the rule under the header
    return [re.split(r"\s{2,}", line) for line in (lines[0], *lines[2:])]


@spec("cli.routes-sort")
@pytest.mark.parametrize(
    ("args", "rules"),
    [
        ([], ["/zeta", "/mid/<int:x>", "/alpha", "/alpha2"]),
        (["--sort", "endpoint"], ["/zeta", "/mid/<int:x>", "/alpha", "/alpha2"]),
        (["-s", "rule"], ["/alpha", "/alpha2", "/mid/<int:x>", "/zeta"]),
        (["-s", "methods"], ["/mid/<int:x>", "/alpha", "/alpha2", "/zeta"]),
        (["-s", "match"], ["/zeta", "/alpha", "/alpha2", "/mid/<int:x>"]),
    ],
    ids=["default", "endpoint", "rule", "methods", "match"],
)
def test_routes_sorts_rows(run_cli, routes_app, args, rules):
    result = run_cli("routes", *args, create_app=lambda: routes_app)
    assert result.exit_code == 0, result.output
    assert [row[-1] for row in _routes_table(result.output)[1:]] == rules


@spec("cli.routes-sort")
def test_routes_sorts_rows_by_domain(run_cli, make_app):
    app = make_app(static_folder=None, subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.com"
    app.add_url_rule("/one", "one", subdomain="zz")
    app.add_url_rule("/two", "two", subdomain="aa")
    app.add_url_rule("/three", "three")
    result = run_cli("routes", "--sort", "domain", create_app=lambda: app)
    assert result.exit_code == 0, result.output
    assert [row[-1] for row in _routes_table(result.output)[1:]] == ["/three", "/two", "/one"]


@spec("cli.routes-sort", "cli.option-envvars")
def test_routes_sort_can_come_from_the_environment(run_cli, routes_app):
    result = run_cli("routes", env={"FLASK_ROUTES_SORT": "rule"}, create_app=lambda: routes_app)
    assert [row[-1] for row in _routes_table(result.output)[1:]] == ["/alpha", "/alpha2", "/mid/<int:x>", "/zeta"]


@spec("cli.routes-sort")
def test_routes_refuses_an_unknown_sort(run_cli, routes_app):
    assert run_cli("routes", "-s", "size", create_app=lambda: routes_app).exit_code == 2


@spec("cli.routes")
@pytest.mark.parametrize(
    ("args", "methods"),
    [
        ([], ["POST, PUT", "DELETE", "GET", "GET, POST"]),
        (
            ["--all-methods"],
            ["OPTIONS, POST, PUT", "DELETE, OPTIONS", "GET, HEAD, OPTIONS", "GET, HEAD, OPTIONS, POST"],
        ),
    ],
    ids=["default", "all-methods"],
)
def test_routes_lists_endpoint_methods_and_rule(run_cli, routes_app, args, methods):
    table = _routes_table(run_cli("routes", "-s", "match", *args, create_app=lambda: routes_app).output)
    assert table == [
        ["Endpoint", "Methods", "Rule"],
        ["alpha", methods[0], "/zeta"],
        ["zeta", methods[2], "/alpha"],
        ["zeta", methods[3], "/alpha2"],
        ["mid", methods[1], "/mid/<int:x>"],
    ]


@spec("cli.routes")
def test_routes_says_so_when_there_are_none(run_cli, make_app):
    result = run_cli("routes", create_app=lambda: make_app(static_folder=None))
    assert result.exit_code == 0, result.output
    # Its wording is the implementation's own; a notice, not an empty table.
    assert result.output.strip() and "Endpoint" not in result.output


@spec("cli.routes")
@pytest.mark.parametrize(
    ("app_kwargs", "rule_kwargs", "column", "value"),
    [
        ({"subdomain_matching": True}, {"subdomain": "api"}, "Subdomain", "api"),
        ({"host_matching": True, "static_host": "example.com"}, {"host": "api.example.com"}, "Host", "api.example.com"),
    ],
    ids=["subdomain", "host"],
)
def test_routes_shows_the_domain_when_rules_have_one(run_cli, make_app, app_kwargs, rule_kwargs, column, value):
    app = make_app(**app_kwargs)
    app.config["SERVER_NAME"] = "example.com"
    app.add_url_rule("/a", "a", **rule_kwargs)
    table = _routes_table(run_cli("routes", "-s", "match", create_app=lambda: app).output)
    assert table[0] == ["Endpoint", "Methods", column, "Rule"]
    assert ["a", "GET", value, "/a"] in table


# --- shell -----------------------------------------------------------------------------


@spec("cli.shell-context")
@pytest.mark.needs("sync-contexts")
def test_make_shell_context_merges_processors_after_app_and_g(flask, app):
    app.shell_context_processor(lambda: {"answer": 42, "name": "first"})
    app.shell_context_processor(lambda: {"name": "second"})
    namespace = app.make_shell_context()
    assert set(namespace) == {"app", "g", "answer", "name"}
    assert namespace["app"] is app
    assert (namespace["answer"], namespace["name"]) == (42, "second")
    with app.app_context():
        namespace["g"].x = 1
        assert flask.g.x == 1


@spec("cli.shell", "cli.shell-context")
def test_shell_reads_stdin_in_the_app_context(impl, cli_sandbox):
    processor = raw("app.shell_context_processor(lambda: {'answer': 42})")
    write(cli_sandbox, impl.module, {"app.py": [instance("app"), processor]})
    stdin = (
        "print('NAMES', sorted(n for n in dir() if not n.startswith('_')))\n"
        f"from {impl.module} import current_app\n"
        "print('CONTEXT', current_app.config['MARKER'], answer)\n"
    )
    done = python_m(impl.module, "shell", cwd=cli_sandbox, input=stdin)
    assert done.returncode == 0, done.stderr
    assert "NAMES ['answer', 'app', 'g']" in done.stdout
    assert "CONTEXT app 42" in done.stdout


@spec("cli.shell-startup")
def test_shell_runs_the_startup_file_and_completes_over_its_own_names(impl, cli_sandbox):
    pytest.importorskip("readline")
    processor = raw("app.shell_context_processor(lambda: {'answer': 42})")
    write(cli_sandbox, impl.module, {"app.py": [instance("app"), processor]})
    startup = cli_sandbox / "startup.py"
    startup.write_text("from_startup = 'ran'\n")
    stdin = "print('STARTUP', from_startup)\nimport readline\nprint('COMPLETES', readline.get_completer()('answ', 0))\n"
    done = python_m(impl.module, "shell", cwd=cli_sandbox, input=stdin, env={"PYTHONSTARTUP": str(startup)})
    assert done.returncode == 0, done.stderr
    assert ("STARTUP ran" in done.stdout, "COMPLETES answer" in done.stdout) == (True, True), done.stdout + done.stderr
    # The interpreter's interactive hook ran too: the history file of the HOME python_m gives it.
    assert (cli_sandbox / ".python_history").exists()


# --- run and Flask.run -------------------------------------------------------------------


@spec("cli.run-options")
@pytest.mark.parametrize(
    "args",
    [
        ["--host", "127.0.0.1", "--port", "{port}"],
        ["-h", "127.0.0.1", "-p", "{port}", "--no-reload", "--no-debugger", "--without-threads"],
        ["--port", "{port}", "--debugger", "--with-threads", "--extra-files", "a:b", "--exclude-patterns", "*.tmp"],
    ],
    ids=["host-port", "short-and-off", "on-and-files"],
)
def test_run_options_parse_and_bind_the_server(run_cli, app, server_blocked, args):
    # (--reload is left out: in process the reloader would take over the test run.)
    port = free_port()
    result = run_cli("run", *(a.format(port=port) for a in args), create_app=lambda: app)
    assert isinstance(result.exception, ServerStarted), result.output
    assert result.exception.args[0][:2] == ("127.0.0.1", port)


@spec("cli.run-options")
@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ([], [], ("127.0.0.1", 5000, {"use_reloader": False, "use_debugger": False, "threaded": True})),
        (["--debug"], [], ("127.0.0.1", 5000, {"use_reloader": True, "use_debugger": True, "threaded": True})),
        ([], ["--debug"], ("127.0.0.1", 5000, {"use_reloader": True, "use_debugger": True, "threaded": True})),
        ([], ["--without-threads"], ("127.0.0.1", 5000, {"use_reloader": False, "threaded": False})),
        (
            [],
            ["--extra-files", f"a{os.pathsep}b", "--exclude-patterns", "*.tmp"],
            ("127.0.0.1", 5000, {"extra_files": ["a", "b"], "exclude_patterns": ["*.tmp"]}),
        ),
    ],
    ids=[
        "defaults", "debug-turns-on-reloader-and-debugger", "run-debug-too", "without-threads",
        "extra-files-and-exclude-patterns",
    ],
)
def test_run_hands_its_defaults_to_the_development_server(run_cli, submodule, app, monkeypatch, before, after, expected):
    # The command calls run_simple as its cli module holds it; a stand-in records the
    # call, so the default port is checked without binding it.
    calls = []
    monkeypatch.setattr(submodule("cli"), "run_simple", lambda *a, **kw: calls.append((a, kw)))
    result = run_cli(*before, "run", *after, create_app=lambda: app)
    assert result.exit_code == 0, result.output
    ((positional, keywords),) = calls
    host, port, settings = expected
    assert positional[:2] == (host, port)
    assert {k: keywords[k] for k in settings} == settings


@spec("cli.run-options", "cli.run-cert-key-parsed")
def test_run_hands_the_certificate_and_key_to_the_development_server(run_cli, submodule, app, cli_sandbox, monkeypatch):
    calls = []
    monkeypatch.setattr(submodule("cli"), "run_simple", lambda *a, **kw: calls.append((a, kw)))
    (cli_sandbox / "cert.pem").write_text("cert")
    (cli_sandbox / "key.pem").write_text("key")
    result = run_cli("run", "--cert", "cert.pem", "--key", "key.pem", create_app=lambda: app)
    assert result.exit_code == 0, result.output
    ((_, keywords),) = calls
    cert, key = keywords["ssl_context"]
    assert (os.path.basename(cert), os.path.basename(key)) == ("cert.pem", "key.pem")


@spec("cli.run-options", "cli.option-envvars")
def test_run_port_can_come_from_the_environment(run_cli, app, server_blocked):
    port = free_port()
    result = run_cli("run", env={"FLASK_RUN_PORT": str(port)}, create_app=lambda: app)
    assert isinstance(result.exception, ServerStarted), result.output
    assert result.exception.args[0][:2] == ("127.0.0.1", port)


@spec("cli.run-options")
@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--port", "abc"], {}),
        (["--key", "key.pem"], {}),
        (["--cert", "cert.pem"], {}),
        ([], {"FLASK_RUN_PORT": "abc"}),
    ],
    ids=["port-not-a-number", "key-without-cert", "cert-without-key", "port-variable-not-a-number"],
)
def test_run_refuses_bad_options(run_cli, cli_sandbox, app, server_blocked, args, env):
    (cli_sandbox / "key.pem").write_text("key")
    (cli_sandbox / "cert.pem").write_text("cert")
    result = run_cli("run", *args, env=env, create_app=lambda: app)
    assert result.exit_code == 2, result.output


@spec("cli.run-reloader-defers-load-errors")
def test_run_in_the_reloaders_process_shows_a_load_error_and_serves_it(run_cli, submodule, monkeypatch):
    # WERKZEUG_RUN_MAIN marks the reloader's child process: there the error is printed
    # at once, and the served app raises it again on each request.
    calls = []
    monkeypatch.setattr(submodule("cli"), "run_simple", lambda *a, **kw: calls.append(a))
    result = run_cli("--app", "nosuchmodule", "run", env={"WERKZEUG_RUN_MAIN": "true"})
    assert result.exit_code == 0, result.output
    assert "nosuchmodule" in _stderr(result)
    ((_, _, served),) = calls
    with pytest.raises(submodule("cli").NoAppException):
        served({}, lambda *args: None)


@spec("cli.discovery-errors")
def test_run_without_an_app_is_a_usage_error_before_serving(run_cli, server_blocked):
    result = run_cli("--app", "nosuchmodule", "run")
    assert not isinstance(result.exception, ServerStarted), result.output
    assert result.exit_code == 2, result.output
    assert "nosuchmodule" in _stderr(result)


@spec("cli.app-run")
def test_app_run_binds_the_given_host_and_port(app, cli_sandbox, server_blocked):
    port = free_port()
    with pytest.raises(ServerStarted) as started:
        app.run(host="127.0.0.1", port=port, use_reloader=False)
    assert started.value.args[0][:2] == ("127.0.0.1", port)


@spec("cli.app-run-ignored-by-cli")
def test_app_run_at_import_does_not_block_a_command(impl, run_cli, cli_sandbox, server_blocked):
    write(cli_sandbox, impl.module, {"app.py": [instance("app"), raw(f"app.run(port={free_port()})")]})
    result = run_cli("which")
    assert result.exit_code == 0, result.output
    assert parse_which(result.output)["app"] == "app"


@spec("cli.run-serves", "cli.python-m")
def test_run_serves_the_app_over_http(impl, cli_sandbox):
    write(cli_sandbox, impl.module, {"hello.py": [instance("app", "hello")]})
    port = free_port()
    argv = [sys.executable, "-m", impl.module, "--app", "hello", "run", "--host", "127.0.0.1", "--port", str(port)]
    with serving(argv, cli_sandbox, impl.module, port) as url:
        response = requests.get(url + "/", timeout=5)
    assert (response.status_code, response.text) == (200, "served hello")


@spec("cli.app-run")
def test_app_run_serves_the_app_over_http(impl, cli_sandbox):
    port = free_port()
    main = f"if __name__ == '__main__':\n    app.run(host='127.0.0.1', port={port})"
    write(cli_sandbox, impl.module, {"serve.py": [instance("app", "script"), raw(main)]})
    with serving([sys.executable, "serve.py"], cli_sandbox, impl.module, port) as url:
        response = requests.get(url + "/", timeout=5)
    assert (response.status_code, response.text) == (200, "served script")


@spec("cli.python-m")
def test_python_m_runs_the_command_line(impl, cli_sandbox):
    write(cli_sandbox, impl.module, {"hello.py": [instance("app", "hello")]})
    done = python_m(impl.module, "--app", "hello", "which", cwd=cli_sandbox)
    assert done.returncode == 0, done.stderr
    assert parse_which(done.stdout)["app"] == "hello"


# --- ScriptInfo ----------------------------------------------------------------------------


@spec("cli.script-info")
def test_script_info_calls_create_app_once_and_caches(submodule, app):
    calls = []
    info = submodule("cli").ScriptInfo(app_import_path="nosuchmodule", create_app=lambda: calls.append(1) or app)
    assert info.load_app() is app
    assert info.load_app() is app
    assert calls == [1]
    assert info.data == {}


@spec("cli.script-info", "cli.debug-option")
@pytest.mark.parametrize(("set_debug_flag", "expected"), [(True, True), (False, False)])
def test_script_info_applies_flask_debug_when_asked(submodule, app, monkeypatch, set_debug_flag, expected):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app.debug = False
    info = submodule("cli").ScriptInfo(create_app=lambda: app, set_debug_flag=set_debug_flag)
    assert info.load_app().debug is expected


# --- the test CLI runner ---------------------------------------------------------------------


@spec("cli.test-cli-runner")
@pytest.mark.needs("test-client")
def test_test_cli_runner_is_a_flask_cli_runner(submodule, app):
    runner = app.test_cli_runner()
    assert isinstance(runner, submodule("testing").FlaskCliRunner)
    assert runner.app is app


@spec("cli.test-cli-runner")
@pytest.mark.needs("test-client")
def test_test_cli_runner_class_gets_the_app_and_keyword_arguments(submodule, app):
    class Runner(submodule("testing").FlaskCliRunner):
        def __init__(self, app, **kwargs):
            self.received = kwargs
            super().__init__(app, **kwargs)

    app.test_cli_runner_class = Runner
    runner = app.test_cli_runner(env={"CONFORMANCE_VALUE": "x"})
    assert isinstance(runner, Runner)
    assert runner.received == {"env": {"CONFORMANCE_VALUE": "x"}}


@spec("cli.test-cli-runner")
@pytest.mark.needs("test-client")
def test_test_cli_runner_feeds_input_and_captures_exceptions(app):
    @app.cli.command("ask")
    def ask():
        name = click.prompt("name")
        if name == "boom":
            raise RuntimeError("boom")
        click.echo(f"hi {name}")

    runner = app.test_cli_runner()
    ok = runner.invoke(args=["ask"], input="ann\n")
    assert (ok.exit_code, ok.output.splitlines()[-1]) == (0, "hi ann")
    failed = runner.invoke(args=["ask"], input="boom\n")
    assert failed.exit_code == 1
    assert isinstance(failed.exception, RuntimeError)


@spec("cli.test-cli-runner")
@pytest.mark.needs("test-client")
def test_test_cli_runner_keeps_the_obj_it_is_given(app):
    seen = []

    @click.command()
    @click.pass_obj
    def show(obj):
        seen.append(obj)

    mine = object()
    result = app.test_cli_runner().invoke(show, obj=mine)
    assert (result.exit_code, seen) == (0, [mine])


@spec("cli.run-cert-key-parsed")
@pytest.mark.parametrize(
    "args",
    [
        ["--cert", "{file}"],
        ["--key", "{file}"],
        ["--cert", "adhoc", "--key", "{file}"],
        ["--cert", "{file}", "--key", "{folder}"],
    ],
    ids=["file-without-key", "key-without-cert", "key-beside-adhoc", "key-is-a-directory"],
)
def test_run_refuses_cert_and_key_mismatch_while_parsing(submodule, cli_sandbox, args):
    key_file = cli_sandbox / "key.pem"
    key_file.write_text("key")
    (cli_sandbox / "keys").mkdir()
    run_command = submodule("cli").run_command
    with pytest.raises(click.BadParameter):
        run_command.make_context("run", [a.format(file=key_file, folder=cli_sandbox / "keys") for a in args])


@spec("cli.run-cert-key-parsed")
def test_run_refuses_a_key_file_that_does_not_exist(submodule, cli_sandbox):
    cert = cli_sandbox / "cert.pem"
    cert.write_text("cert")
    with pytest.raises(click.BadParameter):
        submodule("cli").run_command.make_context("run", ["--cert", str(cert), "--key", str(cli_sandbox / "missing.pem")])


@spec("cli.run-cert-key-parsed")
@pytest.mark.parametrize("cert_first", [True, False], ids=["cert-first", "key-first"])
def test_run_pairs_a_certificate_file_with_its_key(submodule, cli_sandbox, cert_first):
    cert, key = cli_sandbox / "cert.pem", cli_sandbox / "key.pem"
    cert.write_text("cert")
    key.write_text("key")
    args = [["--cert", str(cert)], ["--key", str(key)]]
    ctx = submodule("cli").run_command.make_context("run", [*args[not cert_first], *args[cert_first]])
    assert ctx.params["cert"] == (str(cert), str(key))


@spec("cli.run-cert-values")
def test_run_resolves_relative_certificate_and_key_paths(submodule, cli_sandbox):
    (cli_sandbox / "cert.pem").write_text("cert")
    (cli_sandbox / "key.pem").write_text("key")
    ctx = submodule("cli").run_command.make_context("run", ["--cert", "cert.pem", "--key", "key.pem"])
    folder = os.path.realpath(cli_sandbox)
    assert ctx.params["cert"] == (os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem"))


# A module the cert option can import an SSLContext from (its text is lower case:
# the option lower-cases a value that is not a file before reading it).
_TLS_MODULE = "import ssl\ncontext = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\nnot_a_context = 'text'\n"


@spec("cli.run-cert-values")
@pytest.mark.parametrize(
    ("args", "cert"),
    [
        (["--cert", "adhoc"], "adhoc"),
        (["--cert", "AdHoc"], "adhoc"),
        (["--cert", "conformance_tls:context"], "context"),
        (["--cert", "conformance_tls.context"], "context"),
    ],
    ids=["adhoc", "adhoc-any-case", "sslcontext-import", "sslcontext-dotted-import"],
)
def test_run_takes_adhoc_or_an_imported_sslcontext_without_a_key(submodule, cli_sandbox, monkeypatch, args, cert):
    # "adhoc" needs the cryptography library; a stand-in module makes it importable.
    monkeypatch.setitem(sys.modules, "cryptography", type(sys)("cryptography"))
    (cli_sandbox / "conformance_tls.py").write_text(_TLS_MODULE)
    monkeypatch.syspath_prepend(str(cli_sandbox))
    # A copy: click's parser consumes the list it is given, and the table's lists are
    # shared by every implementation the run tests.
    ctx = submodule("cli").run_command.make_context("run", list(args))
    value = ctx.params["cert"]
    expected = sys.modules["conformance_tls"].context if cert == "context" else cert
    assert value is expected or value == expected


@spec("cli.run-cert-values")
@pytest.mark.parametrize(
    "args",
    [
        ["--cert", "conformance_tls:context", "--key", "{key}"],
        ["--cert", "conformance_tls:not_a_context"],
        ["--cert", "no_such_module_here:context"],
        ["--cert", "{folder}", "--key", "{key}"],
        ["--cert", "adhoc", "--no-cryptography"],
        ["--cert", "adhoc", "--key", "{key}"],
        ["--cert", "{key}", "--key", "{key}", "--no-ssl"],
        ["--key", "{key}", "--no-ssl"],
    ],
    ids=[
        "key-beside-sslcontext", "not-an-sslcontext", "import-fails", "cert-is-a-directory",
        "adhoc-without-cryptography", "key-beside-adhoc", "cert-without-ssl", "key-without-ssl",
    ],
)
def test_run_refuses_cert_values_it_cannot_use(submodule, cli_sandbox, monkeypatch, args):
    key = cli_sandbox / "key.pem"
    key.write_text("key")
    (cli_sandbox / "certs").mkdir()
    (cli_sandbox / "conformance_tls.py").write_text(_TLS_MODULE)
    monkeypatch.syspath_prepend(str(cli_sandbox))
    # None in sys.modules makes "import cryptography" fail; a module makes it succeed.
    crypto = None if "--no-cryptography" in args else type(sys)("cryptography")
    monkeypatch.setitem(sys.modules, "cryptography", crypto)
    argv = [a.format(key=key, folder=cli_sandbox / "certs") for a in args if a not in ("--no-cryptography", "--no-ssl")]
    if "--no-ssl" in args:  # a Python built without the ssl module
        monkeypatch.setitem(sys.modules, "ssl", None)
    with pytest.raises(click.BadParameter):
        submodule("cli").run_command.make_context("run", argv)


@spec("cli.run-simple-looked-up")
def test_app_run_calls_the_run_simple_werkzeug_serving_holds(app, monkeypatch, server_blocked):
    calls = []
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *args, **kwargs: calls.append(args))
    app.run(host="127.0.0.1", port=5123, use_reloader=False)
    assert calls == [("127.0.0.1", 5123, app)]

