"""The ``http`` transport: the app behind a real server on 127.0.0.1, requests over the socket.

One server per process and kind, started on first use and reused by every test: a
threaded ``werkzeug.serving`` server for WSGI apps, uvicorn in a thread for ASGI
apps (on a pre-bound port-0 socket, lifespan off). Each test's app is *mounted*
on it under a fresh id; the test's client sends that id in a header the server's
dispatcher removes before the app sees the request, so every app gets the request
exactly as sent. An implementation with a server of its own gives its record a
``serve(app) -> (url, stop)`` hook; the app is then served by it, once per app.

The test keeps Werkzeug's client: :class:`Forwarder` is a WSGI callable that sends
the request the client built over the socket (``http.client``, one connection per
request, every wait bounded) and hands back the real status line, headers (the
server's ``Transfer-Encoding``, ``Connection`` and ``Date`` included) and body as
they arrive. What a socket cannot carry is lost, as with any server: the
``wsgi.url_scheme`` of an ``https://`` base URL, extra environ keys, and an
exception the app raises, which becomes the server's 500 response.
"""

from __future__ import annotations

import asyncio
import atexit
import http.client
import itertools
import socket
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from werkzeug.wsgi import ClosingIterator

from . import request_body, request_headers
from ..bridge import serving_loop
from .asgi import status_line

if TYPE_CHECKING:
    from ..implementations import Implementation

#: Longest wait for the server to accept, answer, or send the next piece of a body.
WAIT_SECONDS = 30.0
#: The header carrying the mount id; the dispatcher removes it before the app runs.
MOUNT_HEADER = "X-Conformance-Mount"
_ENVIRON_KEY = "HTTP_" + MOUNT_HEADER.upper().replace("-", "_")
_SCOPE_KEY = MOUNT_HEADER.lower().encode("latin-1")

#: Seconds a closing client waits for the server to finish the request (close the
#: app's iterable, so ``call_on_close`` has run), as the in-process transports do.
CLOSE_WAIT_SECONDS = 5.0

_ids = itertools.count(1)
#: Request id -> set once the server is done with that request.
_finished: dict[str, threading.Event] = {}
_servers: dict[str, _Server] = {}
_lock = threading.Lock()


class _Server:
    """A running server on 127.0.0.1 and the apps mounted on it."""

    def __init__(self, port: int, stop: Callable[[], None], mounts: dict[str, Any]) -> None:
        self.port, self.stop, self.mounts = port, stop, mounts


class _WsgiDispatcher:
    def __init__(self, mounts: dict[str, Any]) -> None:
        self.mounts = mounts

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        mount, _, request = environ.pop(_ENVIRON_KEY, "").partition("/")
        app = self.mounts.get(mount)
        done = _finished.get(request)
        if app is None:
            start_response("421 Misdirected Request", [("Content-Type", "text/plain")])
            return ClosingIterator([b"no app is mounted under this id"], _set(done))
        try:
            return ClosingIterator(app(environ, start_response), _set(done))
        except BaseException:
            _set(done)()
            raise


class _AsgiDispatcher:
    def __init__(self, mounts: dict[str, Any]) -> None:
        self.mounts = mounts

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        headers = scope.get("headers", [])
        mount, _, request = next((v.decode("latin-1") for k, v in headers if k == _SCOPE_KEY), "").partition("/")
        app = self.mounts.get(mount)
        try:
            if app is None:
                await send({"type": "http.response.start", "status": 421, "headers": [(b"content-type", b"text/plain")]})
                await send({"type": "http.response.body", "body": b"no app is mounted under this id"})
                return
            scope = {**scope, "headers": [(k, v) for k, v in headers if k != _SCOPE_KEY]}
            # The async bridge (conformance/bridge.py) awaits a sync view's request
            # data on the loop serving the request: uvicorn's, not the asgi transport's.
            serving_loop(asyncio.get_running_loop())
            await app(scope, receive, send)
        finally:
            _set(_finished.get(request))()


def _set(event: threading.Event | None) -> Callable[[], None]:
    return event.set if event is not None else lambda: None


def _start_wsgi() -> _Server:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass  # one line per request would drown the test output

    mounts: dict[str, Any] = {}
    server = make_server("127.0.0.1", 0, _WsgiDispatcher(mounts), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="conformance-http-wsgi", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(WAIT_SECONDS)

    return _Server(server.server_port, stop, mounts)


def _start_asgi() -> _Server:
    import uvicorn

    mounts: dict[str, Any] = {}
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the OS picks the port, and we hold it from now on
    config = uvicorn.Config(_AsgiDispatcher(mounts), lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="conformance-http-asgi", daemon=True)
    thread.start()
    for _ in range(int(WAIT_SECONDS * 100)):
        if server.started or not thread.is_alive():
            break
        threading.Event().wait(0.01)
    if not server.started:
        server.should_exit = True
        sock.close()
        raise RuntimeError(f"uvicorn did not start within {WAIT_SECONDS:g} s")

    def stop() -> None:
        server.should_exit = True
        thread.join(WAIT_SECONDS)
        sock.close()

    return _Server(sock.getsockname()[1], stop, mounts)


def server(kind: str) -> _Server:
    """This process's server for ``kind`` (``"wsgi"`` or ``"asgi"``), started on first use."""
    with _lock:
        if kind not in _servers:
            _servers[kind] = _start_wsgi() if kind == "wsgi" else _start_asgi()
        return _servers[kind]


def stop_all() -> None:
    """Stop every server this process started (at exit, or when the run ends)."""
    with _lock:
        while _servers:
            _, running = _servers.popitem()
            try:
                running.stop()
            except Exception:
                pass  # stopping is best effort; the threads are daemons


atexit.register(stop_all)


def mount(app: Any, impl: Implementation) -> tuple[Forwarder, Callable[[], None]]:
    """A WSGI callable reaching ``app`` over a real socket, and its closer."""
    if impl.serve is not None:
        url, stop = impl.serve(app)
        parts = urlsplit(url)
        asgi_only = "wsgi" not in impl.capabilities
        return Forwarder(parts.hostname or "127.0.0.1", parts.port or 80, None, canonical_reason=asgi_only), stop
    kind = "wsgi" if "wsgi" in impl.capabilities and "asgi" not in impl.capabilities else "asgi"
    running = server(kind)
    mount_id = str(next(_ids))
    running.mounts[mount_id] = app
    forwarder = Forwarder("127.0.0.1", running.port, mount_id, canonical_reason=kind == "asgi")
    return forwarder, lambda: running.mounts.pop(mount_id, None)


class Forwarder:
    """A WSGI callable that sends each request it is given over the socket and
    answers with what the server sent back (status line, headers and body)."""

    def __init__(self, host: str, port: int, mount_id: str | None, canonical_reason: bool = False) -> None:
        self.host, self.port, self.mount_id = host, port, mount_id
        #: An ASGI app sends no reason phrase, so its server's is no fact about the app:
        #: show Werkzeug's for the code, as the asgi transport does.
        self.canonical_reason = canonical_reason

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> _Body:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=WAIT_SECONDS)
        request = None
        try:
            connection.putrequest(environ["REQUEST_METHOD"], _target(environ), skip_host=True, skip_accept_encoding=True)
            for name, value in request_headers(environ):
                connection.putheader(name, value)
            if self.mount_id is not None:
                request = str(next(_ids))
                _finished[request] = threading.Event()
                connection.putheader(MOUNT_HEADER, f"{self.mount_id}/{request}")
            body = request_body(environ)
            if body is not None and "CONTENT_LENGTH" not in environ:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
        except BaseException:
            connection.close()
            _finished.pop(request or "", None)
            raise
        status = status_line(response.status) if self.canonical_reason else f"{response.status} {response.reason}"
        start_response(status, response.getheaders())
        return _Body(connection, response, request)


class _Body:
    def __init__(self, connection: http.client.HTTPConnection, response: http.client.HTTPResponse, request: str | None) -> None:
        self.connection, self.response, self.request = connection, response, request

    def __iter__(self) -> Iterator[bytes]:
        while True:
            piece = self.response.read1(65536)
            if not piece:
                break
            yield piece

    def close(self) -> None:
        self.connection.close()
        done = _finished.get(self.request or "")
        if done is not None:  # keep it registered until the server has set it
            done.wait(CLOSE_WAIT_SECONDS)
            _finished.pop(self.request or "", None)


def _target(environ: dict[str, Any]) -> str:
    """The request target as it goes on the wire: path and query percent-encoded
    where the client left them raw (already-encoded escapes are kept)."""
    path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("latin-1")
    query = environ.get("QUERY_STRING", "").encode("latin-1")
    target = quote(path, safe="/;:@&=+$,%!~*'()[]")
    return target + "?" + quote(query, safe="/;:@&=+$,%!~*'()[]?") if query else target
