"""The shim, except that delete_cookie() sends Max-Age=0 without the past Expires
date, which clients that only understand Expires keep the cookie for."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import Response as _Response


class Response(_Response):
    def delete_cookie(self, key, *args, **kwargs):
        super().delete_cookie(key, *args, **kwargs)
        *others, deleting = self.headers.getlist("Set-Cookie")
        kept = "; ".join(part for part in deleting.split("; ") if not part.startswith("Expires="))
        self.headers.setlist("Set-Cookie", [*others, kept])


class Flask(_Flask):
    response_class = Response
