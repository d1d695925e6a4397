"""The shim, except that a streamed response is buffered and sent with a Content-Length,
as a server without chunked encoding would: exactly the wire-level streaming tests fail."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return lambda data: None

        iterable = self.wsgi_app(environ, capture)
        try:
            body = b"".join(iterable)
        finally:
            getattr(iterable, "close", lambda: None)()
        headers = captured["headers"]
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers = [*headers, ("Content-Length", str(len(body)))]
        start_response(captured["status"], headers)
        return [body]
