"""The shim, except that every 404 answer also carries ``Cache-Control: no-store``."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def process_response(self, response):
        response = super().process_response(response)
        if response.status_code == 404:
            response.headers["Cache-Control"] = "no-store"
        return response
