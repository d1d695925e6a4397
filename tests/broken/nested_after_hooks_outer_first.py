"""The shim, except that for a nested blueprint's request the after_request
functions of the outer blueprint run before the inner one's (the app's still last,
each scope's newest first). Flask unwinds from the innermost blueprint outwards."""

from unittest import mock

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import _dispatch


def _outer_blueprints_first(registry, request):
    scopes = (*reversed(request.blueprints), None)
    return (func for scope in scopes for func in reversed(registry.get(scope, ())))


class Flask(_Flask):
    def process_response(self, response):
        # Only this call walks the other way: teardowns, and the real shim running
        # in the same process, keep their order.
        with mock.patch.object(_dispatch, "unwinding", _outer_blueprints_first):
            return super().process_response(response)
