"""The shim, except that a redirect without a code answers 303 See Other instead of
302 Found (the default one old document claims)."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import redirect as _redirect


class Flask(_Flask):
    def redirect(self, location, code=303):
        return super().redirect(location, code)


def redirect(location, code=303, Response=None):  # noqa: N803
    return _redirect(location, code, Response)
