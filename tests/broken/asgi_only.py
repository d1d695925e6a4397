"""The shim served only as an ASGI application: calling the app is the ASGI call
(its WSGI app hosted by a2wsgi), and its record declares ``asgi`` instead of
``wsgi``. Not broken: it proves the ASGI paths of the asgi and http transports
(uvicorn), and that tests needing a WSGI app say so."""

from a2wsgi import WSGIMiddleware

from conformance.capabilities import FLASK_CAPABILITIES
from conformance.implementations import PUBLIC_SUBMODULES, Implementation
from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    async def __call__(self, scope, receive, send):
        hosted = self.__dict__.get("_asgi_host")
        if hosted is None:
            hosted = self.__dict__["_asgi_host"] = WSGIMiddleware(self.wsgi_app)
        await hosted(scope, receive, send)


CONFORMANCE_IMPLEMENTATION = Implementation(
    name="broken.asgi_only",
    module="broken.asgi_only",
    conforms_to="3.1",
    transports=("asgi", "http"),
    # ASGI carries no reason phrase: an ASGI app cannot offer reason-phrase.
    capabilities=(FLASK_CAPABILITIES - {"wsgi", "test-client", "reason-phrase", "cli"}) | {"asgi"},
    submodules={name: f"shim.{name}" for name in PUBLIC_SUBMODULES},
)
