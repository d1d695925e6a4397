"""Application and request contexts.

An application context makes ``current_app`` and ``g`` available; a request
context adds ``request`` and ``session`` and, when the active application context
belongs to some other app (or there is none), brings one of its own along.

Both kinds share :class:`_ContextFrame`: each push records a context-variable
token, and only the pop that undoes the first push finishes the context off.
"""

from __future__ import annotations

import contextvars
import functools
import sys
import typing as t
from types import TracebackType

from werkzeug.exceptions import HTTPException

from . import typing as ft
from .globals import _cv_app, _cv_request
from .sessions import SessionInterface
from .signals import appcontext_popped, appcontext_pushed

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from blinker import NamedSignal
    from werkzeug.routing import MapAdapter

    from .app import Flask
    from .sessions import SessionMixin
    from .wrappers import Request

#: Default of ``pop(exc=...)`` and ``g.pop(default=...)``: "nothing was passed".
_UNSET: t.Any = object()

_Frame = t.TypeVar("_Frame", bound="_ContextFrame")
F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def _do_nothing() -> None:
    """Stand-in for a method an object does not have."""


#: Held in ``RequestContext._session`` in place of a null session nobody has read
#: yet. Most requests of an app without a secret key never touch the session, and
#: building, checking and freeing a throwaway placeholder costs every one of them.
_NULL_SESSION_PENDING: t.Any = object()


#: The stock ways to make and recognise a null session, which the placeholder relies on.
_STOCK_MAKE_NULL_SESSION = SessionInterface.make_null_session
_STOCK_IS_NULL_SESSION = SessionInterface.is_null_session


class _AppCtxGlobals:
    """The ``g`` namespace: a plain attribute bag that lives as long as its app context.

    Attributes live in the instance ``__dict__`` like on any object; the attribute
    hooks below exist so type checkers accept arbitrary names on ``g``.
    """

    def __getattr__(self, name: str) -> t.Any:
        # Python calls this only once ordinary lookup has failed.
        raise AttributeError(name)

    def __setattr__(self, name: str, value: t.Any) -> None:
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        object.__delattr__(self, name)

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """The attribute ``name``, or ``default`` when it is not set."""
        return vars(self).get(name, default)

    def pop(self, name: str, default: t.Any = _UNSET) -> t.Any:
        """Remove and return ``name``; without a default a missing name is a KeyError."""
        fallback = () if default is _UNSET else (default,)
        return vars(self).pop(name, *fallback)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """Return ``name``, setting it to ``default`` first if it is missing."""
        return vars(self).setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in vars(self)

    def __iter__(self) -> t.Iterator[str]:
        return iter(vars(self))

    def __repr__(self) -> str:
        owner = _cv_app.get(None)
        if owner is None:
            return object.__repr__(self)
        # The package's name as imported: "flask" under flask-conformance drop-in.
        return f"<{__name__.partition('.')[0]}.g of {owner.app.name!r}>"


def _active_request_context(caller: str) -> RequestContext:
    """The request context in effect, or a RuntimeError that names ``caller``."""
    active = _cv_request.get(None)
    if active is not None:
        return active
    raise RuntimeError(
        f"{caller}() needs an active request context (for example inside a view"
        " function or under 'with app.test_request_context():'); none is pushed now."
    )


def after_this_request(f: ft.AfterRequestCallable[t.Any]) -> ft.AfterRequestCallable[t.Any]:
    """Run ``f(response)`` after the current request, before ``after_request`` functions."""
    _active_request_context("after_this_request")._after_request_functions.append(f)
    return f


def copy_current_request_context(f: F) -> F:
    """Wrap ``f`` so that, called later (say in a thread), it re-enters a duplicate
    of the request context that is current at decoration time.

    The copy shares the request object and the session, so a thread started from
    a view can still read ``request`` and ``session`` after the view returned.
    """
    snapshot = _active_request_context("copy_current_request_context").copy()

    @functools.wraps(f)
    def inside_snapshot(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with snapshot:
            call = snapshot.app.ensure_sync(f)
            return call(*args, **kwargs)

    return t.cast(F, inside_snapshot)


def has_request_context() -> bool:
    """True while some request context is pushed."""
    return _cv_request.get(None) is not None


def has_app_context() -> bool:
    """True while some application context is pushed (a request context brings one)."""
    return _cv_app.get(None) is not None


#: What one push changed, so the matching pop can undo exactly that: the context
#: variable's token and the app context a request context brought along (or None).
#: A plain tuple: one is made on every push of every request.
_Push = t.Tuple["contextvars.Token[t.Any]", t.Optional["AppContext"]]


class _ContextFrame:
    """The push/pop bookkeeping both context kinds share.

    A context may be pushed several times (``stream_with_context`` and the test
    client do so); every push stacks a :data:`_Push`, and only the pop of the
    last one left runs :meth:`_finish`. Subclasses name their context variable
    and the signal, if any, that announces each pop.
    """

    _var: t.ClassVar[contextvars.ContextVar[t.Any]]
    #: Used in the error raised when contexts are popped out of order.
    _label: t.ClassVar[str]
    #: Sent with the app as sender after every pop that went through (when anyone listens).
    _popped_signal: t.ClassVar[NamedSignal | None] = None
    _pushes: list[_Push]
    app: Flask
    #: Streams still to be sent that will use this context: while any is, the last
    #: pop leaves teardown to the stream's own final pop (see ``stream_with_context``).
    _holds = 0

    def push(self) -> None:
        """Make this context the current one (each kind adds its own setup)."""
        raise NotImplementedError

    def _finish(self, exc: BaseException | None) -> None:
        """Teardown work for the final pop; runs while this context is still current."""

    def pop(self, exc: BaseException | None = _UNSET) -> None:
        """Undo the latest push; the last pop also tears the context down.

        ``exc`` is the error that ended the context, handed to teardown functions;
        when not given, the exception being handled right now (if any) is used.
        """
        if exc is _UNSET:
            exc = sys.exc_info()[1]
        pushes = self._pushes
        try:
            if len(pushes) == 1 and not self._holds:
                self._finish(exc)
        finally:
            # Even when teardown failed: the variable must not keep this context.
            token, companion = pushes.pop()
            on_top = self._var.get()
            self._var.reset(token)
            if companion is not None:  # the app context a request context brought along
                companion.pop(exc)
            if on_top is not self:
                self._popped_out_of_order(on_top)
        announced = self._popped_signal
        if announced is not None and announced.receivers:
            announced.send(self.app, _async_wrapper=self.app.ensure_sync)

    def _popped_out_of_order(self, on_top: _ContextFrame) -> t.NoReturn:
        # Someone pushed a context and never popped it: report both.
        raise AssertionError(f"{self._label} contexts popped out of order: expected {self!r}, found {on_top!r} on top.")

    def __enter__(self: _Frame) -> _Frame:
        self.push()
        return self

    def __exit__(self, exc_type: type | None, exc_value: BaseException | None, tb: TracebackType | None) -> None:
        self.pop(exc_value)


class AppContext(_ContextFrame):
    """While pushed, ``current_app`` is this context's app and ``g`` its namespace."""

    _var = _cv_app
    _label = "Application"
    _popped_signal = appcontext_popped

    def __init__(self, app: Flask) -> None:
        self._pushes = []
        self.app = app

    @functools.cached_property
    def g(self) -> _AppCtxGlobals:
        """The ``g`` namespace, an :attr:`~shim.Flask.app_ctx_globals_class` instance;
        made on first use, as most requests never touch ``g`` (it can be assigned)."""
        return self.app.app_ctx_globals_class()

    @functools.cached_property
    def url_adapter(self) -> MapAdapter | None:
        """The URL map bound to ``SERVER_NAME`` for building URLs outside a request;
        bound on first use, as the app context of most requests never needs it."""
        return self.app.create_url_adapter(None)

    def push(self) -> None:
        """Bind ``current_app`` and ``g`` to this context and announce it."""
        self._pushes.append((_cv_app.set(self), None))
        if appcontext_pushed.receivers:  # blinker's send costs a little even unheard
            appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def _finish(self, exc: BaseException | None) -> None:
        self.app.do_teardown_appcontext(exc)


class RequestContext(_ContextFrame):
    """Everything about one request: the request object, its session, its URL match."""

    _var = _cv_request
    _label = "Request"

    def __init__(self, app: Flask, environ: WSGIEnvironment, request: Request | None = None,
                 session: SessionMixin | None = None) -> None:
        self._pushes = []
        self.app = app
        if request is None:
            request = app.request_class(environ)
            # The app's provider, so request.get_json() follows app.json.
            request.json_module = app.json
        self.request: Request = request
        adapter: MapAdapter | None = None
        try:
            adapter = app.create_url_adapter(request)
        except HTTPException as error:
            # Kept for dispatch, where the app's error handlers answer it like any other.
            request.routing_exception = error
        self.url_adapter = adapter
        # Opened on the first push; read it through the ``session`` property.
        self._session: SessionMixin | None = session
        # Filled by after_this_request(); the app runs them before after_request hooks.
        self._after_request_functions: list[ft.AfterRequestCallable[t.Any]] = []

    #: Messages get_flashed_messages() took out of the session, once it ran (set on
    #: the instance then; most requests never flash).
    flashes: list[tuple[str, str]] | None = None

    def copy(self) -> RequestContext:
        """A second context around this request object and session, to push elsewhere."""
        # Both contexts share one session object, so a pending null session is made now.
        return type(self)(self.app, self.request.environ, request=self.request, session=self._built_session())

    def _built_session(self) -> SessionMixin | None:
        """``_session``, with a pending null session made first (None before the first push)."""
        if self._session is _NULL_SESSION_PENDING:
            self._session = self.app.session_interface.make_null_session(self.app)
        return self._session

    @property
    def session(self) -> SessionMixin:
        """This request's session; every read marks it accessed.

        The ``session`` proxy resolves through here on each use, so any use of it
        (an item, ``in``, ``len``, iteration, even ``session.modified``) counts,
        and the saved response then varies on the cookie. Framework code that
        must not count as a use (saving, copying) reads ``_session`` instead.
        """
        opened = self._built_session()
        if opened is None:
            raise RuntimeError("No session yet: it opens on the context's first push().")
        opened.accessed = True
        return opened

    def match_request(self) -> None:
        """Match the URL against the app's rules, storing the rule or the routing error."""
        adapter = self.url_adapter
        assert adapter is not None, "match_request() needs a URL adapter"
        request = self.request
        try:
            request.url_rule, request.view_args = adapter.match(return_rule=True)  # type: ignore[misc]
        except HTTPException as error:
            # Raised at dispatch time instead, through the app's error handlers.
            request.routing_exception = error

    def push(self) -> None:
        """Bind ``request`` and ``session`` to this context (bringing an app context
        along when needed), open the session and match the URL."""
        app = self.app
        # An app context of this very app may already be active (a test's
        # ``with app.app_context()``); otherwise this push brings a fresh one.
        active = _cv_app.get(None)
        companion = None
        if active is None or active.app is not app:
            companion = app.app_context()
            companion.push()
        self._pushes.append((_cv_request.set(self), companion))
        # Only after binding, so a session interface may use request-bound helpers
        # such as url_for; and only once, so a re-push (streaming) keeps the session.
        if self._session is None:
            interface = app.session_interface
            opened = interface.open_session(app, self.request)
            if opened is None:
                # Made on first use only if the interface makes and recognises null
                # sessions the stock way (no replacement in a subclass or the instance);
                # checked inline, as a helper's call would cost every such request.
                cls, own = interface.__class__, interface.__dict__
                stock = (
                    cls.make_null_session is _STOCK_MAKE_NULL_SESSION
                    and cls.is_null_session is _STOCK_IS_NULL_SESSION
                    and "make_null_session" not in own
                    and "is_null_session" not in own
                )
                opened = _NULL_SESSION_PENDING if stock else interface.make_null_session(app)
            self._session = opened
        # After the session, so URL converters can read it.
        if self.url_adapter is not None:
            self.match_request()

    def _finish(self, exc: BaseException | None) -> None:
        request = self.request
        try:
            self.app.do_teardown_request(exc)
            # Frees the spooled upload files; a custom request class may have no close().
            getattr(request, "close", _do_nothing)()
        finally:
            # The environ points back at the request; break the cycle for the GC.
            request.environ["werkzeug.request"] = None

    def __repr__(self) -> str:
        req = self.request
        return f"<{type(self).__name__} {req.url!r} [{req.method}] of {self.app.name}>"
