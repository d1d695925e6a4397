"""The shim, except that Response.get_json() caches what it parsed (per force and
silent flags), so a body changed afterwards still reads as the old JSON.

A package, so that ``submodule("json.provider")`` resolves to this implementation."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import Response as _Response


class Response(_Response):
    def get_json(self, force=False, silent=False):
        cache = self.__dict__.setdefault("_parsed_json", {})
        if (force, silent) not in cache:
            cache[force, silent] = super().get_json(force=force, silent=silent)
        return cache[force, silent]


class Flask(_Flask):
    response_class = Response
