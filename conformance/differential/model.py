"""Descriptions of generated apps and requests, as plain data, and their source code.

A :class:`Case` is an app (rules, blueprints, hooks, error handlers, configuration,
files) and the requests sent to it. Views, hooks and handlers carry their bodies as
short Python statements, so a case is readable data whose ``repr()`` is a valid
``@example`` row. :func:`app_source` turns a case into the source of a module
defining ``setup(root)`` and ``make_app(flask, log, root)``: the suite builds both
apps by executing that source with the implementation under test and with real
Flask as ``flask``, and :func:`reproducer` wraps the same source into a short
program a user runs to see the difference for themselves.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

#: Names every generated module has: bodies may use them.
PRELUDE = '''\
import datetime
import io
import os
import uuid

from markupsafe import Markup

from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, MethodNotAllowed, NotFound


class Oops(Exception):
    """The application's own exception."""


MTIME = 1_700_000_000  # files keep one modification time, so validators are stable
'''

#: Signature and first line of each kind of hook; the first line logs the call.
_HOOKS = {
    "before_request": ("()", '{name!r}'),
    "before_app_request": ("()", '{name!r}'),
    "after_request": ("(response)", '{name!r}'),
    "after_app_request": ("(response)", '{name!r}'),
    "teardown_request": ("(exc)", 'f"{name} {{type(exc).__name__ if exc is not None else None}}"'),
    "teardown_app_request": ("(exc)", 'f"{name} {{type(exc).__name__ if exc is not None else None}}"'),
    "teardown_appcontext": ("(exc)", 'f"{name} {{type(exc).__name__ if exc is not None else None}}"'),
}
HOOK_KINDS = tuple(_HOOKS)


@dataclass(frozen=True)
class Route:
    """A URL rule and its view. The view gets the URL values as ``kwargs``."""

    rule: str
    body: str = "return 'ok'"
    endpoint: str | None = None
    methods: tuple[str, ...] | None = None
    strict_slashes: bool | None = None
    redirect_to: str | None = None
    blueprint: str | None = None


@dataclass(frozen=True)
class Blueprint:
    name: str
    url_prefix: str | None = None
    subdomain: str | None = None
    #: Registered on this blueprint instead of on the app (nested blueprints).
    parent: str | None = None


@dataclass(frozen=True)
class Hook:
    """A request hook; it logs its name (and a teardown the exception's class) first.
    ``$name`` in the body stands for the hook's name."""

    kind: str
    body: str = ""
    blueprint: str | None = None


@dataclass(frozen=True)
class Handler:
    """An error handler for ``key`` (a status code, or an exception class named in
    the prelude or builtins), logging the error's class first."""

    key: int | str
    body: str
    blueprint: str | None = None
    #: On a blueprint: ``app_errorhandler`` (for the whole app) instead of ``errorhandler``.
    app_wide: bool = False


@dataclass(frozen=True)
class Request:
    path: str = "/"
    method: str = "GET"
    host: str = "localhost"
    headers: tuple[tuple[str, str], ...] = ()
    data: bytes | None = None


@dataclass(frozen=True)
class Case:
    """One generated app and the requests sent to it, in order, by one client that
    keeps cookies."""

    routes: tuple[Route, ...] = ()
    requests: tuple[Request, ...] = (Request(),)
    blueprints: tuple[Blueprint, ...] = ()
    hooks: tuple[Hook, ...] = ()
    handlers: tuple[Handler, ...] = ()
    config: tuple[tuple[str, object], ...] = (("TESTING", True),)
    #: Keyword arguments of the ``Flask`` constructor besides the import name.
    options: tuple[tuple[str, object], ...] = ()
    #: Statements run on the new app (``app``) before anything is registered.
    setup: tuple[str, ...] = ()
    #: Files written under the root folder: (name, content).
    files: tuple[tuple[str, bytes], ...] = field(default=())

    @property
    def secret_key(self) -> str | None:
        value = dict(self.config).get("SECRET_KEY")
        return value if isinstance(value, str) else None


def _indent(body: str, depth: int = 2) -> str:
    return textwrap.indent(body.strip("\n") or "pass", "    " * depth)


def _call(*args: object, **kwargs: object) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    return ", ".join(parts)


def app_source(case: Case) -> str:
    """Python source of a module with ``setup(root)`` (writes the files) and
    ``make_app(flask, log, root)`` (builds the app; hooks and handlers append to ``log``)."""
    out = [PRELUDE, "", "def setup(root):"]
    for name, content in case.files:
        out.append(f"    os.makedirs(os.path.dirname(os.path.join(root, {name!r})), exist_ok=True)")
        out.append(f"    with open(os.path.join(root, {name!r}), 'wb') as f:")
        out.append(f"        f.write({content!r})")
        out.append(f"    os.utime(os.path.join(root, {name!r}), (MTIME, MTIME))")
    out.append("    return root")
    out += ["", "", "def make_app(flask, log, root):"]
    options = "".join(f"{key}={value!r}, " for key, value in case.options)
    out.append(f"    app = flask.Flask('differential', {options}root_path=root)")
    if case.config:
        out.append(f"    app.config.update({dict(case.config)!r})")
    out += [f"    {line}" for line in case.setup]
    for bp in case.blueprints:
        args = _call(bp.name, "differential", url_prefix=bp.url_prefix, subdomain=bp.subdomain)
        out.append(f"    bp_{bp.name} = flask.Blueprint({args})")
    for i, route in enumerate(case.routes):
        target = f"bp_{route.blueprint}" if route.blueprint else "app"
        options = _call(
            route.rule,
            endpoint=route.endpoint,
            methods=list(route.methods) if route.methods is not None else None,
            strict_slashes=route.strict_slashes,
            redirect_to=route.redirect_to,
        )
        out += ["", f"    @{target}.route({options})", f"    def view{i}(**kwargs):", _indent(route.body)]
    for i, hook in enumerate(case.hooks):
        target = f"bp_{hook.blueprint}" if hook.blueprint else "app"
        signature, entry = _HOOKS[hook.kind]
        name = f"hook{i}"
        out += ["", f"    @{target}.{hook.kind}", f"    def {name}{signature}:"]
        out.append(f"        log.append({entry.format(name=name)})")
        if hook.body.strip():
            out.append(_indent(hook.body.replace("$name", name)))
    for i, handler in enumerate(case.handlers):
        target = f"bp_{handler.blueprint}" if handler.blueprint else "app"
        method = "app_errorhandler" if handler.blueprint and handler.app_wide else "errorhandler"
        key = str(handler.key)
        out += ["", f"    @{target}.{method}({key})", f"    def handler{i}(e):"]
        out.append(f'        log.append(f"handler{i} {{type(e).__name__}}")')
        out.append(_indent(handler.body))
    nested = [bp for bp in case.blueprints if bp.parent]
    if case.blueprints:
        out.append("")
    for bp in nested + [bp for bp in case.blueprints if not bp.parent]:
        out.append(f"    {'bp_' + bp.parent if bp.parent else 'app'}.register_blueprint(bp_{bp.name})")
    out += ["    return app", ""]
    return "\n".join(out)


def reproducer(case: Case, module: str) -> str:
    """A program that builds the case's app on Flask and on ``module`` and prints
    what each answers, request by request."""
    requests = ",\n    ".join(
        repr((r.method, r.path, r.host, list(r.headers), r.data)) for r in case.requests
    )
    return f'''\
# Builds the same app on Flask and on {module}, sends the same requests, prints the answers.
import tempfile

from werkzeug.test import Client

import flask
import {module} as candidate

{app_source(case)}
REQUESTS = [
    {requests},
]
root = setup(tempfile.mkdtemp())
for implementation in (flask, candidate):
    print("---", implementation.__name__)
    log = []
    try:
        client = Client(make_app(implementation, log, root))
    except Exception as exc:
        print("building the app raised", repr(exc))
        continue
    for method, path, host, headers, data in REQUESTS:
        log.clear()
        try:
            response = client.open(path, method=method, base_url=f"http://{{host}}/", headers=headers, data=data)
            body = response.get_data()
            response.close()
        except Exception as exc:
            print(method, path, "raised", repr(exc), log)
        else:
            print(method, path, response.status, sorted(response.headers.items()), body, log)
'''
