"""Sessions: per-visitor data that lives between requests.

The default backend keeps the whole session in one cookie, signed (not
encrypted) with the app's ``SECRET_KEY`` through itsdangerous: the visitor can
read it but not change it. Other backends plug in through
:class:`SessionInterface` and ``app.session_interface``.

Who reads the session is tracked by the request context rather than here: every
use of the ``session`` proxy sets :attr:`SessionMixin.accessed`, which the
backend turns into ``Vary: Cookie`` so caches never share a per-visitor page.
"""

from __future__ import annotations

import collections.abc as cabc
import hashlib
import typing as t
from datetime import datetime, timezone

from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict

from .json.tag import TaggedJSONSerializer

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .wrappers import Request, Response

__all__ = [
    "NullSession",
    "SecureCookieSession",
    "SecureCookieSessionInterface",
    "SessionInterface",
    "SessionMixin",
    "session_json_serializer",
]

#: Where the permanent flag is stored inside the session data, so that it
#: survives the round trip through the cookie like any other value.
_PERMANENT_KEY = "_permanent"


class SessionMixin(cabc.MutableMapping[str, t.Any]):
    """The attributes every session object has on top of being a mapping.

    A custom backend can use ``class MySession(dict, SessionMixin)``.
    """

    @property
    def permanent(self) -> bool:
        """Whether the cookie should outlive the browser (``PERMANENT_SESSION_LIFETIME``)."""
        return bool(self.get(_PERMANENT_KEY, False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self[_PERMANENT_KEY] = bool(value)

    #: Whether the session was created for this request. A cookie cannot tell
    #: "new" from "empty", so the cookie backend always leaves this False.
    new = False

    #: Whether the data changed. A backend that cannot detect changes should
    #: assume they happened, hence True here.
    modified = True

    #: Whether the session was used during the request; the request context sets
    #: it whenever the ``session`` proxy is touched.
    accessed = False


class SecureCookieSession(CallbackDict[str, t.Any], SessionMixin):
    """The session object of the signed-cookie backend.

    Werkzeug's :class:`~werkzeug.datastructures.CallbackDict` reports every
    change to the dict itself (setting, deleting, ``pop``, ``update``, ...), which
    sets :attr:`modified`. Changes inside a nested value are invisible to it:
    set ``modified`` by hand after mutating one.
    """

    modified = False
    accessed = False

    def __init__(self, initial: cabc.Mapping[str, t.Any] | cabc.Iterable[tuple[str, t.Any]] | None = None) -> None:
        super().__init__(initial, _mark_modified)


def _mark_modified(session: SecureCookieSession) -> None:
    session.modified = True


_NO_SECRET_KEY = (
    "Cannot write to the session: the application has no secret key to sign it "
    "with. Set app.secret_key (the SECRET_KEY setting) to a long random value."
)


class NullSession(SecureCookieSession):
    """The stand-in session of an app that cannot store sessions (no secret key).

    It reads as an empty session, so views that only look at it keep working;
    any attempt to change it raises :class:`RuntimeError` saying why.
    """

    def _refuse(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise RuntimeError(_NO_SECRET_KEY)

    __setitem__ = __delitem__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = update = setdefault = _refuse  # type: ignore[assignment]


class SessionInterface:
    """The contract between an app and a session backend.

    A backend implements :meth:`open_session` and :meth:`save_session`; the other
    methods read the app's ``SESSION_*`` settings and can be overridden one by
    one. Install a backend with ``app.session_interface = MyInterface()``.
    Requests of one visitor may run concurrently, so a backend with shared
    storage must do its own locking.
    """

    #: The class :meth:`make_null_session` instantiates and :meth:`is_null_session` checks for.
    null_session_class: type[NullSession] = NullSession

    #: Tells extensions whether this backend pickles session data.
    pickle_based = False

    def make_null_session(self, app: Flask) -> NullSession:
        """The session used when :meth:`open_session` gives None."""
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Whether ``obj`` is a null session; those are never saved."""
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: Flask) -> str:
        """The cookie's name: ``SESSION_COOKIE_NAME``."""
        return t.cast(str, app.config["SESSION_COOKIE_NAME"])

    def get_cookie_domain(self, app: Flask) -> str | None:
        """The cookie's Domain attribute: ``SESSION_COOKIE_DOMAIN``; None means the
        browser sends it back to the exact host only."""
        return t.cast("str | None", app.config["SESSION_COOKIE_DOMAIN"])

    def get_cookie_path(self, app: Flask) -> str:
        """The cookie's Path: ``SESSION_COOKIE_PATH``, else ``APPLICATION_ROOT``."""
        return t.cast(str, app.config["SESSION_COOKIE_PATH"] or app.config["APPLICATION_ROOT"])

    def get_cookie_httponly(self, app: Flask) -> bool:
        """Whether the cookie is hidden from scripts: ``SESSION_COOKIE_HTTPONLY``."""
        return t.cast(bool, app.config["SESSION_COOKIE_HTTPONLY"])

    def get_cookie_secure(self, app: Flask) -> bool:
        """Whether the cookie is HTTPS-only: ``SESSION_COOKIE_SECURE``."""
        return t.cast(bool, app.config["SESSION_COOKIE_SECURE"])

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """The SameSite attribute (``"Strict"``, ``"Lax"``, ...): ``SESSION_COOKIE_SAMESITE``."""
        return t.cast("str | None", app.config["SESSION_COOKIE_SAMESITE"])

    def get_cookie_partitioned(self, app: Flask) -> bool:
        """Whether the cookie is partitioned (CHIPS): ``SESSION_COOKIE_PARTITIONED``."""
        return t.cast(bool, app.config["SESSION_COOKIE_PARTITIONED"])

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        """When the cookie expires: one session lifetime from now for a permanent
        session, None (end of the browser session) otherwise."""
        if not session.permanent:
            return None
        return datetime.now(timezone.utc) + app.permanent_session_lifetime

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Whether this response must carry the cookie: the session changed, or it
        is permanent and ``SESSION_REFRESH_EACH_REQUEST`` pushes its expiry forward."""
        if session.modified:
            return True
        return session.permanent and bool(app.config["SESSION_REFRESH_EACH_REQUEST"])

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        """Load the session for ``request``, once the request context is pushed and
        before URL matching. None means sessions are unavailable: the app then
        uses :meth:`make_null_session`."""
        raise NotImplementedError

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Persist ``session`` once the response exists (after ``after_request``
        functions, before the context is popped). Not called for a null session."""
        raise NotImplementedError


#: The serializer the cookie backend uses for session data.
session_json_serializer = TaggedJSONSerializer()


def _sha1(string: bytes = b"") -> t.Any:
    # Looked up on each call: a Python built without SHA-1 can then still
    # import this module and configure another digest before signing anything.
    return hashlib.sha1(string)


class SecureCookieSessionInterface(SessionInterface):
    """The default backend: the whole session in a cookie signed by itsdangerous.

    The signing parameters below are part of the cookie format; other
    implementations of the Flask API use the same ones, so they can read each
    other's cookies given the same secret key.
    """

    #: Mixed into the key so that session signatures are not valid elsewhere.
    salt = "cookie-session"
    #: The hash behind the HMAC signature (SHA-1).
    digest_method = staticmethod(_sha1)
    #: How itsdangerous derives the signing key from the secret key.
    key_derivation = "hmac"
    #: Turns the session dict into text and back.
    serializer = session_json_serializer
    #: The session type :meth:`open_session` returns.
    session_class = SecureCookieSession

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """An itsdangerous serializer for the app's keys, or None without a secret key.

        Every key in ``SECRET_KEY_FALLBACKS`` still verifies old cookies; only
        ``SECRET_KEY`` signs new ones (itsdangerous signs with the last key given).
        """
        if not app.secret_key:
            return None
        keys = [*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key]
        return URLSafeTimedSerializer(
            keys,
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
        )

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        # Cookies older than a session lifetime are refused even if the browser
        # still sends them: the timestamp is signed, the client cannot renew it.
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data = signer.loads(cookie, max_age=max_age)
        except BadSignature:
            # Tampered, expired, malformed or signed with an unknown key: the
            # visitor simply starts over with an empty session.
            return self.session_class()
        return self.session_class(data)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        name = self.get_cookie_name(app)
        attributes: dict[str, t.Any] = {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "secure": self.get_cookie_secure(app),
            "httponly": self.get_cookie_httponly(app),
            "samesite": self.get_cookie_samesite(app),
            "partitioned": self.get_cookie_partitioned(app),
        }
        # The response depends on the visitor's cookie whenever the session was
        # read, and also whenever this response sets or deletes the cookie.
        if session.accessed:
            response.vary.add("Cookie")

        if not session:
            # Emptied during the request: tell the browser to drop its cookie.
            # An empty session that was never changed needs no header at all.
            if session.modified:
                response.delete_cookie(name, **attributes)
                response.vary.add("Cookie")
            return

        if not self.should_set_cookie(app, session):
            return
        signer = self.get_signing_serializer(app)
        if signer is None:  # pragma: no cover - open_session gave a null session
            return
        response.set_cookie(
            name,
            signer.dumps(dict(session)),
            expires=self.get_expiration_time(app, session),
            **attributes,
        )
        response.vary.add("Cookie")
