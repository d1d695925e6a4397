"""The shim, except that app.run() without a host (and without SERVER_NAME) listens on
every interface, as an old document says; Flask binds 127.0.0.1."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def run(self, host=None, port=None, debug=None, load_dotenv=True, **options):
        if not host and not self.config.get("SERVER_NAME"):
            host = "0.0.0.0"
        return super().run(host, port, debug, load_dotenv, **options)
