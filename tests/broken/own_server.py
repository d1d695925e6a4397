"""The shim with a server of its own: its record's ``serve`` hook starts a threaded
Werkzeug server per app, so the ``http`` transport reaches it through that server.
Named with ``--impl=broken.own_server``; the module's record is found through
``CONFORMANCE_IMPLEMENTATION``. (Not broken: it proves the hook.)"""

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from conformance.implementations import Implementation
from shim import *  # noqa: F403

SERVED: list[str] = []  # every URL served, for the harness test


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    SERVED.append(url)

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(10)

    return url, stop


CONFORMANCE_IMPLEMENTATION = Implementation(
    name="broken.own_server",
    module="broken.own_server",
    conforms_to="3.1",
    transports=("http", "wsgi", "asgi"),
    serve=serve,
)
