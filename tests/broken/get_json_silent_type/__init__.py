"""The shim, except that get_json() and request.json give None for a body not
declared as JSON (what an old guide claims) instead of failing with 415.

A package, so that ``submodule("json.provider")`` resolves to this implementation."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import Request as _Request


class Request(_Request):
    def get_json(self, force=False, silent=False, cache=True):
        if not (force or self.is_json):
            return None
        return super().get_json(force=force, silent=silent, cache=cache)


class Flask(_Flask):
    request_class = Request
