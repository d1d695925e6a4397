"""The ``flask``-style command line: :class:`ScriptInfo`, the :class:`AppGroup` and
:class:`FlaskGroup` command groups, the global options (``--app``, ``-e``,
``--debug``, ``--version``) and the built-in ``run``, ``shell`` and ``routes``
commands. Click parses; this module wires it to the application.

Finding the app and reading dotenv files live in :mod:`shim._discovery`, the work
of the built-in commands in :mod:`shim._commands`; their public names are
re-exported here. Nothing imports :mod:`shim.app` at load time, because the app
module imports this one for :attr:`Flask.cli`.
"""

from __future__ import annotations

import functools
import os
import platform
import traceback
import typing as t
from importlib import metadata

import click
from click.core import ParameterSource
from werkzeug.serving import run_simple  # noqa: F401  (the run command calls it from here: patchable)

from . import _commands
from ._commands import CertParamType as CertParamType
from ._commands import SeparatedPathType as SeparatedPathType
from ._commands import run_app as _run_app  # noqa: F401  (Flask.run's body, imported by shim.app)
from ._commands import show_server_banner as show_server_banner
from ._discovery import NoAppException as NoAppException
from ._discovery import dotenv_available, load_target
from ._discovery import find_app_by_string as find_app_by_string
from ._discovery import find_best_app as find_best_app
from ._discovery import load_dotenv as load_dotenv
from ._discovery import locate_app as locate_app
from ._discovery import prepare_import as prepare_import
from .globals import current_app
from .helpers import get_debug_flag, get_load_dotenv

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class ScriptInfo:
    """How a command gets its application: a ``create_app`` callable or an import
    path (``--app``), else the default files. The app is loaded on first use and
    kept; ``set_debug_flag`` makes FLASK_DEBUG decide its debug mode."""

    def __init__(self, app_import_path: str | None = None, create_app: t.Callable[..., Flask] | None = None,
                 set_debug_flag: bool = True, load_dotenv_defaults: bool = True) -> None:
        self.app_import_path = app_import_path
        self.create_app = create_app
        self.set_debug_flag = set_debug_flag
        #: Whether ``.env``/``.flaskenv`` are read; a truthy FLASK_SKIP_DOTENV vetoes it.
        self.load_dotenv_defaults = get_load_dotenv(load_dotenv_defaults)
        #: Free for whoever drives the command line to keep things in.
        self.data: dict[t.Any, t.Any] = {}
        self._app: Flask | None = None

    def load_app(self) -> Flask:
        """The application (the same object on every call after the first)."""
        if self._app is None:
            app = self._obtain()
            if self.set_debug_flag:
                # The variable (set by --debug, the environment or a dotenv file)
                # overrides whatever the app's own code chose.
                app.debug = get_debug_flag()
            self._app = app
        return self._app

    def _obtain(self) -> Flask:
        if self.create_app is None:
            return load_target(self.app_import_path)
        app = self.create_app()
        if app is None:
            raise NoAppException("The 'create_app' callable given to the command line returned None.")
        return app


#: Decorator handing the current :class:`ScriptInfo` to a command as its first argument.
pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: F) -> F:
    """Wrap a click callback so it runs inside the app context of the application
    the command's :class:`ScriptInfo` loads (unless an app context is already active)."""

    @functools.wraps(f)
    def in_app_context(*args: t.Any, **kwargs: t.Any) -> t.Any:
        if not current_app:
            ctx = click.get_current_context()
            app = ctx.ensure_object(ScriptInfo).load_app()
            ctx.with_resource(app.app_context())
        return f(*args, **kwargs)

    return t.cast(F, in_app_context)


class AppGroup(click.Group):
    """A click group for application commands: :meth:`command` runs callbacks in the
    app context (pass ``with_appcontext=False`` to opt out) and :meth:`group` makes
    nested AppGroups."""

    def command(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Command]:
        """:meth:`click.Group.command`, with the callback wrapped in :func:`with_appcontext`."""
        in_context = kwargs.pop("with_appcontext", True)
        register = super().command(*args, **kwargs)
        if not in_context:
            return register  # type: ignore[return-value]
        return lambda f: register(with_appcontext(f))  # type: ignore[no-any-return]

    def group(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Group]:
        """:meth:`click.Group.group`, making an :class:`AppGroup` unless ``cls`` says otherwise."""
        return super().group(*args, **{"cls": AppGroup, **kwargs})  # type: ignore[no-any-return]


# --- the global options ----------------------------------------------------------------


def get_version(ctx: click.Context, param: click.Parameter, value: t.Any) -> None:
    """The ``--version`` callback: print the Python, Flask API (with the shim's own
    version) and Werkzeug versions, then exit."""
    if not value or ctx.resilient_parsing:
        return
    from . import _FLASK_VERSION  # the package, complete by the time a command runs

    found = {}
    for label, distribution in (("shim", "flask-conformance"), ("Werkzeug", "werkzeug")):
        try:
            found[label] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            found[label] = "(unknown version)"
    report = {
        "Python": platform.python_version(),
        "Flask": f"{_FLASK_VERSION} (the API as implemented by shim {found['shim']})",
        "Werkzeug": found["Werkzeug"],
    }
    click.echo("\n".join(f"{label} {number}" for label, number in report.items()), color=ctx.color)
    ctx.exit()


def _read_env_files(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``-e``: read the given file, and the default ones unless they are switched off."""
    defaults = ctx.ensure_object(ScriptInfo).load_dotenv_defaults
    if value is not None and not dotenv_available():
        raise click.BadParameter("reading an env file requires python-dotenv to be installed.", ctx=ctx, param=param)
    if value is not None or defaults:
        load_dotenv(value, load_defaults=defaults)
    return value


def _remember_target(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--app`` / FLASK_APP: tell the ScriptInfo where the app is."""
    if value is not None:
        ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


#: Where a value counts as chosen by the user (a default must leave FLASK_DEBUG alone).
_CHOSEN = frozenset({ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT, ParameterSource.PROMPT})


def _export_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool | None:
    """``--debug/--no-debug``: publish the choice as FLASK_DEBUG, which load_app reads."""
    if ctx.get_parameter_source(t.cast(str, param.name)) not in _CHOSEN:
        return None
    os.environ["FLASK_DEBUG"] = str(int(bool(value)))
    return value


def _hidden_option(decls: list[str], callback: t.Callable[..., t.Any], help: str, **attrs: t.Any) -> click.Option:
    """An option that only acts through its callback (no value reaches the command)."""
    return click.Option(decls, callback=callback, help=help, expose_value=False, **attrs)


version_option = _hidden_option(
    ["--version"], get_version, "Print the Python, Flask API (shim) and Werkzeug versions and exit.", is_flag=True, is_eager=True
)
# Eager, and declared in this order: a dotenv file may set FLASK_APP for --app to read.
_env_file_option = _hidden_option(
    ["-e", "--env-file"], _read_env_files,
    "Read more variables from FILE (python-dotenv required). They beat '.env' and "
    "'.flaskenv' but never a variable that is already set.",
    type=click.Path(exists=True, dir_okay=False), is_eager=True,
)
_app_option = _hidden_option(
    ["-A", "--app"], _remember_target,
    "The application: a module name or file path, optionally with ':variable' or "
    "':factory(arguments)'. Without it: app, application, create_app or make_app.",
    metavar="IMPORT", envvar="FLASK_APP", is_eager=True,
)
_debug_option = _hidden_option(
    ["--debug/--no-debug"], _export_debug, "Switch debug mode on or off (sets FLASK_DEBUG).", envvar="FLASK_DEBUG"
)


# --- the built-in commands --------------------------------------------------------------


def _builtin(name: str, callback: t.Callable[..., t.Any], summary: str, text: str, *params: click.Parameter) -> click.Command:
    """A built-in command: ``summary`` is its line in the group's help, ``text`` its own help."""
    return click.Command(name, callback=callback, short_help=summary, help=text, params=list(params))


run_command = _builtin(
    "run", pass_script_info(_commands.serve), "Start the development server.",
    "Serve the app with Werkzeug's development server, for development only: it is "
    "not built for production use. Debug mode (--debug) turns on the reloader and the debugger.",
    _debug_option,
    click.Option(["--host", "-h"], default="127.0.0.1", help="Address to listen on."),
    click.Option(["--port", "-p"], default=5000, help="Port to listen on."),
    click.Option(
        ["--cert"], type=CertParamType(), is_eager=True,
        help="Serve HTTPS with this certificate file, 'adhoc', or an SSLContext import path.",
    ),
    click.Option(
        ["--key"], type=click.Path(exists=True, dir_okay=False, resolve_path=True),
        callback=_commands.pair_key_with_cert,
        help="Private key file belonging to a '--cert' file.",
    ),
    click.Option(["--reload/--no-reload"], default=None, help="Restart when code changes (default: debug mode)."),
    click.Option(["--debugger/--no-debugger"], default=None, help="Interactive debugger (default: debug mode)."),
    click.Option(["--with-threads/--without-threads"], default=True, help="Handle each request in its own thread."),
    click.Option(["--extra-files"], type=SeparatedPathType(), help="More files whose change restarts the server."),
    click.Option(["--exclude-patterns"], type=SeparatedPathType(), help="fnmatch patterns the reloader ignores."),
)

shell_command = _builtin(
    "shell", with_appcontext(_commands.interactive_shell), "Start an interactive interpreter with the app loaded.",
    "Start an interactive Python interpreter inside the application's context, "
    "with the names from the app's shell context processors.",
)

#: The ``routes --sort`` choices: a column, or ``match`` for the URL map's own order.
_ROUTE_ORDERS = ("endpoint", "methods", "domain", "rule", "match")

routes_command = _builtin(
    "routes", with_appcontext(_commands.print_routes), "List the app's URL rules.",
    "Print every URL rule with its endpoint and HTTP methods.",
    click.Option(["--sort", "-s"], type=click.Choice(_ROUTE_ORDERS), default="endpoint",
                 help="Column to order rows by; 'match' keeps the URL map's order."),
    click.Option(["--all-methods"], is_flag=True, help="Include HEAD and OPTIONS."),
)

_BUILTIN_COMMANDS = (run_command, shell_command, routes_command)

#: The entry point group under which installed distributions add commands (the name is
#: part of the documented interface, so plugins written for Flask work unchanged).
PLUGIN_GROUP = "flask.commands"


# --- the top-level group ---------------------------------------------------------------


def _report(text: str) -> None:
    click.secho(f"{text}\n", err=True, fg="red")


class FlaskGroup(AppGroup):
    """The group behind the ``flask`` command: the global options, the built-in
    commands, then the loaded app's own commands (built-ins are looked up first,
    so the app cannot shadow them). Options also read ``FLASK_<COMMAND>_<OPTION>``
    environment variables."""

    def __init__(self, add_default_commands: bool = True, create_app: t.Callable[..., Flask] | None = None,
                 add_version_option: bool = True, load_dotenv: bool = True, set_debug_flag: bool = True,
                 **extra: t.Any) -> None:
        own = [_env_file_option, _app_option, _debug_option, *([version_option] if add_version_option else [])]
        extra["params"] = [*(extra.get("params") or ()), *own]
        extra["context_settings"] = {"auto_envvar_prefix": "FLASK", **(extra.get("context_settings") or {})}
        super().__init__(**extra)
        # Kept on the group and read per invocation, so a caller may still change them.
        self.create_app, self.load_dotenv, self.set_debug_flag = create_app, load_dotenv, set_debug_flag
        for command in _BUILTIN_COMMANDS if add_default_commands else ():
            self.add_command(command)
        self._plugins_added = False

    def _add_plugin_commands(self) -> None:
        """Add the commands installed distributions declare under the ``flask.commands``
        entry point group, beside the built-in ones; once, when first needed."""
        if self._plugins_added:
            return
        for entry in metadata.entry_points(group=PLUGIN_GROUP):
            self.add_command(entry.load(), entry.name)
        self._plugins_added = True

    def _app_or_none(self, ctx: click.Context, also_report: tuple[type[Exception], ...] = ()) -> Flask | None:
        """The app, or None after telling the user why it did not load. A missing app
        is always reported; other failures only when listed in ``also_report``."""
        try:
            return ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException as error:
            _report(f"Error: {error.format_message()}")
        except also_report:
            _report(traceback.format_exc())
        return None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """A built-in or plugin command, else the app's command called ``name``."""
        self._add_plugin_commands()
        found = super().get_command(ctx, name)
        return found if found is not None else self._app_command(ctx, name)

    def _app_command(self, ctx: click.Context, name: str) -> click.Command | None:
        app = self._app_or_none(ctx)
        if app is None:
            return None
        # Parameter callbacks of the app's commands may already need current_app.
        active = current_app._get_current_object() if current_app else None  # type: ignore[attr-defined]
        if active is not app:
            ctx.with_resource(app.app_context())
        return app.cli.get_command(ctx, name)  # type: ignore[no-any-return]

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Built-in and app command names, sorted. Help must work even when the app
        does not load, so any failure is only reported."""
        self._add_plugin_commands()
        names = set(super().list_commands(ctx))
        app = self._app_or_none(ctx, also_report=(Exception,))
        if app is not None:
            names.update(app.cli.list_commands(ctx))
        return sorted(names)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: t.Any
    ) -> click.Context:
        """Click's context, carrying a fresh :class:`ScriptInfo` unless an ``obj`` is supplied."""
        if "obj" not in {**self.context_settings, **extra}:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app, set_debug_flag=self.set_debug_flag, load_dotenv_defaults=self.load_dotenv
            )
        # Flask.run() checks this, so a stray app.run() cannot block the command.
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Click's parsing; for a bare help request, the env files and the app location
        are read first, since help exits before their callbacks would run and the
        app's commands belong in the listing."""
        if self._help_only(ctx, args):
            for option in (_env_file_option, _app_option):
                option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)

    def _help_only(self, ctx: click.Context, args: list[str]) -> bool:
        match args:
            case []:
                return bool(self.no_args_is_help)
            case [single]:
                return single in self.get_help_option_names(ctx)
        return False


cli = FlaskGroup(
    name="flask",
    help="""Run commands for an application written against the Flask API, served by the shim.

    The application comes from '--app', the FLASK_APP variable, or else the module
    wsgi or app in the working directory. With python-dotenv installed, the '.env'
    and '.flaskenv' files are read first.
    """,
)


def main() -> None:
    """Entry point of ``python -m shim``."""
    cli.main()
