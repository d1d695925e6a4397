"""Answering errors: choosing the registered handler, trapping and propagating."""

from __future__ import annotations

import sys
import typing as t
from itertools import product

from werkzeug.exceptions import BadRequest, BadRequestKeyError, HTTPException, InternalServerError
from werkzeug.routing import RoutingException

from ._dispatch import announce
from ._scopes import APP_ONLY, inner_first
from .globals import _cv_request, request
from .signals import got_request_exception

if t.TYPE_CHECKING:  # pragma: no cover
    import logging

    from . import typing as ft
    from .config import Config
    from .wrappers import Response

_Handlers = t.Mapping[t.Optional[int], t.Mapping[type, "ft.ErrorHandlerCallable"]]

#: Lookup keys for an error without a status code: only the class-keyed handlers.
_CLASS_ONLY: tuple[int | None, ...] = (None,)


def _status_of(exc_type: type[BaseException]) -> int | None:
    """The status code handlers of ``exc_type`` are registered under (None for
    errors that are not HTTP errors). Handlers are keyed by class, so the class's
    code counts, not one set on an instance."""
    return exc_type.code if issubclass(exc_type, HTTPException) else None  # type: ignore[attr-defined]


class ErrorsMixin:
    """How the app answers exceptions raised while it handles a request."""

    config: Config
    debug: bool
    testing: bool
    logger: logging.Logger
    error_handler_spec: dict[ft.AppOrBlueprintKey, _Handlers]
    ensure_sync: t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]]
    finalize_request: t.Callable[..., Response]

    def _error_handler(self, error: BaseException) -> ft.ErrorHandlerCallable | None:
        """The handler registered for ``error`` in the current request's scopes.

        Handlers keyed by status code come before handlers keyed by class; within
        each, the request's own blueprint comes first and the app last; and for a
        scope, the error's most specific class that has a handler wins.
        """
        spec = self.error_handler_spec
        if not spec:
            return None
        exc_type = type(error)
        status = _status_of(exc_type)
        keys = _CLASS_ONLY if status is None else (status, None)
        req_ctx = _cv_request.get(None)
        scopes = APP_ONLY if req_ctx is None else inner_first(req_ctx.request)
        # Lazily, in priority order: the first hit ends the search.
        candidates = (
            by_class.get(cls)
            for key, scope in product(keys, scopes)
            if (by_class := spec.get(scope, {}).get(key))
            for cls in exc_type.__mro__
        )
        return next(filter(None, candidates), None)

    def trap_http_exception(self, e: Exception) -> bool:
        """Whether the HTTP error ``e`` should propagate like any other exception
        instead of going to its error handler (or being sent as it is)."""
        if self.config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_400 = self.config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_400 is None:
            # Unset: debug mode traps only a missing-key error from request.form and co.
            return bool(self.debug) and isinstance(e, BadRequestKeyError)
        return bool(trap_400) and isinstance(e, BadRequest)

    def handle_http_exception(self, e: HTTPException) -> HTTPException | ft.ResponseReturnValue:
        """Answer the HTTP error ``e`` with its handler, or send ``e`` itself when there is none."""
        # Errors without a code (wrapping a ready response) and routing redirects are
        # answers already: handlers never see them.
        if e.code is None or isinstance(e, RoutingException):
            return e
        handler = self._error_handler(e)
        return e if handler is None else self.ensure_sync(handler)(e)

    def handle_user_exception(self, e: Exception) -> HTTPException | ft.ResponseReturnValue:
        """Answer an exception the hooks or the view raised: HTTP errors through
        :meth:`handle_http_exception` unless trapped, others through their handler.
        Without a handler the exception goes on up, to :meth:`handle_exception`."""
        if isinstance(e, BadRequestKeyError) and (self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]):
            # Name the missing key in the response, as a developer would want.
            e.show_exception = True
        if isinstance(e, HTTPException) and not self.trap_http_exception(e):
            return self.handle_http_exception(e)
        handler = self._error_handler(e)
        if handler is None:
            raise e
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def _propagates(self) -> bool:
        """Whether unhandled errors escape to the WSGI server (``PROPAGATE_EXCEPTIONS``,
        by default in testing and debug mode) instead of becoming a 500 response."""
        setting = self.config["PROPAGATE_EXCEPTIONS"]
        return bool(self.testing or self.debug) if setting is None else bool(setting)

    def handle_exception(self, e: Exception) -> Response:
        """The last resort for an exception nothing handled: send
        ``got_request_exception``, then re-raise it when errors propagate; otherwise
        log it and answer with a 500 :class:`InternalServerError` (through its handler
        if one is registered, with the original error as ``original_exception``)."""
        exc_info = sys.exc_info()
        announce(got_request_exception, self, exception=e)
        if self._propagates():
            raise e
        self.log_exception(exc_info)
        answer: t.Any = InternalServerError(original_exception=e)
        handler = self._error_handler(answer)
        if handler is not None:
            answer = self.ensure_sync(handler)(answer)
        return self.finalize_request(answer, from_error_handler=True)

    def log_exception(self, exc_info: t.Any) -> None:
        """Log an unhandled exception, with its traceback, at ERROR on :attr:`logger`."""
        self.logger.error(f"Unhandled exception while serving {request.method} {request.path}", exc_info=exc_info)

    def should_ignore_error(self, error: BaseException | None) -> bool:
        """Whether to hide ``error`` from teardown functions; never, unless overridden."""
        return False
