"""The shim, except that after_request functions run from the app inwards: the app's
before a blueprint's (each scope's newest first, as it should be). Flask runs the
innermost blueprint's first and the app's last."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import _dispatch
from shim._scopes import app_first


def _app_first_unwinding(registry, request):
    return (func for scope in app_first(request) for func in reversed(registry.get(scope, ())))


class Flask(_Flask):
    def process_response(self, response):
        # Swap the walk for this call only; the real shim, running in the same
        # process, keeps its own order (and teardowns keep theirs).
        unwinding, _dispatch.unwinding = _dispatch.unwinding, _app_first_unwinding
        try:
            return super().process_response(response)
        finally:
            _dispatch.unwinding = unwinding
