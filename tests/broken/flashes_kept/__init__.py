"""The shim, except that reading flashed messages leaves them in the session, so
they come back on every later request (in views and in templates alike).

A package, so that ``submodule("sessions")`` and ``submodule("json.tag")`` resolve
to this implementation's own modules."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim import get_flashed_messages as _get_flashed_messages
from shim import session


def get_flashed_messages(with_categories=False, category_filter=()):
    queued = session.get("_flashes")
    messages = _get_flashed_messages(with_categories, category_filter)
    if queued:
        session["_flashes"] = queued  # put back what the read took out
    return messages


class Flask(_Flask):
    def create_jinja_environment(self):
        env = super().create_jinja_environment()
        env.globals["get_flashed_messages"] = get_flashed_messages
        return env
