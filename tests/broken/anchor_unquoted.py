"""The shim, except that url_for appends _anchor without percent-encoding it."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def url_for(self, /, endpoint, *, _anchor=None, **kwargs):
        url = super().url_for(endpoint, _anchor=_anchor, **kwargs)
        if _anchor is None or "#" not in url:
            return url
        return f"{url.partition('#')[0]}#{_anchor}"
