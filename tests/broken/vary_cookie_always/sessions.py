"""shim.sessions with a cookie interface that adds ``Vary: Cookie`` on every save."""

from shim.sessions import *  # noqa: F403
from shim.sessions import SecureCookieSessionInterface as _Interface


class SecureCookieSessionInterface(_Interface):
    def save_session(self, app, session, response):
        super().save_session(app, session, response)
        response.vary.add("Cookie")
