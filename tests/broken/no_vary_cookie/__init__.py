"""The shim, except that session responses never carry ``Vary: Cookie``: the
session-marking rules (any use of the session varies the response) are broken.

A package, so that ``submodule("sessions")`` and ``submodule("json.tag")`` resolve
to this implementation's own modules."""

from shim import *  # noqa: F403
from shim import Flask as _Flask

from .sessions import SecureCookieSessionInterface


class Flask(_Flask):
    session_interface = SecureCookieSessionInterface()
