"""Test helpers: an environ builder with the app's URL defaults, a test client that
can keep the last request's contexts and edit the session, and a CLI runner.

Werkzeug's :mod:`werkzeug.test` and click's :mod:`click.testing` do the real work
(environs, cookie jar, redirects, isolated invocation); these classes only add
what the application knows.
"""

from __future__ import annotations

import importlib.metadata
import typing as t
from contextlib import ExitStack, closing, contextmanager
from copy import copy
from functools import lru_cache
from types import TracebackType
from urllib.parse import urlsplit

import werkzeug.test
from click.testing import CliRunner, Result
from werkzeug.test import Client
from werkzeug.wrappers import Request as BaseRequest

from .cli import ScriptInfo
from .sessions import SessionMixin

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.test import TestResponse

    from .app import Flask
    from .ctx import RequestContext

#: The environ key where the app's ``wsgi_app`` looks for a callable to hand its
#: contexts to, instead of ending them with the request.
PRESERVE_CONTEXT_KEY = "werkzeug.debug.preserve_context"


def _split_for_app(app: Flask, path: str, subdomain: str | None, url_scheme: str | None) -> tuple[str, str]:
    """(base URL, path with query) for ``path`` as the app's config places it.

    The host is SERVER_NAME (``localhost`` when unset) below ``subdomain``, the
    script root APPLICATION_ROOT, the scheme ``url_scheme`` or
    PREFERRED_URL_SCHEME. A ``path`` that is a full URL keeps its own scheme and
    host. The fragment is dropped.
    """
    config = app.config
    url = urlsplit(path)
    server = config.get("SERVER_NAME") or "localhost"
    netloc = url.netloc or ".".join(filter(None, (subdomain, server)))
    scheme = url.scheme or url_scheme or config["PREFERRED_URL_SCHEME"]
    script_root = config["APPLICATION_ROOT"].lstrip("/")
    return f"{scheme}://{netloc}/{script_root}", url.path + (f"?{url.query}" if url.query else "")


class EnvironBuilder(werkzeug.test.EnvironBuilder):
    """Werkzeug's environ builder, with the base URL derived from the app's config
    unless ``base_url`` is given (see :func:`_split_for_app`), and ``json=`` data
    serialized by the app's JSON provider."""

    def __init__(self, app: Flask, path: str = "/", base_url: str | None = None, subdomain: str | None = None,
                 url_scheme: str | None = None, *args: t.Any, **kwargs: t.Any) -> None:
        if base_url is not None and (subdomain or url_scheme):
            # base_url already fixes host and scheme; two sources would disagree.
            raise AssertionError("pass either base_url, or subdomain and url_scheme, but not both")
        self.app = app
        if base_url is None:
            base_url, path = _split_for_app(app, path, subdomain, url_scheme)
        super().__init__(path, base_url, *args, **kwargs)

    def json_dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """``json=`` data as the app's JSON provider writes it."""
        return self.app.json.dumps(obj, **kwargs)


@lru_cache(maxsize=1)
def _werkzeug_version() -> str:
    return importlib.metadata.version("werkzeug")


def _default_environ() -> dict[str, t.Any]:
    """What every test request's environ starts from (the client address and agent)."""
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": f"Werkzeug/{_werkzeug_version()}"}


class FlaskClient(Client):
    """Werkzeug's test client, aware of the app's contexts and session.

    In a ``with client:`` block, the contexts of the latest request stay pushed
    until the next request or the end of the block, so ``request``, ``session``
    and ``g`` can be inspected after the response. :attr:`environ_base` holds
    environ values every request starts from.
    """

    application: Flask

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base: dict[str, t.Any] = _default_environ()
        #: True inside ``with client:``.
        self.preserve_context = False
        # Contexts the app hands over during a request, in the order it pushed them...
        self._handed_over: list[t.ContextManager[t.Any]] = []
        # ...and where they are held open afterwards.
        self._held = ExitStack()

    # --- building the request -------------------------------------------------------

    def _with_defaults(self, environ: t.Mapping[str, t.Any]) -> WSGIEnvironment:
        """``environ`` over :attr:`environ_base`, plus the hand-over hook in a ``with`` block."""
        hook = {PRESERVE_CONTEXT_KEY: self._handed_over.append} if self.preserve_context else {}
        return {**self.environ_base, **environ, **hook}

    def _from_builder(self, builder: werkzeug.test.EnvironBuilder) -> BaseRequest:
        # Werkzeug passes its own builder when following a redirect; leave it untouched.
        mine = copy(builder)
        mine.environ_base = self._with_defaults(builder.environ_base or {})
        return mine.get_request()

    def _from_environ(self, environ: dict[str, t.Any]) -> BaseRequest:
        builder = EnvironBuilder.from_environ(environ, app=self.application, environ_base=self._with_defaults({}))
        return builder.get_request()

    def _from_request(self, request: BaseRequest) -> BaseRequest:
        mine = copy(request)
        mine.environ = self._with_defaults(request.environ)
        return mine

    #: What ``open()`` may receive ready-made, and how each becomes a request.
    _READY_MADE: t.ClassVar[tuple[tuple[type, t.Callable[[FlaskClient, t.Any], BaseRequest]], ...]] = (
        (werkzeug.test.EnvironBuilder, _from_builder),
        (dict, _from_environ),
        (BaseRequest, _from_request),
    )

    def _request_for(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> BaseRequest:
        """The request ``open()``'s arguments describe, carrying the client's defaults."""
        if args:
            for kind, convert in self._READY_MADE:
                if isinstance(args[0], kind):
                    return convert(self, args[0])
        return self._request_from_builder_args(args, kwargs)

    def _request_from_builder_args(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> BaseRequest:
        """A request from :class:`EnvironBuilder` arguments, with the client's defaults.
        Named as in Flask: Flask-SocketIO's test client calls it to build its environs."""
        kwargs["environ_base"] = self._with_defaults(kwargs.get("environ_base") or {})
        with closing(EnvironBuilder(self.application, *args, **kwargs)) as builder:
            return builder.get_request()

    # --- sending it ----------------------------------------------------------------------

    def open(self, *args: t.Any, buffered: bool = False, follow_redirects: bool = False,
             **kwargs: t.Any) -> TestResponse:
        """Send a request (arguments as for :class:`EnvironBuilder`, or a ready
        builder, environ or request) and return the response."""
        request = self._request_for(args, kwargs)
        self._release_held()  # contexts kept from an earlier request end here
        response = super().open(request, buffered=buffered, follow_redirects=follow_redirects)
        # response.json should decode with the app's provider, as request.json does.
        response.json_module = self.application.json  # type: ignore[assignment]
        self._hold_handed_over()
        return response

    def _hold_handed_over(self) -> None:
        # In push order, so the final request's contexts end up on top (also after redirects).
        while self._handed_over:
            self._held.enter_context(self._handed_over.pop(0))

    def _release_held(self) -> None:
        self._held.close()

    def __enter__(self) -> FlaskClient:
        # One level only: an inner block ending would pop the outer block's contexts.
        already_inside, self.preserve_context = self.preserve_context, True
        if already_inside:
            raise RuntimeError("'with client:' blocks cannot be nested for the same client")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc_value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.preserve_context = False
        self._release_held()

    # --- the session ----------------------------------------------------------------------

    @contextmanager
    def session_transaction(self, *args: t.Any, **kwargs: t.Any) -> t.Iterator[SessionMixin]:
        """Yield the session stored in the client's cookies for editing, and store it
        back into the cookies when the block ends without an error.

        The arguments describe a request as for :meth:`Flask.test_request_context`,
        since a session interface may depend on the request (host, path).
        """
        if self._cookies is None:
            raise TypeError("this client keeps no cookies (use_cookies=False), so it has no session to edit")
        ctx = self.application.test_request_context(*args, **kwargs)
        self._add_cookies_to_wsgi(ctx.request.environ)
        session = self._open_session(ctx)
        yield session
        self._store_session(ctx, session)

    def _open_session(self, ctx: RequestContext) -> SessionMixin:
        interface = self.application.session_interface
        with ctx:  # the interface may look at the request globals
            opened = interface.open_session(self.application, ctx.request)
        if opened is not None:
            return opened
        raise RuntimeError("the app's session interface returned no session; is SECRET_KEY set?")

    def _store_session(self, ctx: RequestContext, session: SessionMixin) -> None:
        app = self.application
        interface = app.session_interface
        if interface.is_null_session(session):
            return
        response = app.response_class()
        with ctx:
            interface.save_session(app, session, response)
        request = ctx.request
        cookies = response.headers.getlist("Set-Cookie")
        self._update_cookies_from_response(request.host.split(":", 1)[0], request.path, cookies)


class FlaskCliRunner(CliRunner):
    """Click's :class:`~click.testing.CliRunner` tied to an app: commands invoked
    through it load that app (see :meth:`Flask.test_cli_runner`)."""

    def __init__(self, app: Flask, **kwargs: t.Any) -> None:
        self.app = app
        super().__init__(**kwargs)

    def invoke(self, cli: t.Any = None, args: t.Any = None, **kwargs: t.Any) -> Result:  # type: ignore[override]
        """Run ``cli`` (default: ``app.cli``) with ``args`` in isolation. Unless an
        ``obj`` is given, commands receive a :class:`~shim.cli.ScriptInfo` for this app."""
        command = self.app.cli if cli is None else cli
        return super().invoke(command, args, **{"obj": ScriptInfo(create_app=self._app), **kwargs})

    def _app(self) -> Flask:
        return self.app
