"""The shim, except that build-error handlers get only the URL values: the special
_anchor, _method, _scheme and _external keys are left out of ``values``."""

from shim import *  # noqa: F403
from shim import Flask as _Flask

_SPECIAL = ("_anchor", "_method", "_scheme", "_external")


class Flask(_Flask):
    def handle_url_build_error(self, error, endpoint, values):
        for key in _SPECIAL:
            values.pop(key, None)
        return super().handle_url_build_error(error, endpoint, values)
