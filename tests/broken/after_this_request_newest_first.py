"""The shim, except that the functions given to after_this_request run newest first,
the way after_request functions do; Flask runs them in the order they were added."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim.globals import request_ctx


class Flask(_Flask):
    def process_response(self, response):
        request_ctx._after_request_functions.reverse()
        return super().process_response(response)
