"""The request cycle: from a WSGI call to a response, and the teardown after it.

The hot path reads the request context from its context variable once and hands the
objects on, instead of resolving the ``request`` proxy again at every step, and only
sends a lifecycle signal when something is connected to it.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import sys
import typing as t

from werkzeug.datastructures import Headers
from werkzeug.utils import get_content_type
from werkzeug.routing import RequestRedirect
from werkzeug.sansio.response import Response as BaseResponse
from werkzeug.wrappers import Response as _WerkzeugResponse

from ._scopes import for_request, unwinding
from .ctx import _NULL_SESSION_PENDING
from .globals import _cv_app, _cv_request, request_ctx
from .signals import appcontext_tearing_down, request_finished, request_started, request_tearing_down

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from blinker import Signal
    from werkzeug.exceptions import HTTPException

    from . import typing as ft
    from .ctx import RequestContext
    from .json.provider import JSONProvider
    from .sessions import SessionInterface
    from .wrappers import Request, Response

_Registry = t.Dict[t.Optional[str], t.List[t.Any]]

#: Marks an argument that was not passed, where None is a meaningful value.
_NOT_PASSED: t.Any = object()

#: A second tuple item of one of these types is headers; anything else is a status.
_HEADER_TYPES = (Headers, dict, tuple, list)
#: Bodies the response class takes as they are (so do iterators, checked last as
#: checking for an abstract class costs more).
_TEXT_BODIES = (str, bytes, bytearray)
#: The exact types of bodies sent as JSON; subclasses go the longer way.
_JSON_BODIES = frozenset({dict, list})
#: The constructor of Werkzeug's response class, which ours inherits unchanged.
_WERKZEUG_RESPONSE_INIT = _WerkzeugResponse.__init__

#: Redirects that make the client repeat the method and body; others turn a POST
#: into a GET and lose the form.
_BODY_PRESERVING_CODES = frozenset({307, 308})
#: Methods that carry no body worth warning about.
_BODYLESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@functools.lru_cache(maxsize=64)
def _content_type(mimetype: str) -> str:
    """The Content-Type Werkzeug's response derives from ``mimetype`` (text types get
    ``; charset=utf-8``), worked out once per mimetype instead of once per response."""
    return get_content_type(mimetype, "utf-8")


def announce(signal: Signal, app: t.Any, **data: t.Any) -> None:
    """Send ``signal`` from ``app``; skipped outright when nothing listens."""
    if signal.receivers:
        signal.send(app, _async_wrapper=app.ensure_sync, **data)


def _active() -> RequestContext:
    """The active request context, read straight from its context variable.

    Hot paths write ``_cv_request.get(None) or _active()``: the variable's own
    lookup in C, this function (and its error) only when no request is active.
    """
    try:
        return _cv_request.get()
    except LookupError:
        # Let the proxy raise its usual "outside of request context" error.
        return request_ctx._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _unpack(rv: tuple[t.Any, ...]) -> tuple[t.Any, t.Any, t.Any]:
    """``(body, status, headers)`` from a view's tuple, either of the last two possibly None."""
    if len(rv) == 3:
        return rv  # type: ignore[return-value]
    if len(rv) == 2:
        body, extra = rv
        return (body, None, extra) if isinstance(extra, _HEADER_TYPES) else (body, extra, None)
    raise TypeError(
        f"A view returned a tuple of {len(rv)} items; the tuple forms are (body, status, headers), "
        "(body, status) and (body, headers)."
    )


class RequestCycleMixin:
    """Turns a WSGI call into a response: hooks, the view, after-request processing
    and teardown. Errors are handed to the :class:`~shim._errors.ErrorsMixin` methods."""

    _got_first_request: bool
    json: JSONProvider
    response_class: type[Response]
    session_interface: SessionInterface
    view_functions: dict[str, ft.RouteCallable]
    # The per-scope hook registries this mixin walks (typed precisely on Scaffold).
    before_request_funcs: _Registry
    after_request_funcs: _Registry
    teardown_request_funcs: _Registry
    url_value_preprocessors: _Registry
    teardown_appcontext_funcs: list[ft.TeardownCallable]
    debug: bool
    ensure_sync: t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]]
    request_context: t.Callable[[WSGIEnvironment], RequestContext]
    handle_exception: t.Callable[[Exception], Response]
    handle_user_exception: t.Callable[[Exception], t.Any]
    should_ignore_error: t.Callable[[BaseException | None], bool]
    log_exception: t.Callable[[t.Any], None]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        """The app as a WSGI callable; it defers to :meth:`wsgi_app`, the layer to wrap."""
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        """Serve one WSGI request. Wrap this method, not the app, to add middleware
        while keeping the app object itself reachable."""
        ctx = self.request_context(environ)
        # What teardown is told ended the request: an error of the push or of dispatch
        # (answered by handle_exception or not), never one of sending the response.
        # One try and one pop for every way out: each helper call here costs every request.
        failure: BaseException | None = None
        try:
            try:
                # A failure of the push is an error of the request, like one of the view.
                ctx.push()
                response = self.full_dispatch_request()
            except Exception as e:
                failure = e
                response = self.handle_exception(e)
            except BaseException as e:
                # Interpreter exits and interrupts are nobody's to answer; teardown
                # still hears about them.
                failure = e
                raise
            return response(environ, start_response)
        finally:
            # The debugger (or a test client) may ask to keep the contexts for later.
            keep = environ.get("werkzeug.debug.preserve_context")
            if keep is not None:
                keep(_cv_app.get())
                keep(_cv_request.get())
            if failure is not None and self.should_ignore_error(failure):
                failure = None
            ctx.pop(failure)

    def full_dispatch_request(self) -> Response:
        """Everything between pushing the request context and popping it: the
        ``request_started`` signal, the before-request hooks, then the view (unless a
        hook answered), errors routed to their handlers, and finalizing."""
        self._got_first_request = True
        try:
            if request_started.receivers:
                announce(request_started, self)
            early = self.preprocess_request()
            outcome = self.dispatch_request() if early is None else early
        except Exception as e:
            outcome = self.handle_user_exception(e)
        return self.finalize_request(outcome)

    def preprocess_request(self) -> ft.ResponseReturnValue | None:
        """Run the URL value preprocessors, then the ``before_request`` functions, each
        set app first; the first function that returns a value answers the request."""
        req = (_cv_request.get(None) or _active()).request
        if self.url_value_preprocessors:
            for preprocess in for_request(self.url_value_preprocessors, req):
                preprocess(req.endpoint, req.view_args)
        if not self.before_request_funcs:  # no hooks anywhere: skip working out scopes
            return None
        hooks = for_request(self.before_request_funcs, req)
        # Lazily: the hooks after the first one that answers do not run.
        answers = (self.ensure_sync(hook)() for hook in hooks)
        return next((answer for answer in answers if answer is not None), None)

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the error URL matching stored on ``request``. In debug mode a redirect
        that would turn a form post into a bodiless GET becomes an explanation instead."""
        routing_error = request.routing_exception
        loses_body = (
            isinstance(routing_error, RequestRedirect)
            and routing_error.code not in _BODY_PRESERVING_CODES
            and request.method not in _BODYLESS_METHODS
        )
        if loses_body and self.debug:
            from .debughelpers import FormDataRoutingRedirect

            raise FormDataRoutingRedirect(request)
        raise routing_error  # type: ignore[misc]

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Call the view the URL matched with the URL's values (or answer an automatic
        OPTIONS request); a failed match raises its routing error instead."""
        req = (_cv_request.get(None) or _active()).request
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule: t.Any = req.url_rule
        if req.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
            return self.make_default_options_response()
        view = self.ensure_sync(self.view_functions[rule.endpoint])
        return view(**req.view_args)  # type: ignore[no-any-return]

    def make_default_options_response(self) -> Response:
        """The automatic OPTIONS answer: empty, with ``Allow`` listing the URL's methods."""
        adapter: t.Any = _active().url_adapter
        response = self.response_class()
        response.allow.update(adapter.allowed_methods())
        return response

    def make_response(self, rv: ft.ResponseReturnValue) -> Response:
        """Build the :attr:`response_class` object for what a view returned.

        ``rv`` is a body alone, or a tuple of a body and its status and headers (all
        three, or the body with just one of them; headers are recognised by type). A body
        is a response (kept, or converted to :attr:`response_class`), text or bytes, a
        dict or list (sent as JSON), an iterator (streamed) or a WSGI application.
        """
        if isinstance(rv, tuple):
            body, status, headers = _unpack(rv)
        else:
            body = rv
            status = headers = None
        if isinstance(body, _TEXT_BODIES):
            cls = self.response_class
            default = cls.default_mimetype
            if headers is None and type(default) is str and cls.__init__ is _WERKZEUG_RESPONSE_INIT:
                # Werkzeug's constructor uses ``default_mimetype`` when given no mimetype
                # and no Content-Type header; without headers that is certain, and saying
                # so skips its header search (a KeyError raised and caught per response).
                return cls(body, status=status, content_type=_content_type(default))
            # The constructor applies status and headers itself, keeping repeated names.
            return cls(body, status=status, headers=headers)
        if type(body) in _JSON_BODIES:
            # Exactly dict or list, so never an iterator: straight to JSON, without
            # the costlier abstract-class checks below.
            response = self.json.response(body)
        elif isinstance(body, cabc.Iterator):
            return self.response_class(body, status=status, headers=headers)
        else:
            response = self._response_from_body(body)
        if status is not None:
            if isinstance(status, (str, bytes, bytearray)):
                response.status = status  # type: ignore[assignment] # "201 CREATED": its own phrase
            else:
                response.status_code = status  # a number gets the standard phrase
        if headers:
            response.headers.update(headers)  # replaces names the response already has
        return response

    def _response_from_body(self, body: t.Any) -> Response:
        """A response for any other body: a response object, a WSGI application, or a
        dict or list of a subclass (tried after iterators, as the plain types are)."""
        if isinstance(body, self.response_class):
            return body
        if isinstance(body, (dict, list)):
            return self.json.response(body)  # type: ignore[return-value]
        if body is None:
            req_ctx = _cv_request.get(None)
            endpoint = None if req_ctx is None else req_ctx.request.endpoint
            raise TypeError(
                f"A view gave no response: the view of endpoint {endpoint!r} returned None"
                " (or reached its end without a return statement)."
            )
        if not (isinstance(body, BaseResponse) or callable(body)):
            raise TypeError(
                f"A view returned {type(body).__name__!r}, which cannot be a response. Return text, bytes, "
                "a dict or list, an iterator, a response object, a WSGI application, or a tuple of one of "
                "those with a status and/or headers."
            )
        try:
            return self.response_class.force_type(body, _active().request.environ)  # type: ignore[arg-type]
        except TypeError as e:
            raise TypeError(f"A view returned {type(body).__name__!r}, which failed as a WSGI application: {e}") from e

    def finalize_request(self, rv: ft.ResponseReturnValue | HTTPException, from_error_handler: bool = False) -> Response:
        """Make the response, process it and send ``request_finished``. While an error
        is being answered, a failure here is logged and the response sent anyway."""
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
            if request_finished.receivers:
                announce(request_finished, self, response=response)
        except Exception:
            if not from_error_handler:
                raise
            self.log_exception(sys.exc_info())
        return response

    def process_response(self, response: Response) -> Response:
        """Pass ``response`` through the ``after_this_request`` functions, then the
        ``after_request`` functions (innermost scope first, newest first); then save
        the session."""
        ctx = _cv_request.get(None) or _active()
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        if self.after_request_funcs:
            for func in unwinding(self.after_request_funcs, ctx.request):
                response = self.ensure_sync(func)(response)
        # Read through ``_session``: the property would count saving as a use of the
        # session and add ``Vary: Cookie`` by itself. A null session never built was
        # never read, and the stock interface would call it null: nothing to save.
        opened: t.Any = ctx._session
        if opened is not _NULL_SESSION_PENDING:
            interface = self.session_interface
            if not interface.is_null_session(opened):
                interface.save_session(self, opened, response)  # type: ignore[arg-type]
        return response

    def do_teardown_request(self, exc: BaseException | None = _NOT_PASSED) -> None:
        """Call the ``teardown_request`` functions (innermost scope first, newest first)
        with ``exc`` (by default the exception being handled, if any), then send
        ``request_tearing_down``."""
        if exc is _NOT_PASSED:
            exc = sys.exc_info()[1]
        if self.teardown_request_funcs:
            req = (_cv_request.get(None) or _active()).request
            for func in unwinding(self.teardown_request_funcs, req):
                self.ensure_sync(func)(exc)
        if request_tearing_down.receivers:
            announce(request_tearing_down, self, exc=exc)

    def do_teardown_appcontext(self, exc: BaseException | None = _NOT_PASSED) -> None:
        """Call the ``teardown_appcontext`` functions, newest first, with ``exc`` (by
        default the exception being handled, if any), then send
        ``appcontext_tearing_down``."""
        if exc is _NOT_PASSED:
            exc = sys.exc_info()[1]
        funcs = self.teardown_appcontext_funcs
        if funcs:
            for func in funcs[::-1]:  # a copy: a function may register another
                self.ensure_sync(func)(exc)
        if appcontext_tearing_down.receivers:
            announce(appcontext_tearing_down, self, exc=exc)

