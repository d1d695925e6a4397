"""Application and request contexts.

An application context makes ``current_app`` and ``g`` available; a request
context adds ``request`` and ``session`` and pushes an application context of its
own when the right one is not already active.
"""

from __future__ import annotations

import contextvars
import sys
import typing as t
from functools import update_wrapper
from types import TracebackType

from werkzeug.exceptions import HTTPException

from . import typing as ft
from .globals import _cv_app, _cv_request
from .signals import appcontext_popped, appcontext_pushed

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import MapAdapter

    from .app import Flask
    from .sessions import SessionMixin
    from .wrappers import Request

_sentinel = object()


class _AppCtxGlobals:
    """The ``g`` namespace: a plain attribute bag that lives as long as its app context."""

    def __getattr__(self, name: str) -> t.Any:
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: t.Any) -> None:
        self.__dict__[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """The attribute ``name``, or ``default`` when it is not set."""
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: t.Any = _sentinel) -> t.Any:
        """Remove and return ``name``; without a default a missing name is a KeyError."""
        if default is _sentinel:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """Return ``name``, setting it to ``default`` first if it is missing."""
        return self.__dict__.setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in self.__dict__

    def __iter__(self) -> t.Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        if ctx is not None:
            return f"<shim.g of '{ctx.app.name}'>"
        return object.__repr__(self)


def after_this_request(f: ft.AfterRequestCallable[t.Any]) -> ft.AfterRequestCallable[t.Any]:
    """Run ``f(response)`` after the current request, before ``after_request`` functions."""
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'after_this_request' can only be used when a request context is active, "
            "such as in a view function."
        )
    ctx._after_request_functions.append(f)
    return f


F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def copy_current_request_context(f: F) -> F:
    """Wrap ``f`` so it runs inside a copy of the request context active now."""
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'copy_current_request_context' can only be used when a request context "
            "is active, such as in a view function."
        )
    ctx = ctx.copy()

    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with ctx:
            return ctx.app.ensure_sync(f)(*args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]


def has_request_context() -> bool:
    """Whether a request context is active."""
    return _cv_request.get(None) is not None


def has_app_context() -> bool:
    """Whether an application context is active."""
    return _cv_app.get(None) is not None


class AppContext:
    """Binds an application to the current context: ``current_app`` and ``g``."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.url_adapter = app.create_url_adapter(None)
        self.g: _AppCtxGlobals = app.app_ctx_globals_class()
        self._cv_tokens: list[contextvars.Token[AppContext]] = []

    def push(self) -> None:
        """Make this the current application context."""
        self._cv_tokens.append(_cv_app.set(self))
        appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Pop this context, running ``teardown_appcontext`` functions on the last pop."""
        try:
            if len(self._cv_tokens) == 1:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_appcontext(exc)
        finally:
            ctx = _cv_app.get()
            _cv_app.reset(self._cv_tokens.pop())
        if ctx is not self:
            raise AssertionError(f"Popped the wrong app context: {ctx!r} instead of {self!r}")
        appcontext_popped.send(self.app, _async_wrapper=self.app.ensure_sync)

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)


class RequestContext:
    """Everything about one request: the request object, its session, its URL match."""

    def __init__(
        self,
        app: Flask,
        environ: WSGIEnvironment,
        request: Request | None = None,
        session: SessionMixin | None = None,
    ) -> None:
        self.app = app
        if request is None:
            request = app.request_class(environ)
            request.json_module = app.json
        self.request: Request = request
        self.url_adapter: MapAdapter | None = None
        try:
            self.url_adapter = app.create_url_adapter(self.request)
        except HTTPException as e:
            self.request.routing_exception = e
        self.flashes: list[tuple[str, str]] | None = None
        # Opened on the first push; read it through the ``session`` property.
        self._session: SessionMixin | None = session
        self._after_request_functions: list[ft.AfterRequestCallable[t.Any]] = []
        self._cv_tokens: list[tuple[contextvars.Token[RequestContext], AppContext | None]] = []

    def copy(self) -> RequestContext:
        """A new context for the same request object and session (for other threads)."""
        return self.__class__(self.app, environ=self.request.environ, request=self.request, session=self._session)

    @property
    def session(self) -> SessionMixin:
        """This request's session; every read marks it accessed.

        The ``session`` proxy resolves through here on each use, so any use of it
        (an item, ``in``, ``len``, iteration, even ``session.modified``) counts,
        and the saved response then varies on the cookie. Framework code that
        must not count as a use (saving, copying) reads ``_session`` instead.
        """
        if self._session is None:
            raise RuntimeError("The session is opened when the request context is pushed; it is not open yet.")
        self._session.accessed = True
        return self._session

    def match_request(self) -> None:
        """Match the URL against the app's rules, storing the rule or the routing error."""
        try:
            assert self.url_adapter is not None
            rule, self.request.view_args = self.url_adapter.match(return_rule=True)
            self.request.url_rule = rule
        except HTTPException as e:
            self.request.routing_exception = e

    def push(self) -> None:
        """Make this the current request context, pushing an app context if needed."""
        app_ctx = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not self.app:
            app_ctx = self.app.app_context()
            app_ctx.push()
        else:
            app_ctx = None
        self._cv_tokens.append((_cv_request.set(self), app_ctx))

        # The session is opened after the context is pushed so the session
        # interface can use request-bound helpers such as url_for.
        if self._session is None:
            interface = self.app.session_interface
            self._session = interface.open_session(self.app, self.request)
            if self._session is None:
                self._session = interface.make_null_session(self.app)

        if self.url_adapter is not None:
            self.match_request()

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Pop this context; the last pop runs ``teardown_request`` and closes the request."""
        clear_request = len(self._cv_tokens) == 1
        try:
            if clear_request:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_request(exc)
                request_close = getattr(self.request, "close", None)
                if request_close is not None:
                    request_close()
        finally:
            ctx = _cv_request.get()
            token, app_ctx = self._cv_tokens.pop()
            _cv_request.reset(token)
            if clear_request:
                ctx.request.environ["werkzeug.request"] = None
            if app_ctx is not None:
                app_ctx.pop(exc)
            if ctx is not self:
                raise AssertionError(f"Popped the wrong request context: {ctx!r} instead of {self!r}")

    def __enter__(self) -> RequestContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.request.url!r} [{self.request.method}] of {self.app.name}>"
