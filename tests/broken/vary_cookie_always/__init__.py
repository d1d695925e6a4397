"""The shim, except that every response of an app with a secret key carries
``Vary: Cookie``, whether or not the request used the session.

A package, so that ``submodule("sessions")`` and ``submodule("json.tag")`` resolve
to this implementation's own modules."""

from shim import *  # noqa: F403
from shim import Flask as _Flask

from .sessions import SecureCookieSessionInterface


class Flask(_Flask):
    session_interface = SecureCookieSessionInterface()
