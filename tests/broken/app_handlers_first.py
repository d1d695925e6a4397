"""The shim, except that error-handler lookup asks the app before the blueprint:
within each key (status code, then class) the scopes run outermost first."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import _errors
from shim._scopes import app_first


class Flask(_Flask):
    def _error_handler(self, error):
        # Swap the scope order for this lookup only; the real shim, running in
        # the same process, keeps its own order.
        inner_first, _errors.inner_first = _errors.inner_first, app_first
        try:
            return super()._error_handler(error)
        finally:
            _errors.inner_first = inner_first
