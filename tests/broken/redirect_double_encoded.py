"""The shim, except that redirect() escapes every '%' of the target, so a target
that is already percent-encoded is encoded a second time (%20 becomes %2520)."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import redirect as _redirect


class Flask(_Flask):
    def redirect(self, location, code=302):
        return super().redirect(location.replace("%", "%25"), code)


def redirect(location, code=302, Response=None):  # noqa: N803
    return _redirect(location.replace("%", "%25"), code, Response)
