"""The shim, except that args.get() and form.get() ignore ``type=``: the value comes
back as the string sent, and a failed conversion never falls back to the default."""

from werkzeug.datastructures import ImmutableMultiDict

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import Request as _Request


class _Untyped(ImmutableMultiDict):
    def get(self, key, default=None, type=None):  # noqa: A002
        return super().get(key, default)


class Request(_Request):
    parameter_storage_class = _Untyped


class Flask(_Flask):
    request_class = Request
