"""Capabilities: what an implementation offers beyond the behaviour a test checks.

An implementation record declares its capabilities (``Implementation.capabilities``);
they are never inferred by probing it. A test declares what it needs with
``@pytest.mark.needs("sync-contexts", ...)``, a spec entry with ``needs = [...]``
(spec/README.md). When the implementation, or the transport the test runs over,
lacks one, the test is *not applicable*: decided at collection, before it runs, and
reported with the missing capability (``--no-waivers`` makes an implementation's
gap a failure instead).
"""

from __future__ import annotations

from collections.abc import Iterable

#: Every capability name, with what it means. Names are lowercase words joined by '-'.
CAPABILITIES: dict[str, str] = {
    "wsgi": "the app is a WSGI callable (app(environ, start_response), app.wsgi_app)",
    "asgi": "the app is an ASGI callable (await app(scope, receive, send))",
    "sync-contexts": "app_context() and test_request_context() work as plain `with` blocks",
    "sync-request-data": "request.data, .form, .files, .json and get_json() are plain values, not coroutines",
    "sync-responses": "make_response, render_template, send_file and Response.get_data return plain values",
    "exceptions-reach-caller": "under TESTING, a view's unhandled exception propagates out of the app to the client",
    "test-client": "app.test_client() and app.test_cli_runner() are Werkzeug/Click based and synchronous",
    "cli": "the flask command line: FlaskGroup, ScriptInfo, app discovery and app.cli",
    "client-environ": "what the test client adds to the WSGI environ beyond the request (environ_base such as "
    "REMOTE_ADDR, an https base URL's scheme) reaches the app",
    "exact-headers": "the client sees exactly the headers the app sent: names as written (ASGI lowercases them), "
    "none added by a server (Server, Date, Connection)",
    "reason-phrase": "the status line's reason phrase reaches the client as the app wrote it (ASGI carries none)",
    "threads": "a request may be served on any thread, several at once",
    # Given by a transport, never by an implementation:
    "wire": "requests and responses travel over a real socket (the http transport)",
}

#: Capabilities only a transport gives (conformance/transports/: ``Transport.provides``).
TRANSPORT_ONLY: frozenset[str] = frozenset({"wire"})

#: What real Flask offers: an implementation without a record is held to all of it.
FLASK_CAPABILITIES: frozenset[str] = frozenset(CAPABILITIES) - {"asgi"} - TRANSPORT_ONLY


class CapabilityError(ValueError):
    """An unknown capability name; ``str()`` is one line naming the known ones."""


def check(names: Iterable[str], where: str) -> frozenset[str]:
    """Return ``names`` as a frozenset, or raise :class:`CapabilityError` for an unknown one."""
    found = frozenset(names)
    unknown = sorted(found - CAPABILITIES.keys())
    if unknown:
        raise CapabilityError(
            f"{where}: unknown capability {unknown[0]!r} (known: {', '.join(sorted(CAPABILITIES))})"
        )
    return found
