"""The command line: finding the application (``--app``, ``FLASK_APP``, ``wsgi.py``,
``app.py``), dotenv files, :class:`FlaskGroup` and :class:`AppGroup`, and the
built-in ``run``, ``shell`` and ``routes`` commands. Click does the parsing.

Nothing here imports :mod:`shim.app` at import time: the app module imports this
one for :attr:`Flask.cli`, so the app class is fetched lazily where it is needed.
"""

from __future__ import annotations

import ast
import collections.abc as cabc
import importlib
import inspect
import os
import platform
import re
import ssl
import sys
import traceback
import typing as t
from functools import update_wrapper
from importlib import metadata

import click
from click.core import ParameterSource
from werkzeug.serving import is_running_from_reloader, run_simple
from werkzeug.utils import import_string

from .globals import current_app
from .helpers import get_debug_flag, get_load_dotenv

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: Attribute names tried, in order, for an app instance and then for a factory.
_APP_NAMES = ("app", "application")
_FACTORY_NAMES = ("create_app", "make_app")
#: ``path:name`` splits at the first colon that does not start a Windows path
#: (``C:\\x``), so a drive letter stays part of the path.
_IMPORT_SPLIT = re.compile(r":(?![\\/])")


class NoAppException(click.UsageError):
    """The application could not be found or loaded; click shows it as a usage error."""


def _flask_class() -> type[Flask]:
    from .app import Flask

    return Flask


def prepare_import(path: str) -> str:
    """Turn a file or module path into an importable dotted name, putting the
    folder above its outermost package first on ``sys.path``."""
    path = os.path.realpath(path)
    stem, ext = os.path.splitext(path)
    if ext == ".py":
        path = stem
    if os.path.basename(path) == "__init__":
        path = os.path.dirname(path)
    parts: list[str] = []
    # Climb while the folder is a package, so pkg/sub/mod.py imports as pkg.sub.mod.
    while True:
        path, name = os.path.split(path)
        parts.append(name)
        if not os.path.isfile(os.path.join(path, "__init__.py")):
            break
    if sys.path[:1] != [path]:
        sys.path.insert(0, path)
    return ".".join(reversed(parts))


def _call(factory: t.Callable[..., t.Any], args: tuple[t.Any, ...], kwargs: dict[str, t.Any], fail: str) -> t.Any:
    """Call ``factory``; arguments its signature refuses raise :class:`NoAppException`
    with ``fail``, while a TypeError from inside the factory propagates as itself."""
    try:
        inspect.signature(factory).bind(*args, **kwargs)
    except TypeError:
        raise NoAppException(fail) from None
    except ValueError:  # no signature to check against: let the call decide
        pass
    return factory(*args, **kwargs)


def find_best_app(module: t.Any) -> Flask:
    """The app a module offers: ``app`` or ``application``, else its only app
    instance, else what ``create_app()`` or ``make_app()`` returns."""
    flask_class = _flask_class()
    name = module.__name__
    for attr in _APP_NAMES:
        candidate = getattr(module, attr, None)
        if isinstance(candidate, flask_class):
            return candidate
    instances = list({id(v): v for v in vars(module).values() if isinstance(v, flask_class)}.values())
    if len(instances) == 1:
        return instances[0]
    if instances:
        raise NoAppException(
            f"Module {name!r} holds {len(instances)} applications and none is called 'app'; "
            f"choose one with '--app {name}:<variable>'."
        )
    for attr in _FACTORY_NAMES:
        factory = getattr(module, attr, None)
        if inspect.isfunction(factory):
            app = _call(
                factory,
                (),
                {},
                f"The factory {attr!r} in module {name!r} needs arguments; "
                f"pass them with '--app {name}:{attr}(...)'.",
            )
            if isinstance(app, flask_class):
                return app
    raise NoAppException(
        f"No application or application factory found in module {name!r}; "
        f"name one with '--app {name}:<name>'."
    )


def _parse_app_name(text: str) -> tuple[str, tuple[t.Any, ...] | None, dict[str, t.Any]]:
    """``name`` or ``name(literal, key=literal)`` -> (name, args or None, kwargs)."""
    try:
        expr = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        expr = None
    if isinstance(expr, ast.Name):
        return expr.id, None, {}
    if not isinstance(expr, ast.Call):
        raise NoAppException(f"Cannot read {text!r}: expected a variable name or a call such as 'create_app()'.")
    if not isinstance(expr.func, ast.Name):
        raise NoAppException(f"Cannot read {text!r}: the called factory must be a plain name.")
    try:
        args = tuple(ast.literal_eval(arg) for arg in expr.args)
        kwargs = {}
        for keyword in expr.keywords:
            if keyword.arg is None:  # **mapping cannot be a literal argument
                raise ValueError(keyword)
            kwargs[keyword.arg] = ast.literal_eval(keyword.value)
    except ValueError:
        raise NoAppException(f"Cannot read {text!r}: factory arguments must be Python literals.") from None
    return expr.func.id, args, kwargs


def find_app_by_string(module: t.Any, app_name: str) -> Flask:
    """The app named by ``app_name`` in ``module``: a variable, or a factory called
    with the literal arguments written after it (none when no parentheses)."""
    flask_class = _flask_class()
    attr_name, args, kwargs = _parse_app_name(app_name)
    try:
        attr = getattr(module, attr_name)
    except AttributeError:
        raise NoAppException(f"Module {module.__name__!r} has no attribute {attr_name!r}.") from None
    app = attr
    if inspect.isfunction(attr):
        app = _call(
            attr,
            args or (),
            kwargs,
            f"The factory {attr_name!r} in module {module.__name__!r} does not accept the "
            f"arguments given in {app_name!r}.",
        )
    if isinstance(app, flask_class):
        return app
    raise NoAppException(f"'{module.__name__}:{app_name}' did not give an application object.")


def _format_inner_error(error: BaseException) -> str:
    """The traceback of ``error`` from the first frame outside this module and importlib."""
    tb = error.__traceback__
    while tb is not None and (
        tb.tb_frame.f_code.co_filename == __file__
        or tb.tb_frame.f_code.co_filename.startswith("<frozen importlib")
        or tb.tb_frame.f_globals.get("__name__") == "importlib"
    ):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


def _module_is_missing(error: ImportError, module_name: str) -> bool:
    """Whether ``error`` says ``module_name`` itself (or a parent package) does not
    exist, as opposed to an import that failed inside its code."""
    missing = error.name if isinstance(error, ModuleNotFoundError) else None
    return missing is not None and (module_name == missing or module_name.startswith(missing + "."))


def locate_app(module_name: str, app_name: str | None, raise_if_not_found: bool = True) -> Flask | None:
    """Import ``module_name`` and find its app (by ``app_name`` when given); None
    when the module does not exist and ``raise_if_not_found`` is false."""
    try:
        importlib.import_module(module_name)
    except ImportError as error:
        if not _module_is_missing(error, module_name):
            # The module exists but its own imports failed: show the real cause.
            raise NoAppException(
                f"Importing {module_name!r} failed inside the module:\n\n{_format_inner_error(error)}"
            ) from error
        if raise_if_not_found:
            raise NoAppException(f"No module named {module_name!r} could be imported.") from None
        return None
    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)


def get_version(ctx: click.Context, param: click.Parameter, value: t.Any) -> None:
    """The ``--version`` callback: print Python's, the shim's and Werkzeug's versions."""
    if not value or ctx.resilient_parsing:
        return
    lines = [f"Python {platform.python_version()}"]
    for label, dist in (("shim", "flask-conformance"), ("Werkzeug", "werkzeug")):
        try:
            lines.append(f"{label} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{label} (version unknown)")
    click.echo("\n".join(lines), color=ctx.color)
    ctx.exit()


version_option = click.Option(
    ["--version"],
    help="Show the versions of Python, the shim and Werkzeug, then exit.",
    expose_value=False,
    callback=get_version,
    is_flag=True,
    is_eager=True,
)


class ScriptInfo:
    """What a command needs to load the application: an import string or a
    factory, and whether ``FLASK_DEBUG`` sets its debug flag. Loads it once."""

    def __init__(
        self,
        app_import_path: str | None = None,
        create_app: t.Callable[..., Flask] | None = None,
        set_debug_flag: bool = True,
        load_dotenv_defaults: bool = True,
    ) -> None:
        self.app_import_path = app_import_path
        self.create_app = create_app
        #: Free storage for whoever drives the CLI.
        self.data: dict[t.Any, t.Any] = {}
        self.set_debug_flag = set_debug_flag
        #: Whether ``.env``/``.flaskenv`` are read; ``FLASK_SKIP_DOTENV`` can veto it.
        self.load_dotenv_defaults = get_load_dotenv(load_dotenv_defaults)
        self._loaded_app: Flask | None = None

    def load_app(self) -> Flask:
        """The application: from ``create_app``, the import path, or ``wsgi.py`` /
        ``app.py`` in the current folder; the same object on later calls."""
        if self._loaded_app is not None:
            return self._loaded_app
        app: Flask | None = None
        if self.create_app is not None:
            app = self.create_app()
        elif self.app_import_path:
            path, *name = _IMPORT_SPLIT.split(self.app_import_path, maxsplit=1)
            app = locate_app(prepare_import(path), name[0] if name else None)
        else:
            for default in ("wsgi.py", "app.py"):
                app = locate_app(prepare_import(default), None, raise_if_not_found=False)
                if app is not None:
                    break
        if app is None:
            raise NoAppException(
                "No application found: name one with '--app' or FLASK_APP, "
                "or put a 'wsgi.py' or 'app.py' in the current folder."
            )
        if self.set_debug_flag:
            # FLASK_DEBUG (or --debug, which sets it) decides, even over the app's own config.
            app.debug = get_debug_flag()
        self._loaded_app = app
        return app


#: Pass the current :class:`ScriptInfo` as the first argument of a command.
pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: F) -> F:
    """Run a click callback inside the app context of the app the ScriptInfo loads,
    unless one is already active."""

    @click.pass_context
    def decorator(ctx: click.Context, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        if not current_app:
            app = ctx.ensure_object(ScriptInfo).load_app()
            ctx.with_resource(app.app_context())
        return ctx.invoke(f, *args, **kwargs)

    return update_wrapper(decorator, f)  # type: ignore[return-value]


class AppGroup(click.Group):
    """A click group whose commands run in the app context (``with_appcontext=False``
    opts out) and whose sub-groups are AppGroups too."""

    def command(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Command]:
        """Like :meth:`click.Group.command`, wrapping the callback in :func:`with_appcontext`."""
        wrap = kwargs.pop("with_appcontext", True)

        def decorator(f: t.Callable[..., t.Any]) -> click.Command:
            if wrap:
                f = with_appcontext(f)
            return click.Group.command(self, *args, **kwargs)(f)  # type: ignore[no-any-return]

        return decorator

    def group(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Group]:
        """Like :meth:`click.Group.group`, defaulting the class to :class:`AppGroup`."""
        kwargs.setdefault("cls", AppGroup)
        return click.Group.group(self, *args, **kwargs)  # type: ignore[no-any-return]


def _set_app(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool | None:
    # An absent flag reads as False; only an explicit flag (or FLASK_DEBUG read
    # through it) may set the variable that get_debug_flag() consults.
    source = ctx.get_parameter_source(param.name)  # type: ignore[arg-type]
    if source in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP):
        return None
    os.environ["FLASK_DEBUG"] = "1" if value else "0"
    return value


def _env_file_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if ctx.resilient_parsing:
        return value
    defaults = ctx.ensure_object(ScriptInfo).load_dotenv_defaults
    if value is None and not defaults:
        return None
    try:
        import dotenv  # noqa: F401
    except ImportError:
        if value is not None:
            raise click.BadParameter("loading an env file needs python-dotenv.", ctx=ctx, param=param) from None
        return None
    load_dotenv(value, load_defaults=defaults)
    return value


# Eager, in this order: the env file may set FLASK_APP, which --app then reads.
_env_file_option = click.Option(
    ["-e", "--env-file"],
    type=click.Path(exists=True, dir_okay=False),
    help="Read environment variables from FILE; they win over '.env' and '.flaskenv' "
    "but not over variables already set. Needs python-dotenv.",
    is_eager=True,
    expose_value=False,
    callback=_env_file_callback,
)
_app_option = click.Option(
    ["-A", "--app"],
    metavar="IMPORT",
    envvar="FLASK_APP",
    help="Where the app is: 'module' or a file path, optionally ':name' for a variable or "
    "':factory(args)' for a factory. Defaults look for app, application, create_app, make_app.",
    is_eager=True,
    expose_value=False,
    callback=_set_app,
)
_debug_option = click.Option(
    ["--debug/--no-debug"],
    envvar="FLASK_DEBUG",
    help="Turn debug mode on or off (sets FLASK_DEBUG).",
    expose_value=False,
    callback=_set_debug,
)


class FlaskGroup(AppGroup):
    """The top-level command group: ``--app``, ``-e``, ``--debug`` and ``--version``,
    the built-in ``run``/``shell``/``routes``, and then the app's own commands.

    Built-in commands are looked up first, so an app command cannot shadow them.
    Option defaults come from ``FLASK_<COMMAND>_<OPTION>`` environment variables.
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: t.Callable[..., Flask] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        params = [*(extra.pop("params", None) or ()), _env_file_option, _app_option, _debug_option]
        if add_version_option:
            params.append(version_option)
        settings = dict(extra.pop("context_settings", None) or {})
        settings.setdefault("auto_envvar_prefix", "FLASK")
        super().__init__(params=params, context_settings=settings, **extra)
        self.create_app = create_app
        self.load_dotenv = load_dotenv
        self.set_debug_flag = set_debug_flag
        if add_default_commands:
            for command in (run_command, shell_command, routes_command):
                self.add_command(command)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        builtin = super().get_command(ctx, name)
        if builtin is not None:
            return builtin
        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException as error:
            click.secho(f"Error: {error.format_message()}\n", err=True, fg="red")
            return None
        # Parameter callbacks and commands may use current_app without with_appcontext.
        if not current_app or current_app._get_current_object() is not app:  # type: ignore[attr-defined]
            ctx.with_resource(app.app_context())
        return app.cli.get_command(ctx, name)  # type: ignore[no-any-return]

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        try:
            names.update(ctx.ensure_object(ScriptInfo).load_app().cli.list_commands(ctx))
        except NoAppException as error:
            # Help must still work when the app does not load; say why it is missing.
            click.secho(f"Error: {error.format_message()}\n", err=True, fg="red")
        except Exception:
            click.secho(f"{traceback.format_exc()}\n", err=True, fg="red")
        return sorted(names)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: t.Any
    ) -> click.Context:
        # Tells Flask.run() that a command is running, so it must not block it.
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (not args and self.no_args_is_help) or (len(args) == 1 and args[0] in self.get_help_option_names(ctx)):
            # Help exits before the other eager options run; read the env file and
            # FLASK_APP first so the app's commands appear in it.
            _env_file_option.handle_parse_result(ctx, {}, [])
            _app_option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)


def load_dotenv(path: str | os.PathLike[str] | None = None, load_defaults: bool = True) -> bool:
    """Set environment variables from dotenv files without changing the working
    directory. ``path`` wins over ``.env``, which wins over ``.flaskenv`` (both found
    by searching up from the current directory); variables already set are kept.
    Returns whether any file defined a variable. Without python-dotenv it does nothing."""
    try:
        import dotenv
    except ImportError:
        if path or os.path.isfile(".env") or os.path.isfile(".flaskenv"):
            click.secho(" * Tip: install python-dotenv to use the .env files present.", fg="yellow", err=True)
        return False
    values: dict[str, str | None] = {}
    if load_defaults:
        for name in (".flaskenv", ".env"):  # later files win
            found = dotenv.find_dotenv(name, usecwd=True)
            if found:
                values.update(dotenv.dotenv_values(found, encoding="utf-8"))
    if path is not None and os.path.isfile(path):
        values.update(dotenv.dotenv_values(path, encoding="utf-8"))
    for key, value in values.items():
        if key not in os.environ and value is not None:
            os.environ[key] = value
    return bool(values)


def show_server_banner(debug: bool, app_import_path: str | None) -> None:
    """Say which app is served and whether debug mode is on (once, not per reload)."""
    if is_running_from_reloader():
        return
    if app_import_path is not None:
        click.echo(f" * Serving app {app_import_path!r}")
    click.echo(f" * Debug mode: {'on' if debug else 'off'}")


def _run_app(
    app: Flask, host: str | None, port: int | None, debug: bool | None, load_env: bool, options: dict[str, t.Any]
) -> None:
    """The body of :meth:`Flask.run`."""
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        if not is_running_from_reloader():
            click.secho(
                " * Ignoring app.run(): a CLI command is running and the call would block it. "
                "Guard the call with 'if __name__ == \"__main__\":'.",
                fg="red",
                err=True,
            )
        return
    if get_load_dotenv(load_env):
        load_dotenv()
        if "FLASK_DEBUG" in os.environ:
            app.debug = get_debug_flag()
    if debug is not None:
        app.debug = bool(debug)
    server_name = app.config.get("SERVER_NAME")
    default_host, _, default_port = (server_name or "").partition(":")
    host = host or default_host or "127.0.0.1"
    port = int(port or default_port or 5000)
    options.setdefault("use_reloader", app.debug)
    options.setdefault("use_debugger", app.debug)
    options.setdefault("threaded", True)
    show_server_banner(app.debug, app.name)
    try:
        run_simple(host, port, app, **options)
    finally:
        # A later run in the same process may set the app up again.
        app._got_first_request = False


class CertParamType(click.ParamType):
    """``--cert``: a certificate file, ``adhoc`` (needs cryptography), or the import
    path of an :class:`ssl.SSLContext`."""

    name = "path"

    def convert(self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> t.Any:
        if isinstance(value, ssl.SSLContext):
            return value
        try:
            return click.Path(exists=True, dir_okay=False, resolve_path=True).convert(value, param, ctx)
        except click.BadParameter:
            pass
        if value == "adhoc":
            try:
                import cryptography  # noqa: F401
            except ImportError:
                self.fail("'--cert adhoc' needs the cryptography library.", param, ctx)
            return value
        obj = import_string(value, silent=True)
        if isinstance(obj, ssl.SSLContext):
            return obj
        self.fail(f"{value!r} is neither a certificate file, 'adhoc', nor an SSLContext import path.", param, ctx)


class SeparatedPathType(click.Path):
    """A list of paths joined by the OS path separator (``:`` or ``;``)."""

    def convert(self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> t.Any:
        return [super(SeparatedPathType, self).convert(item, param, ctx) for item in self.split_envvar_value(value)]


@click.command("run", short_help="Run a development server.")
@click.option("--host", "-h", default="127.0.0.1", help="Interface to listen on.")
@click.option("--port", "-p", default=5000, help="Port to listen on.")
@click.option("--cert", type=CertParamType(), help="Certificate for HTTPS: a file, 'adhoc' or an SSLContext.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False, resolve_path=True), help="Key for '--cert FILE'.")
@click.option("--reload/--no-reload", default=None, help="Restart on code changes (default: in debug mode).")
@click.option("--debugger/--no-debugger", default=None, help="Interactive debugger (default: in debug mode).")
@click.option("--with-threads/--without-threads", default=True, help="Serve each request in a thread.")
@click.option("--extra-files", default=None, type=SeparatedPathType(), help="More files that trigger a reload.")
@click.option("--exclude-patterns", default=None, type=SeparatedPathType(), help="Patterns the reloader ignores.")
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    cert: t.Any,
    key: str | None,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    """Run the Werkzeug development server; never use it in production."""
    if key is not None:
        if not isinstance(cert, str) or cert == "adhoc":
            raise click.BadParameter("'--key' needs '--cert' naming a certificate file.", param_hint="'--key'")
        cert = (cert, key)
    elif isinstance(cert, str) and cert != "adhoc":
        raise click.BadParameter("a certificate file needs its '--key'.", param_hint="'--cert'")
    debug = get_debug_flag()
    try:
        app: t.Any = info.load_app()
    except Exception as error:
        if not is_running_from_reloader():
            raise
        # In the reloader's child, keep serving so the fix reloads; show the error per request.
        traceback.print_exc()

        def app(environ: t.Any, start_response: t.Any) -> t.NoReturn:
            raise error from None

    show_server_banner(debug, info.app_import_path)
    run_simple(
        host,
        port,
        app,
        use_reloader=debug if reload is None else reload,
        use_debugger=debug if debugger is None else debugger,
        threaded=with_threads,
        ssl_context=cert,
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
    )


run_command.params.insert(0, _debug_option)


@click.command("shell", short_help="Run a Python shell in the app context.")
@with_appcontext
def shell_command() -> None:
    """Open an interactive Python shell in the application's context, with the names
    from ``app.make_shell_context()`` (``app``, ``g`` and processors' values)."""
    import code

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    banner = f"Python {sys.version} on {sys.platform}\nApp: {app.name}\nInstance: {app.instance_path}"
    namespace: dict[str, t.Any] = {}
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup) as f:
            exec(compile(f.read(), startup, "exec"), namespace)
    namespace.update(app.make_shell_context())
    hook = getattr(sys, "__interactivehook__", None)
    if hook is not None and sys.stdin.isatty():
        # Tab completion over the shell's own names, then the usual history setup.
        try:
            import readline
            from rlcompleter import Completer
        except ImportError:
            pass
        else:
            readline.set_completer(Completer(namespace).complete)
        hook()
    code.interact(banner=banner, local=namespace)


@click.command("routes", short_help="Show the routes for the app.")
@click.option(
    "--sort",
    "-s",
    type=click.Choice(("endpoint", "methods", "domain", "rule", "match")),
    default="endpoint",
    help="Order of the rows; 'match' keeps the order of the URL map.",
)
@click.option("--all-methods", is_flag=True, help="Also list HEAD and OPTIONS.")
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """List every URL rule with its endpoint and methods."""
    url_map = current_app.url_map
    rules = list(url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return
    hidden = set() if all_methods else {"HEAD", "OPTIONS"}
    domains = [(rule.host if url_map.host_matching else rule.subdomain) or "" for rule in rules]
    columns = {"endpoint": "Endpoint", "methods": "Methods"}
    rows = [[rule.endpoint, ", ".join(sorted((rule.methods or set()) - hidden))] for rule in rules]
    if any(domains):
        columns["domain"] = "Host" if url_map.host_matching else "Subdomain"
        for row, domain in zip(rows, domains):
            row.append(domain)
    columns["rule"] = "Rule"
    for row, rule in zip(rows, rules):
        row.append(rule.rule)
    # Rows sort by the text shown; 'match' (or a missing column) keeps the URL
    # map's own order, and the sort is stable so ties keep it too.
    if sort in columns:
        index = list(columns).index(sort)
        rows.sort(key=lambda row: row[index])
    _echo_table(list(columns.values()), rows)


def _echo_table(headers: list[str], rows: cabc.Sequence[list[str]]) -> None:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    for line in (headers, ["-" * w for w in widths], *rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())


cli = FlaskGroup(
    name="flask",
    help="""Commands for an application written against the Flask API (served by the shim).

    The app is found through '--app', FLASK_APP, or a 'wsgi.py' / 'app.py' in the
    current folder; '.env' and '.flaskenv' files are read first when python-dotenv
    is installed.
    """,
)


def main() -> None:
    """Run the command line (``python -m shim``)."""
    cli.main()
