"""The context-local proxies: ``current_app``, ``g``, ``request`` and ``session``.

Each proxy reads the innermost pushed context from a :class:`~contextvars.ContextVar`,
so threads and asyncio tasks each see their own.
"""

from __future__ import annotations

import typing as t
from contextvars import ContextVar

from werkzeug.local import LocalProxy

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .ctx import AppContext, RequestContext, _AppCtxGlobals
    from .sessions import SessionMixin
    from .wrappers import Request

# Each message opens with the sentence users search for (seed S4 quotes both as
# the RuntimeError they will see); the advice after it is ours.
_NO_APP = (
    "Working outside of application context. Code that needs the current "
    "application ran without one; push one with 'with app.app_context():'."
)
_NO_REQUEST = (
    "Working outside of request context. Code that needs the current request "
    "ran without one; in tests, push one with 'with app.test_request_context():'."
)

_cv_app: ContextVar[AppContext] = ContextVar("shim.app_ctx")
_cv_request: ContextVar[RequestContext] = ContextVar("shim.request_ctx")

app_ctx: AppContext = LocalProxy(_cv_app, unbound_message=_NO_APP)  # type: ignore[assignment]
current_app: Flask = LocalProxy(_cv_app, "app", unbound_message=_NO_APP)  # type: ignore[assignment]
g: _AppCtxGlobals = LocalProxy(_cv_app, "g", unbound_message=_NO_APP)  # type: ignore[assignment]

request_ctx: RequestContext = LocalProxy(_cv_request, unbound_message=_NO_REQUEST)  # type: ignore[assignment]
request: Request = LocalProxy(_cv_request, "request", unbound_message=_NO_REQUEST)  # type: ignore[assignment]
# LocalProxy looks the attribute up again on every operation, and
# RequestContext.session marks the session accessed on each lookup: that is how
# any use of this proxy, even ``in`` or ``len``, ends up as ``Vary: Cookie``.
session: SessionMixin = LocalProxy(_cv_request, "session", unbound_message=_NO_REQUEST)  # type: ignore[assignment]
