"""The shim, except that TRAP_HTTP_EXCEPTIONS is ignored: HTTP errors are never
trapped by it (TRAP_BAD_REQUEST_ERRORS and debug mode still trap bad requests)."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def trap_http_exception(self, e):
        saved = self.config["TRAP_HTTP_EXCEPTIONS"]
        self.config["TRAP_HTTP_EXCEPTIONS"] = False
        try:
            return super().trap_http_exception(e)
        finally:
            self.config["TRAP_HTTP_EXCEPTIONS"] = saved
