"""The shim, except that Response.mimetype_params is always a fresh empty dict: the
Content-Type's parameters are not reported, and changing them changes nothing."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import Response as _Response


class Response(_Response):
    @property
    def mimetype_params(self):
        return {}


class Flask(_Flask):
    response_class = Response
