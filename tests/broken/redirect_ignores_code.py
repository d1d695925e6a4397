"""The shim, except that redirects always answer 302 whatever code is asked for."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import redirect as _redirect


class Flask(_Flask):
    def redirect(self, location, code=302):
        return super().redirect(location, 302)


def redirect(location, code=302, Response=None):  # noqa: N803
    return _redirect(location, 302, Response)
