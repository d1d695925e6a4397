"""What the built-in commands do: serve the app with Werkzeug's development server
(for ``run`` and for :meth:`Flask.run`), open an interactive shell, and print the
routes table. :mod:`shim.cli` turns these into click commands.
"""

from __future__ import annotations

import code
import contextlib
import os
import platform
import runpy
import sys
import traceback
import typing as t
from dataclasses import dataclass
from operator import itemgetter

import click
import werkzeug.serving
from werkzeug.serving import is_running_from_reloader
from werkzeug.utils import import_string

from ._discovery import load_dotenv
from .globals import current_app
from .helpers import get_debug_flag, get_load_dotenv


if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from werkzeug.routing import Rule

    from .app import Flask
    from .cli import ScriptInfo

_DEFAULT_HOST = "127.0.0.1"
_DEFAULT_PORT = 5000


# --- the development server ---------------------------------------------------------


def show_server_banner(debug: bool, app_import_path: str | None) -> None:
    """Print which app is served and whether debug mode is on. The reloader's child
    process stays quiet, so a restart does not repeat the banner."""
    if is_running_from_reloader():
        return
    lines = [] if app_import_path is None else [f" * Serving app {app_import_path!r}"]
    if debug is not None:
        lines.append(" * Debug mode is " + ("on" if debug else "off"))
    for line in lines:
        click.echo(line)


class CertParamType(click.ParamType):
    """The ``--cert`` value: a certificate file, ``adhoc`` for a throwaway self-signed
    certificate (needs the cryptography package), or the import path of an
    :class:`ssl.SSLContext` object."""

    name = "path"

    def convert(self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> t.Any:
        """Accept the first reading of ``value`` that works, in the order above."""
        # ssl is imported here, not with the module: a Python built without it still
        # runs every other command, and only --cert says what is missing.
        try:
            import ssl
        except ImportError:
            self.fail("'--cert' needs a Python built with SSL support.", param, ctx)
        if isinstance(value, ssl.SSLContext):
            return value
        for reading in (self._as_file, self._as_adhoc, self._as_context_import):
            result = reading(value, param, ctx)
            if result is not None:
                return result
        self.fail(f"{value!r} is not a certificate file, 'adhoc', or the import path of an SSLContext.", param, ctx)

    @staticmethod
    def _as_file(value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> str | None:
        checker = click.Path(exists=True, dir_okay=False, resolve_path=True)
        try:
            return t.cast(str, checker.convert(value, param, ctx))
        except click.BadParameter:
            return None

    def _as_adhoc(self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> str | None:
        if str(value).lower() != "adhoc":
            return None
        try:
            import cryptography  # noqa: F401
        except ImportError:
            self.fail("An 'adhoc' certificate is generated with the cryptography package; install it.", param, ctx)
        return "adhoc"

    @staticmethod
    def _as_context_import(value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> t.Any:
        import ssl

        found = import_string(str(value), silent=True)
        return found if isinstance(found, ssl.SSLContext) else None


class SeparatedPathType(click.Path):
    """Several paths in one value, joined with :data:`os.pathsep` (``:`` or ``;``);
    each one is checked like a :class:`click.Path`."""

    def convert(self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> t.Any:
        """A list with each part converted on its own."""
        return [click.Path.convert(self, part, param, ctx) for part in self.split_envvar_value(value)]


def pair_key_with_cert(ctx: click.Context, param: click.Parameter, key: str | None) -> str | None:
    """The ``--key`` callback: check it against ``--cert`` (eager, so already parsed)
    while the command line is parsed, and make ``cert`` the ``ssl_context`` to serve with."""
    ctx.params["cert"] = _ssl_setting(ctx.params.get("cert"), key)
    return key


def _ssl_setting(cert: t.Any, key: str | None) -> t.Any:
    """The ``ssl_context`` for run_simple. A certificate file needs its key, and only
    a certificate file takes one ('adhoc' and SSLContext objects carry their own)."""
    cert_is_file = isinstance(cert, str) and cert != "adhoc"
    if key is None:
        if cert_is_file:
            raise click.BadParameter("a certificate file needs its private key, given with '--key'.", param_hint="'--cert'")
        return cert
    if not cert_is_file:
        raise click.BadParameter("only makes sense together with '--cert' naming a certificate file.", param_hint="'--key'")
    return (cert, key)


class _FailedApp:
    """Stands in for an app that failed to load in the reloader's child process. The
    server keeps running, so saving a fix triggers a reload, and every request
    re-raises the load error where the debugger can show it."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.NoReturn:
        raise self.error from None


def serve(
    info: ScriptInfo, host: str, port: int, cert: t.Any, key: str | None, reload: bool | None,
    debugger: bool | None, with_threads: bool, extra_files: list[str] | None, exclude_patterns: list[str] | None,
) -> None:
    """The ``run`` command: serve the app with the development server. Reloader and
    debugger follow debug mode unless the options say otherwise. ``cert`` is already
    the ``ssl_context`` (see :func:`pair_key_with_cert`)."""
    app: t.Any
    try:
        app = info.load_app()
    except Exception as error:
        if not is_running_from_reloader():
            raise  # in the parent process a broken app stops the command
        traceback.print_exc()
        app = _FailedApp(error)
    debug = get_debug_flag()
    show_server_banner(debug, info.app_import_path)
    from . import cli  # the command's module, complete by now

    # The one shim.cli imported, looked up now: as in Flask, tests patch it there.
    cli.run_simple(
        host, port, app,
        use_reloader=debug if reload is None else reload,
        use_debugger=debug if debugger is None else debugger,
        threaded=with_threads, ssl_context=cert,
        extra_files=extra_files, exclude_patterns=exclude_patterns,
    )


def _debug_for_run(app: Flask, debug: bool | None, load_env: bool) -> bool:
    """Debug mode for :meth:`Flask.run`: the ``debug`` argument, else FLASK_DEBUG
    (consulted only when dotenv loading is on, after the files are read), else the
    app's current setting."""
    reads_environment = get_load_dotenv(load_env)
    if reads_environment:
        load_dotenv()
    if debug is not None:
        return bool(debug)
    if reads_environment and "FLASK_DEBUG" in os.environ:
        return get_debug_flag()
    return app.debug


def _address(app: Flask, host: str | None, port: int | str | None) -> tuple[str, int]:
    """Host and port for :meth:`Flask.run`: the arguments, else SERVER_NAME's parts,
    else the defaults. Port 0 is a real choice (any free port), not a missing one."""
    server_name = app.config.get("SERVER_NAME") or ""
    named_host, _, named_port = server_name.partition(":")
    given_port = (p for p in (port, named_port) if p or p == 0)
    return host or named_host or _DEFAULT_HOST, int(next(given_port, _DEFAULT_PORT))


def _command_line_running() -> bool:
    # FlaskGroup sets this; app.run() reached then (say at import time) would block the command.
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true"


def _explain_skipped_run() -> None:
    if is_running_from_reloader():
        return  # the parent process already said it
    click.secho(
        " * app.run() was skipped because a CLI command is running. Call it only under "
        "'if __name__ == \"__main__\":' so importing the module does not serve.",
        fg="red", err=True,
    )


def run_app(
    app: Flask, host: str | None, port: int | None, debug: bool | None, load_env: bool, options: dict[str, t.Any]
) -> None:
    """The body of :meth:`Flask.run`."""
    if _command_line_running():
        _explain_skipped_run()
        return
    app.debug = _debug_for_run(app, debug, load_env)
    bind_host, bind_port = _address(app, host, port)
    settings = {"use_reloader": app.debug, "use_debugger": app.debug, "threaded": True, **options}
    show_server_banner(app.debug, app.name)
    try:
        werkzeug.serving.run_simple(bind_host, bind_port, app, **settings)  # looked up now: patchable
    finally:
        # The app may be served again in this process; setup methods must work then.
        app._got_first_request = False


# --- the shell ---------------------------------------------------------------------------


def _startup_namespace() -> dict[str, t.Any]:
    """What the user's PYTHONSTARTUP file defines, as a plain interpreter would have it."""
    startup = os.environ.get("PYTHONSTARTUP")
    if not startup or not os.path.isfile(startup):
        return {}
    return runpy.run_path(startup, run_name="__console__")


def _offer_completion(namespace: dict[str, t.Any]) -> None:
    """Run the interpreter's interactive hook (readline, history) with tab completion
    over ``namespace``; rlcompleter would otherwise complete this module's globals."""
    hook = getattr(sys, "__interactivehook__", None)
    if hook is None:
        return
    with contextlib.suppress(ImportError):
        import readline
        from rlcompleter import Completer

        readline.set_completer(Completer(namespace).complete)
    hook()


def interactive_shell() -> None:
    """The ``shell`` command: an interactive interpreter in the app context, with
    the names :meth:`Flask.make_shell_context` provides."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    namespace = _startup_namespace()
    namespace.update(app.make_shell_context())
    _offer_completion(namespace)
    banner = "\n".join(
        (f"Python {platform.python_version()} ({sys.platform})", f"App: {app.import_name}",
         f"Instance folder: {app.instance_path}")
    )
    code.interact(banner=banner, local=namespace)


# --- the routes table -------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    """One column of the routes table; ``key`` is the ``--sort`` value for it."""

    key: str
    heading: str
    cell: t.Callable[[Rule], str]


def _columns(host_matching: bool, hidden_methods: frozenset[str]) -> list[_Column]:
    def methods(rule: Rule) -> str:
        return ", ".join(sorted((rule.methods or set()) - hidden_methods))

    def domain(rule: Rule) -> str:
        return (rule.host if host_matching else rule.subdomain) or ""

    return [
        _Column("endpoint", "Endpoint", lambda rule: rule.endpoint),
        _Column("methods", "Methods", methods),
        _Column("domain", "Host" if host_matching else "Subdomain", domain),
        _Column("rule", "Rule", lambda rule: rule.rule),
    ]


def _echo_table(headings: list[str], rows: list[list[str]]) -> None:
    widths = [max(map(len, column)) for column in zip(headings, *rows)]
    underline = ["-" * width for width in widths]
    for row in (headings, underline, *rows):
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def print_routes(sort: str, all_methods: bool) -> None:
    """The ``routes`` command: one row per URL rule. The domain column appears only
    when some rule has a subdomain (or host); HEAD and OPTIONS are hidden unless
    ``all_methods``. Rows sort stably by the chosen column's text; a sort key
    without a column (``match``) keeps the URL map's order."""
    url_map = current_app.url_map
    rules = list(url_map.iter_rules())
    if not rules:
        click.echo("The app has no URL rules.")
        return
    hidden = frozenset() if all_methods else frozenset({"HEAD", "OPTIONS"})
    columns = _columns(url_map.host_matching, hidden)
    table = [[column.cell(rule) for column in columns] for rule in rules]
    shown = [i for i, column in enumerate(columns) if column.key != "domain" or any(row[i] for row in table)]
    columns = [columns[i] for i in shown]
    table = [[row[i] for i in shown] for row in table]
    keys = [column.key for column in columns]
    if sort in keys:
        table.sort(key=itemgetter(keys.index(sort)))
    _echo_table([column.heading for column in columns], table)
