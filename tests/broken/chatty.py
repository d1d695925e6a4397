"""The shim, except that it writes to stdout and stderr at import and on every
request and redirect."""

import sys

import shim
from shim import *  # noqa: F403
from shim import Flask as _Flask

print("chatty: imported")
print("chatty: imported (stderr)", file=sys.stderr)


def _say(what: str) -> None:
    print(f"chatty: {what}")
    print(f"chatty: {what} (stderr)", file=sys.stderr)


class Flask(_Flask):
    def wsgi_app(self, environ, start_response):
        _say(f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}")
        return super().wsgi_app(environ, start_response)

    def redirect(self, location, code=302):
        _say(f"redirect {code}")
        return super().redirect(location, code)


def redirect(location, code=302, Response=None):  # noqa: N803
    _say(f"redirect {code}")
    return shim.redirect(location, code, Response)
