"""The WSGI application.

:class:`Flask` is the sans-IO :class:`~shim.sansio.app.App` plus what serving WSGI
needs: the request cycle (:mod:`shim._dispatch`), sending files
(:mod:`shim._files`), contexts, and the test and CLI entry points.
"""

from __future__ import annotations

import inspect
import itertools
import os
import typing as t
from contextlib import closing
from inspect import CO_COROUTINE
from types import FunctionType

# Werkzeug names Flask's app module happens to import. Code written against Flask
# imports some of them from there (``from flask.app import Rule``), so they resolve here too.
from werkzeug.datastructures import Headers, ImmutableDict  # noqa: F401
from werkzeug.exceptions import BadRequestKeyError, HTTPException, InternalServerError  # noqa: F401
from werkzeug.routing import BuildError, MapAdapter, RequestRedirect, RoutingException, Rule  # noqa: F401
from werkzeug.serving import is_running_from_reloader  # noqa: F401
from werkzeug.wrappers import Response as BaseResponse  # noqa: F401
from werkzeug.wsgi import get_host  # noqa: F401

from ._dispatch import RequestCycleMixin
from ._files import FilesMixin, open_file
from .ctx import AppContext, RequestContext
from .globals import g
from .sansio.app import App
from .sessions import SecureCookieSessionInterface, SessionInterface
from .wrappers import Request, Response

if t.TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Coroutine

    from _typeshed.wsgi import WSGIEnvironment

    from .testing import FlaskClient, FlaskCliRunner


class Flask(RequestCycleMixin, FilesMixin, App):
    """A WSGI application: the registry of views, hooks and configuration.

    ``import_name`` locates the application's files (templates, static files,
    instance folder); pass ``__name__`` of the module that creates it.
    """

    request_class: type[Request] = Request
    response_class: type[Response] = Response
    session_interface: SessionInterface = SecureCookieSessionInterface()

    def open_resource(self, resource: str, mode: str = "rb", encoding: str | None = None) -> t.IO[t.Any]:
        """Open ``resource`` (a path under :attr:`root_path`) for reading only; text
        is decoded with the locale's encoding unless ``encoding`` is given (blueprints: UTF-8)."""
        return super().open_resource(resource, mode, encoding)

    def open_instance_resource(self, resource: str, mode: str = "rb", encoding: str | None = "utf-8") -> t.IO[t.Any]:
        """Open ``resource`` (a path under :attr:`instance_path`) in any mode, writing included."""
        return open_file(os.path.join(self.instance_path, resource), mode, encoding)

    def make_shell_context(self) -> dict[str, t.Any]:
        """The ``shell`` command's namespace: ``app``, ``g``, then each processor's names."""
        extras = (dict(processor()).items() for processor in self.shell_context_processors)
        return dict(itertools.chain([("app", self), ("g", g)], *extras))

    # --- contexts, tests and serving -------------------------------------------

    def app_context(self) -> AppContext:
        """A new application context for this app (use it with ``with``)."""
        return AppContext(self)  # type: ignore[arg-type]

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """The request context for one WSGI environment; the request cycle pushes it."""
        return RequestContext(self, environ)  # type: ignore[arg-type]

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> RequestContext:
        """A request context for a request built from :class:`werkzeug.test.EnvironBuilder` arguments."""
        from .testing import EnvironBuilder

        with closing(EnvironBuilder(self, *args, **kwargs)) as builder:  # type: ignore[arg-type]
            return self.request_context(builder.get_environ())

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> FlaskClient:
        """A client that sends requests straight to this app, without a server:
        :attr:`test_client_class` if set, else :class:`~shim.testing.FlaskClient`."""
        from . import testing

        client_class = self.test_client_class or testing.FlaskClient
        return client_class(self, self.response_class, use_cookies=use_cookies, **kwargs)

    def test_cli_runner(self, **kwargs: t.Any) -> FlaskCliRunner:
        """A click test runner that invokes commands against this app:
        :attr:`test_cli_runner_class` if set, else :class:`~shim.testing.FlaskCliRunner`."""
        from . import testing

        return (self.test_cli_runner_class or testing.FlaskCliRunner)(self, **kwargs)  # type: ignore[arg-type]

    def run(
        self, host: str | None = None, port: int | None = None, debug: bool | None = None,
        load_dotenv: bool = True, **options: t.Any,
    ) -> None:
        """Serve the app with Werkzeug's development server (not for production);
        ``options`` go to :func:`werkzeug.serving.run_simple`. Does nothing while a
        CLI command runs, so a stray call at import time cannot block it."""
        from .cli import _run_app

        _run_app(self, host, port, debug, load_dotenv, options)

    # Defined here, in the module that stands for flask.app, not with URL building in
    # _urls: Werkzeug's warning about a host that does not match SERVER_NAME names the
    # caller's module, and code written for Flask filters it by that name (drop-in).
    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """The URL map bound to ``request``; without one, bound to ``SERVER_NAME`` (None
        when that is unset, as URLs cannot be built or matched then)."""
        config = self.config
        if request is None:
            server = config["SERVER_NAME"]
            if server is None:
                return None
            return self.url_map.bind(
                server, script_name=config["APPLICATION_ROOT"], url_scheme=config["PREFERRED_URL_SCHEME"]
            )
        trusted = config["TRUSTED_HOSTS"]
        if trusted is not None:
            request.trusted_hosts = trusted
        if request.trusted_hosts is not None:
            # Werkzeug validates the host when it is read: an untrusted one raises a
            # 400 here, which the request context records as its routing error.
            request.host  # noqa: B018
        url_map = self.url_map
        # How the request's host relates to the rules: whole-host matching ignores
        # SERVER_NAME; otherwise the subdomain is read from the host only when
        # subdomain matching is on, else every request is on the default subdomain.
        if url_map.host_matching:
            return url_map.bind_to_environ(request.environ, server_name=None, subdomain=None)
        fixed = None if self.subdomain_matching else url_map.default_subdomain or ""
        return url_map.bind_to_environ(request.environ, server_name=config["SERVER_NAME"], subdomain=fixed)

    # --- async -------------------------------------------------------------------

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """``func`` itself when synchronous; a coroutine function wrapped to run to completion."""
        # Every view and hook passes through here on every request. A plain function
        # with no attributes at all can be judged by its code flags alone: only an
        # attribute (functools.wraps' __wrapped__, inspect.markcoroutinefunction's
        # marker) could make the full check below answer differently.
        if type(func) is FunctionType and not func.__dict__ and not func.__code__.co_flags & CO_COROUTINE:
            return func
        return self.async_to_sync(func) if inspect.iscoroutinefunction(func) else func

    def async_to_sync(self, func: t.Callable[..., Coroutine[t.Any, t.Any, t.Any]]) -> t.Callable[..., t.Any]:
        """Wrap a coroutine function with asgiref so it runs synchronously."""
        try:
            from asgiref.sync import async_to_sync as asgiref_async_to_sync
        except ImportError:
            raise RuntimeError(
                "Async views and hooks need asgiref: pip install 'flask-conformance[async]'."
            ) from None
        return asgiref_async_to_sync(func)


