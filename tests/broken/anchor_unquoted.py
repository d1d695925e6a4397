"""The shim, except that url_for appends _anchor without percent-encoding it."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def url_for(self, endpoint, *, _anchor=None, **kwargs):
        url = super().url_for(endpoint, **kwargs)
        return url if _anchor is None else f"{url}#{_anchor}"
