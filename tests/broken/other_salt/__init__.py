"""The shim, except that it signs session cookies with a salt of its own: every
session works within this implementation, but its cookies are foreign to Flask's."""

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim.sessions import SecureCookieSessionInterface as _Interface


class _OtherSalt(_Interface):
    salt = "another-cookie-session"


class Flask(_Flask):
    session_interface = _OtherSalt()
