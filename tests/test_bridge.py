"""The async bridge (conformance/bridge.py): the identity where values are plain,
awaiting (bounded) where the implementation declares they are not."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from conformance import bridge
from conformance.capabilities import FLASK_CAPABILITIES

ASYNC = FLASK_CAPABILITIES - {"sync-request-data", "sync-responses", "sync-contexts"}
VAR: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="unset")


async def _value(v: object) -> object:
    await asyncio.sleep(0)
    return v


def test_plain_implementations_get_the_value_itself():
    sync = bridge.Sync(FLASK_CAPABILITIES)
    coro = _value(1)
    try:
        assert sync(coro) is coro  # never awaited: the test sees what Flask returned
    finally:
        coro.close()


def test_async_implementations_get_the_awaited_value_in_the_callers_context():
    sync = bridge.Sync(ASYNC)
    token = VAR.set("caller")

    async def read() -> str:
        return VAR.get()

    try:
        assert sync(_value(7)) == 7
        assert sync(read()) == "caller"
        assert sync("plain") == "plain"
    finally:
        VAR.reset(token)


def test_an_awaitable_that_never_finishes_times_out():
    with pytest.raises(TimeoutError, match="did not finish within 0.2 s"):
        bridge.resolve(asyncio.sleep(60), timeout=0.2)


def test_waiting_on_a_running_loop_is_refused():
    async def inside() -> None:
        coro = _value(1)
        with pytest.raises(bridge.BridgeError, match="running event loop"):
            bridge.resolve(coro)
        coro.close()

    asyncio.run(inside())


class AsyncOnly:
    """A context manager with only the ``async with`` protocol, setting a variable."""

    async def __aenter__(self) -> str:
        self.token = VAR.set("inside")
        return "entered"

    async def __aexit__(self, *exc_info: object) -> None:
        VAR.reset(self.token)


def test_contexts_are_plain_with_blocks_either_way():
    plain = object()
    assert bridge.Sync(FLASK_CAPABILITIES).context(plain) is plain
    with bridge.Sync(ASYNC).context(AsyncOnly()) as value:
        assert (value, VAR.get()) == ("entered", "inside")
    assert VAR.get() == "unset"


def test_a_context_that_waits_on_the_loop_is_reported():
    class Suspend:
        def __await__(self):  # what awaiting a future does: hand control to the loop
            yield

    class Waits:
        async def __aenter__(self) -> None:
            await Suspend()

        async def __aexit__(self, *exc_info: object) -> None:
            pass

    with pytest.raises(bridge.BridgeError, match="waited on the event loop"):
        with bridge.Sync(ASYNC).context(Waits()):
            pass
