"""Transports: how a test's HTTP requests reach the application under test.

Every transport hands the test the same client, Werkzeug's :class:`~werkzeug.test.Client`
returning :class:`~werkzeug.test.TestResponse`, so a test is written once and runs over
any of them (``--transport``):

``wsgi``
    The app called in process as a WSGI application (Werkzeug's test client as is).
``asgi``
    The app driven in process as an ASGI application, by a small in-process server
    (asgi.py) on one event loop per worker. A WSGI-only implementation is wrapped as an
    ASGI server would host it (a2wsgi's ``WSGIMiddleware``).
``http``
    The app mounted behind a real server on 127.0.0.1 (http.py), one per worker, and
    the requests forwarded over the socket.

A transport can take a capability away from every implementation
(:attr:`Transport.removes`): over ``http`` a view's exception becomes a 500 response
and never reaches the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.test import Client

if TYPE_CHECKING:
    from ..implementations import Implementation


@dataclass(frozen=True)
class Transport:
    """One way of reaching an app: ``provides`` are capabilities every app has over it
    (and only over it), ``removes`` those no app has over it."""

    name: str
    summary: str
    provides: frozenset[str] = frozenset()
    removes: frozenset[str] = frozenset()


TRANSPORTS: dict[str, Transport] = {
    t.name: t
    for t in (
        Transport("wsgi", "in process, the app called as a WSGI application"),
        Transport(
            "asgi",
            "in process, the app driven as an ASGI application on a shared event loop",
            removes=frozenset({"reason-phrase", "exact-headers"}),
        ),
        Transport(
            "http",
            "a real server on 127.0.0.1, requests over the socket",
            provides=frozenset({"wire"}),
            removes=frozenset({"exceptions-reach-caller", "client-environ", "exact-headers"}),
        ),
    )
}


class TransportError(Exception):
    """A transport cannot be used; ``str()`` is one line."""


def check(names: Iterable[str]) -> list[str]:
    """The transport names, in order without repeats; raise :class:`TransportError` for an unknown one."""
    found: list[str] = []
    for name in names:
        if name not in TRANSPORTS:
            raise TransportError(f"unknown transport {name!r}; use one of: {', '.join(TRANSPORTS)}")
        if name not in found:
            found.append(name)
    return found


def request_headers(environ: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The request's headers as a client sent them (lowercase names), from a WSGI environ."""
    for key, value in environ.items():
        if key.startswith("HTTP_") and key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            name = key
        else:
            continue
        yield name.lower().replace("_", "-"), str(value)


def request_body(environ: dict[str, Any]) -> bytes | None:
    """The request body the test client built, or None when it built none."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return None
    length = environ.get("CONTENT_LENGTH")
    if length:
        return stream.read(int(length))
    return stream.read() if environ.get("wsgi.input_terminated") else None


def owner(app: Any, impls: Sequence[Implementation]) -> Implementation:
    """The implementation an app belongs to: the first whose module defines a class
    the app is an instance of (a test's subclass of ``flask.Flask`` included)."""
    for cls in type(app).__mro__:
        module = getattr(cls, "__module__", "") or ""
        for impl in impls:
            if module == impl.module or module.startswith(impl.module + "."):
                return impl
    return impls[0]


class Session:
    """The transport for one test: builds clients for its apps, and releases
    whatever they hold (threads, mounts, servers) when the test ends."""

    def __init__(self, name: str, impls: Sequence[Implementation]) -> None:
        self.name = name
        self.impls = list(impls)
        self._closers: list[Callable[[], None]] = []

    def application(self, app: Any) -> Any:
        """A WSGI callable that reaches ``app`` over this transport."""
        impl = owner(app, self.impls)
        if self.name == "wsgi":
            return app
        if self.name == "asgi":
            from . import asgi

            wrapped, close = asgi.mount(app, impl)
        else:
            from . import http

            wrapped, close = http.mount(app, impl)
        self._closers.append(close)
        return wrapped

    def client(self, app: Any, **kwargs: Any) -> Client:
        """Werkzeug's test client on ``app``, over this transport."""
        return Client(self.application(app), **kwargs)

    def close(self) -> None:
        """Release everything, newest first; every closer runs even if one fails."""
        errors: list[BaseException] = []
        while self._closers:
            try:
                self._closers.pop()()
            except Exception as exc:  # keep closing; report the first problem
                errors.append(exc)
        if errors:
            raise errors[0]
