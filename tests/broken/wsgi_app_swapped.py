"""The shim, except that ``__call__`` does the work and ``wsgi_app`` defers to it: the
app still answers, but middleware assigned to ``app.wsgi_app`` never sees a request."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def __call__(self, environ, start_response):
        return _Flask.wsgi_app(self, environ, start_response)

    def wsgi_app(self, environ, start_response):
        return self(environ, start_response)
