"""The ``asgi`` transport: the app driven in process as an ASGI application.

:class:`InProcessServer` does for one request what an ASGI server does, and hands the
result to Werkzeug's test client as a WSGI response, so tests keep their client:

* the scope is built from the request as a server builds it from the socket: method,
  path and root path, query string, headers, scheme, the server's address and the
  client's (``REMOTE_ADDR`` then reaches the app; 127.0.0.1 when the test names none);
* the request body is offered in pieces through ``receive``; once the response is over,
  ``receive`` answers ``http.disconnect``;
* a HEAD response's body is dropped on the way out (the headers, Content-Length
  included, stay as the app sent them);
* an app that returns without starting a response gets a 500, as from a server; an
  exception the app raises reaches the caller, as in Starlette's and httpx's test
  clients, so ``exceptions-reach-caller`` holds over this transport.

Every request runs on one event loop per process, in a daemon thread, and every wait
is bounded (:data:`WAIT_SECONDS`): an app that hangs fails its test, it never stalls
the run. A WSGI-only implementation is hosted as an ASGI server hosts one, behind
a2wsgi's ``WSGIMiddleware`` (which runs it in a thread pool and closes its iterable).
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from werkzeug.http import HTTP_STATUS_CODES

from . import request_body, request_headers

if TYPE_CHECKING:
    from ..implementations import Implementation

#: Longest wait for any step of one request (the response start, a body piece, the
#: app finishing after its last piece).
WAIT_SECONDS = 30.0
#: Request bodies go to the app in pieces of this size, as a server reads them.
CHUNK = 65536

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def event_loop() -> asyncio.AbstractEventLoop:
    """The process's event loop for in-process ASGI, started on first use."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="conformance-asgi", daemon=True).start()
            _loop = loop
        return _loop


def as_asgi(app: Any, impl: Implementation) -> tuple[Any, Callable[[], None]]:
    """The app as an ASGI callable, and what releases the wrapping.

    An implementation declaring ``asgi`` is called as it is; one declaring only
    ``wsgi`` is hosted behind a2wsgi's ``WSGIMiddleware``, as a server would.
    """
    if "asgi" in impl.capabilities:
        return app, lambda: None
    from a2wsgi import WSGIMiddleware

    wrapped = WSGIMiddleware(app)
    return wrapped, lambda: wrapped.executor.shutdown(wait=False)


def mount(app: Any, impl: Implementation) -> tuple[InProcessServer, Callable[[], None]]:
    """A WSGI callable reaching ``app`` over in-process ASGI, and its closer."""
    asgi_app, close = as_asgi(app, impl)
    return InProcessServer(asgi_app, event_loop()), close


def status_line(code: int) -> str:
    """The status line for a code: ASGI carries no reason phrase, so the client sees
    the one Werkzeug writes for the code (the app's own phrase is lost, and tests of
    it need ``reason-phrase``)."""
    return f"{code} {HTTP_STATUS_CODES.get(code, 'UNKNOWN').upper()}"


def scope_from(environ: dict[str, Any]) -> dict[str, Any]:
    """The ASGI HTTP scope a server would build for the request ``environ`` describes."""
    root = environ.get("SCRIPT_NAME", "")
    path = root + environ.get("PATH_INFO", "")
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in request_headers(environ)]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": environ.get("SERVER_PROTOCOL", "HTTP/1.1").partition("/")[2] or "1.1",
        "method": environ["REQUEST_METHOD"],
        "scheme": environ.get("wsgi.url_scheme", "http"),
        # WSGI carries paths as latin-1 decoded bytes; ASGI as text and raw bytes.
        "path": path.encode("latin-1").decode("utf-8", "replace"),
        "raw_path": path.encode("latin-1"),
        "root_path": root.encode("latin-1").decode("utf-8", "replace"),
        "query_string": environ.get("QUERY_STRING", "").encode("latin-1"),
        "headers": headers,
        "server": (environ.get("SERVER_NAME", "localhost"), int(environ.get("SERVER_PORT") or 80)),
        "client": (environ.get("REMOTE_ADDR") or "127.0.0.1", int(environ.get("REMOTE_PORT") or 0)),
        "extensions": {},
    }


class _Exchange:
    """One request between the test's thread and the app on the event loop."""

    def __init__(self, app: Any, scope: dict[str, Any], body: bytes) -> None:
        self.app, self.scope, self.body = app, scope, body
        self.events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self.closed = False
        self.head = scope["method"] == "HEAD"
        self.disconnect: asyncio.Event | None = None
        self.future: Future[None] | None = None

    async def run(self) -> None:
        self.disconnect = asyncio.Event()
        pieces = [self.body[i : i + CHUNK] for i in range(0, len(self.body), CHUNK)] or [b""]

        async def receive() -> dict[str, Any]:
            if pieces:
                piece = pieces.pop(0)
                return {"type": "http.request", "body": piece, "more_body": bool(pieces)}
            assert self.disconnect is not None
            await self.disconnect.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if self.closed:
                return  # the client went away: a server drops what follows
            if self.head and message.get("type") == "http.response.body":
                message = {**message, "body": b""}
            self.events.put(("message", message))

        await self.app(self.scope, receive, send)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self.future = asyncio.run_coroutine_threadsafe(self.run(), loop)
        self.future.add_done_callback(lambda f: self.events.put(("done", f)))

    def next(self, what: str) -> tuple[str, Any]:
        try:
            return self.events.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            self.cancel()
            raise TimeoutError(f"the ASGI app sent no {what} within {WAIT_SECONDS:g} s") from None

    def finish(self) -> None:
        """Wait (bounded) for the app to return, and raise what it raised."""
        assert self.future is not None
        try:
            self.future.result(timeout=WAIT_SECONDS)
        except TimeoutError:
            self.cancel()
            raise TimeoutError(f"the ASGI app did not return within {WAIT_SECONDS:g} s of its response") from None

    def cancel(self) -> None:
        if self.future is not None:
            self.future.cancel()

    def close(self, loop: asyncio.AbstractEventLoop) -> None:
        """The client is done: tell the app it disconnected and let it finish."""
        if self.closed:
            return
        self.closed = True
        if self.disconnect is not None:
            loop.call_soon_threadsafe(self.disconnect.set)
        try:
            self.finish()
        except Exception:
            pass  # an error after the response is the app's own business, as on a server


class InProcessServer:
    """A WSGI callable that serves each request by calling an ASGI app in process."""

    def __init__(self, app: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.app = app
        self.loop = loop

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> _Body:
        exchange = _Exchange(self.app, scope_from(environ), request_body(environ) or b"")
        exchange.start(self.loop)
        while True:
            kind, value = exchange.next("response start")
            if kind == "done":
                exc = value.exception() if not value.cancelled() else None
                if exc is not None:
                    raise exc  # exceptions reach the caller
                # Returned without a response: a server answers 500.
                start_response(status_line(500), [("Content-Type", "text/plain; charset=utf-8")])
                return _Body(exchange, self.loop, [b"Internal Server Error"], done=True)
            if value.get("type") == "http.response.start":
                break
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in value.get("headers", [])]
        start_response(status_line(int(value["status"])), headers)
        return _Body(exchange, self.loop)


class _Body:
    """The response body as the app sends it; closing it disconnects the client."""

    def __init__(
        self, exchange: _Exchange, loop: asyncio.AbstractEventLoop, ready: list[bytes] | None = None, done: bool = False
    ) -> None:
        self.exchange, self.loop = exchange, loop
        self.ready = ready or []
        self.done = done

    def __iter__(self) -> Iterator[bytes]:
        yield from self.ready
        while not self.done:
            kind, value = self.exchange.next("response body")
            if kind == "done":
                self.done = True
                exc = value.exception() if not value.cancelled() else None
                if exc is not None:
                    raise exc
                break
            if value.get("type") != "http.response.body":
                continue
            if value.get("body"):
                yield bytes(value["body"])
            if not value.get("more_body", False):
                self.done = True
                self.exchange.finish()  # its cleanup (call_on_close, teardown) has run

    def close(self) -> None:
        self.exchange.close(self.loop)
