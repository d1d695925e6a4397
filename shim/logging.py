"""The application logger: a standard :mod:`logging` logger named after the app,
with a fallback handler that writes to the WSGI server's error stream."""

from __future__ import annotations

import logging
import sys
import typing as t

from werkzeug.local import LocalProxy

from .globals import _cv_request

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask


def _errors_stream() -> t.TextIO:
    """The current request's ``wsgi.errors``; ``sys.stderr`` outside a request."""
    ctx = _cv_request.get(None)
    if ctx is not None:
        return ctx.request.environ["wsgi.errors"]  # type: ignore[no-any-return]
    # Looked up on each use, so a replaced sys.stderr (pytest's capture) is honoured.
    return sys.stderr


#: A stream that is ``environ["wsgi.errors"]`` during a request and
#: ``sys.stderr`` otherwise, resolved on every write.
wsgi_errors_stream: t.TextIO = LocalProxy(_errors_stream)  # type: ignore[assignment]


def _reached_by(logger: logging.Logger) -> t.Iterator[logging.Logger]:
    """``logger`` and then each ancestor its records propagate to, nearest first."""
    node: logging.Logger | None = logger
    while node is not None:
        yield node
        # A logger that does not propagate is the last one whose handlers see its records.
        node = node.parent if node.propagate else None


def has_level_handler(logger: logging.Logger) -> bool:
    """Whether a handler on ``logger`` or the ancestors it propagates to would emit a
    record at the logger's effective level."""
    level = logger.getEffectiveLevel()
    return any(handler.level <= level for node in _reached_by(logger) for handler in node.handlers)


#: The handler an app's logger gets when nothing else would show its records.
#: Its format is the one Flask's logging documentation gives as the default.
default_handler = logging.StreamHandler(wsgi_errors_stream)
default_handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s"))


def create_logger(app: Flask) -> logging.Logger:
    """The logger named ``app.name``: level DEBUG in debug mode unless a level was
    already chosen, and :data:`default_handler` when no handler would emit."""
    logger = logging.getLogger(app.name)
    # Debug mode only fills in a level nobody chose; an explicit level wins.
    if app.debug and logger.level == logging.NOTSET:
        logger.setLevel(logging.DEBUG)
    # Checked after the level change: DEBUG may be below every existing handler.
    if has_level_handler(logger):
        return logger
    logger.addHandler(default_handler)
    return logger
