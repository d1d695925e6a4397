"""shim.sessions with a cookie interface that drops ``Vary: Cookie``."""

from shim.sessions import *  # noqa: F403
from shim.sessions import SecureCookieSessionInterface as _Interface


class SecureCookieSessionInterface(_Interface):
    def save_session(self, app, session, response):
        super().save_session(app, session, response)
        response.vary.discard("Cookie")
