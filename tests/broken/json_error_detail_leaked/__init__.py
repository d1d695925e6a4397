"""The shim, except that a malformed JSON body's 400 always carries the parser's
message, in debug mode or not (Werkzeug's hook, without Flask's debug check).

A package, so that ``submodule("json.provider")`` resolves to this implementation."""

from werkzeug.wrappers import Request as _WerkzeugRequest

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import Request as _Request


class Request(_Request):
    def on_json_loading_failed(self, e):
        return _WerkzeugRequest.on_json_loading_failed(self, e)


class Flask(_Flask):
    request_class = Request
