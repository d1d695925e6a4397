"""The async bridge: one fixture, ``sync``, through which a test's own code uses the
parts of the Flask API that an asyncio implementation (Quart) makes awaitable.

Flask returns plain values from ``request.get_json()``, ``request.data``/``form``/
``files``, ``make_response``, ``render_template(_string)``, ``flash`` and
``send_file``; Quart returns coroutines, which a user awaits in an ``async def`` view.
A test written once for both says ``sync(request.get_json())``:

* on an implementation declaring ``sync-request-data`` and ``sync-responses`` (Flask,
  the shim) ``sync`` is the identity, so the test checks exactly what it did before;
* on one that lacks either, an awaitable is run to its end on an event loop in
  another thread, as ``await`` would run it, in a copy of the caller's context (so
  ``request``, ``session`` and ``current_app`` are the caller's). A sync view of
  Quart runs in a worker thread while the request's loop waits for it, so the
  coroutine runs on that same loop; the wait is bounded (:data:`WAIT_SECONDS`).

``sync.context(cm)`` does the same for a context manager (``app.app_context()``,
``app.test_request_context()``): the manager itself where ``sync-contexts`` is
declared, else a plain ``with`` block that enters and leaves the implementation's
``async with`` protocol in the caller's own context. Pushing a context awaits nothing
that waits, so its coroutine is stepped to the end in place; one that suspends is
reported as such, never waited on.

Whether an implementation is async is what its record declares
(conformance/capabilities.py), never its name or a probe of its return values.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading
from collections.abc import Awaitable, Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

import pytest

from .implementations import Implementation, ImplementationPair

T = TypeVar("T")

#: Longest wait for one awaitable: an implementation that never finishes fails the
#: test, it never stalls the run.
WAIT_SECONDS = 30.0
#: Capabilities without which the bridge awaits instead of passing values through.
SYNC_CAPABILITIES = frozenset({"sync-request-data", "sync-responses"})

#: The event loop the app runs on, when a transport knows it (see :func:`serving_loop`).
_SERVING_LOOP: contextvars.ContextVar[asyncio.AbstractEventLoop | None] = contextvars.ContextVar(
    "conformance_serving_loop", default=None
)
_own_loop: asyncio.AbstractEventLoop | None = None
_own_lock = threading.Lock()


class BridgeError(RuntimeError):
    """The bridge cannot do what the test asked; the message says why."""


def serving_loop(loop: asyncio.AbstractEventLoop) -> contextvars.Token[asyncio.AbstractEventLoop | None]:
    """Record the loop an app is served on, for code running in the current context
    (a transport calls this before it hands a request to the app)."""
    return _SERVING_LOOP.set(loop)


def _loop() -> asyncio.AbstractEventLoop:
    """The loop to run an awaitable on: the serving loop, else the asgi transport's
    shared loop (in process, the app's own), else one of the bridge's own."""
    loop = _SERVING_LOOP.get()
    if loop is not None and loop.is_running():
        return loop
    try:
        from .transports import asgi

        return asgi.event_loop()
    except ImportError:  # pragma: no cover - the transport ships with the plugin
        pass
    global _own_loop
    with _own_lock:
        if _own_loop is None or _own_loop.is_closed():
            _own_loop = asyncio.new_event_loop()
            threading.Thread(target=_own_loop.run_forever, name="conformance-bridge", daemon=True).start()
        return _own_loop


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


def resolve(awaitable: Awaitable[T], timeout: float = WAIT_SECONDS) -> T:
    """Run ``awaitable`` to its end on an event loop in another thread and return its
    value (or raise its exception), in a copy of the caller's context."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is not None:
        raise BridgeError(
            "sync() was called on a running event loop, where it cannot wait; "
            "an async view awaits the value itself"
        )
    loop = _loop()
    # run_coroutine_threadsafe schedules from this thread, so the task starts in a
    # copy of this thread's context: the request and app contexts the view sees.
    future = asyncio.run_coroutine_threadsafe(_await(awaitable), loop)
    try:
        return future.result(timeout)
    except FutureTimeout:
        future.cancel()
        raise TimeoutError(f"an awaitable of the implementation did not finish within {timeout:g} s") from None


def step(coroutine: Coroutine[Any, Any, T], what: str) -> T:
    """Run a coroutine that never waits to its end in the caller's own thread and
    context, so context variables it sets stay set (pushing a context)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise BridgeError(f"{what} waited on the event loop; it cannot be entered from a plain `with` block")


class _SteppedContext:
    """A plain ``with`` block over an ``async with`` context manager."""

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    def __enter__(self) -> Any:
        return step(self.manager.__aenter__(), f"{type(self.manager).__name__}.__aenter__")

    def __exit__(self, *exc_info: Any) -> Any:
        return step(self.manager.__aexit__(*exc_info), f"{type(self.manager).__name__}.__aexit__")


class Sync:
    """The ``sync`` fixture's value: call it on a value the API may make awaitable."""

    def __init__(self, capabilities: frozenset[str]) -> None:
        self.values_are_plain = SYNC_CAPABILITIES <= capabilities
        self.contexts_are_plain = "sync-contexts" in capabilities

    def __call__(self, value: T | Awaitable[T]) -> T:
        if self.values_are_plain or not inspect.isawaitable(value):
            return value  # type: ignore[return-value]
        return resolve(value)

    def context(self, manager: Any) -> Any:
        """``with sync.context(app.app_context()):`` on every implementation."""
        if self.contexts_are_plain:
            return manager
        return _SteppedContext(manager)


@pytest.fixture
def sync(request: pytest.FixtureRequest) -> Sync:
    """The async bridge (conformance/bridge.py): ``sync(request.get_json())`` is the value
    on every implementation, ``sync.context(app.app_context())`` a plain ``with`` block.
    A test of two implementations (``impl_pair``) gets what both declare."""
    if "impl" not in request.fixturenames and "impl_pair" in request.fixturenames:
        pair: ImplementationPair = request.getfixturevalue("impl_pair")
        return Sync(pair.first.capabilities & pair.second.capabilities)
    impl: Implementation = request.getfixturevalue("impl")
    return Sync(impl.capabilities)
