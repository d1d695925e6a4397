"""The shim, except that its test clients ignore buffered=True: the body is still
read lazily and the app's iterator closed only when the body is consumed.

A package, so that ``submodule("testing")`` resolves to this implementation's own module."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def test_client(self, use_cookies=True, **kwargs):
        client = super().test_client(use_cookies, **kwargs)
        unbuffered_open = client.open

        def open(*args, buffered=False, **options):  # noqa: A001
            return unbuffered_open(*args, buffered=False, **options)

        client.open = open
        return client
