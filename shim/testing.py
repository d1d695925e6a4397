"""Testing helpers: an environ builder that takes its defaults from the app, and a
test client that can keep the last request's contexts open and edit the session.

Both are thin layers over Werkzeug's :mod:`werkzeug.test`, which does the real
work (building environs, the cookie jar, following redirects).
"""

from __future__ import annotations

import importlib.metadata
import typing as t
from contextlib import ExitStack, contextmanager
from copy import copy
from functools import lru_cache
from types import TracebackType
from urllib.parse import urlsplit

import werkzeug.test
from click.testing import CliRunner, Result
from werkzeug.test import Client
from werkzeug.wrappers import Request as BaseRequest

from .sessions import SessionMixin

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.test import TestResponse

    from .app import Flask

#: The environ key under which the app's ``wsgi_app`` finds a callable to hand
#: its contexts to, instead of letting them end with the request.
PRESERVE_CONTEXT_KEY = "werkzeug.debug.preserve_context"


def _base_url_from_config(
    app: Flask, path: str, subdomain: str | None, url_scheme: str | None
) -> tuple[str, str]:
    """The base URL the app's config implies, and what is left of ``path``.

    An absolute ``path`` (``http://host/x``) keeps its own scheme and host; the
    query string stays on the returned path, the fragment is dropped.
    """
    parts = urlsplit(path)
    host = app.config.get("SERVER_NAME") or "localhost"
    if subdomain:
        host = f"{subdomain}.{host}"
    scheme = parts.scheme or url_scheme or app.config["PREFERRED_URL_SCHEME"]
    root = app.config["APPLICATION_ROOT"].lstrip("/")
    rest = f"{parts.path}?{parts.query}" if parts.query else parts.path
    return f"{scheme}://{parts.netloc or host}/{root}", rest


class EnvironBuilder(werkzeug.test.EnvironBuilder):
    """Werkzeug's environ builder with the app's defaults.

    Without ``base_url``, the host comes from ``SERVER_NAME`` (``localhost`` when
    unset, prefixed by ``subdomain``), the script root from ``APPLICATION_ROOT``
    and the scheme from ``url_scheme`` or ``PREFERRED_URL_SCHEME``. ``json=``
    data is serialized with the app's JSON provider.
    """

    def __init__(
        self,
        app: Flask,
        path: str = "/",
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        *args: t.Any,
        **kwargs: t.Any,
    ) -> None:
        if base_url is None:
            base_url, path = _base_url_from_config(app, path, subdomain, url_scheme)
        elif subdomain or url_scheme:
            # base_url already fixes the host and scheme; two sources would conflict.
            raise AssertionError("give either base_url or subdomain/url_scheme, not both")
        self.app = app
        super().__init__(path, base_url, *args, **kwargs)

    def json_dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize ``json=`` data as the app would serialize a response."""
        return self.app.json.dumps(obj, **kwargs)


@lru_cache(maxsize=1)
def _werkzeug_version() -> str:
    return importlib.metadata.version("werkzeug")


class FlaskClient(Client):
    """Werkzeug's test client, aware of the app's contexts and session.

    Inside ``with client:`` the contexts of the most recent request stay pushed
    until the next request or the end of the block, so ``request``, ``session``
    and ``g`` can be inspected after a response. :attr:`environ_base` holds
    environ values added to every request.
    """

    application: Flask

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base: dict[str, t.Any] = {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_USER_AGENT": f"Werkzeug/{_werkzeug_version()}",
        }
        #: True inside ``with client:``.
        self.preserve_context = False
        # Contexts the app handed over during the current request, in push order.
        self._handed_over: list[t.ContextManager[t.Any]] = []
        # The contexts re-entered after the last request.
        self._kept = ExitStack()

    # --- requests ------------------------------------------------------------

    def _add_defaults(self, environ: t.Mapping[str, t.Any]) -> WSGIEnvironment:
        """``environ`` over :attr:`environ_base`, plus the preserve hook when kept."""
        merged: dict[str, t.Any] = {**self.environ_base, **environ}
        if self.preserve_context:
            merged[PRESERVE_CONTEXT_KEY] = self._handed_over.append
        return merged

    def _to_request(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> BaseRequest:
        """Turn ``open()``'s arguments into a request carrying the client's defaults.

        The first argument may already be a builder, an environ dict or a request
        (Werkzeug passes a builder when it follows a redirect).
        """
        first = args[0] if args else None
        if isinstance(first, werkzeug.test.EnvironBuilder):
            builder = copy(first)  # the caller's builder stays untouched
            builder.environ_base = self._add_defaults(builder.environ_base or {})
            return builder.get_request()
        if isinstance(first, dict):
            builder = EnvironBuilder.from_environ(
                first, app=self.application, environ_base=self._add_defaults({})
            )
            return builder.get_request()
        if isinstance(first, BaseRequest):
            request = copy(first)
            request.environ = self._add_defaults(request.environ)
            return request
        kwargs["environ_base"] = self._add_defaults(kwargs.get("environ_base") or {})
        builder = EnvironBuilder(self.application, *args, **kwargs)
        try:
            return builder.get_request()
        finally:
            builder.close()

    def open(
        self,
        *args: t.Any,
        buffered: bool = False,
        follow_redirects: bool = False,
        **kwargs: t.Any,
    ) -> TestResponse:
        """Make a request (arguments as for :class:`EnvironBuilder`) and return the response."""
        request = self._to_request(args, kwargs)
        # A new request ends whatever the previous one left pushed.
        self._kept.close()
        response = super().open(request, buffered=buffered, follow_redirects=follow_redirects)
        # response.json parses with the app's provider, like request.json does.
        response.json_module = self.application.json  # type: ignore[assignment]
        # Re-enter the handed-over contexts in the order the app pushed them, so
        # the last request's contexts end up on top (also after redirects).
        for context in self._handed_over:
            self._kept.enter_context(context)
        self._handed_over.clear()
        return response

    def __enter__(self) -> FlaskClient:
        if self.preserve_context:
            raise RuntimeError("this client is already in a 'with' block; blocks cannot nest")
        self.preserve_context = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.preserve_context = False
        self._kept.close()

    # --- the session ---------------------------------------------------------

    @contextmanager
    def session_transaction(self, *args: t.Any, **kwargs: t.Any) -> t.Iterator[SessionMixin]:
        """Open the session the client's cookies hold, yield it for editing, then
        save it back into the cookie jar.

        The arguments build a request as for :meth:`Flask.test_request_context`,
        since a session interface may depend on the request (host, path).
        """
        if self._cookies is None:
            raise TypeError("this client has no cookie jar (use_cookies=False), so no session")
        app = self.application
        interface = app.session_interface
        ctx = app.test_request_context(*args, **kwargs)
        self._add_cookies_to_wsgi(ctx.request.environ)
        with ctx:
            session = interface.open_session(app, ctx.request)
        if session is None:
            raise RuntimeError("the session interface opened no session (is SECRET_KEY set?)")

        yield session

        if interface.is_null_session(session):
            return
        response = app.response_class()
        with ctx:
            interface.save_session(app, session, response)
        self._update_cookies_from_response(
            ctx.request.host.partition(":")[0],
            ctx.request.path,
            response.headers.getlist("Set-Cookie"),
        )


class FlaskCliRunner(CliRunner):
    """Click's :class:`~click.testing.CliRunner` bound to an app: commands invoked
    through it load that app (see :meth:`Flask.test_cli_runner`)."""

    def __init__(self, app: Flask, **kwargs: t.Any) -> None:
        self.app = app
        super().__init__(**kwargs)

    def invoke(self, cli: t.Any = None, args: t.Any = None, **kwargs: t.Any) -> Result:  # type: ignore[override]
        """Invoke ``cli`` (default: ``app.cli``) with ``args``; unless ``obj`` is given,
        commands get a :class:`~shim.cli.ScriptInfo` that loads this app."""
        if cli is None:
            cli = self.app.cli
        if "obj" not in kwargs:
            from .cli import ScriptInfo

            kwargs["obj"] = ScriptInfo(create_app=lambda: self.app)
        return super().invoke(cli, args, **kwargs)
