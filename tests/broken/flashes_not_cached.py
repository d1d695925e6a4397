"""The shim, except that get_flashed_messages does not keep what it took out of the
session for the rest of the request: a second call in the same request reads the
session again (empty, or only what was flashed since)."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import get_flashed_messages as _get_flashed_messages
from shim.globals import request_ctx


def get_flashed_messages(with_categories=False, category_filter=()):
    request_ctx.flashes = None  # forget the first read of this request
    return _get_flashed_messages(with_categories, category_filter)


class Flask(_Flask):
    def create_jinja_environment(self):
        env = super().create_jinja_environment()
        env.globals["get_flashed_messages"] = get_flashed_messages
        return env
