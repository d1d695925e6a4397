"""Sessions: per-visitor data kept from one request to the next.

The stock backend stores the entire session in a single cookie, signed (not
encrypted) with the app's ``SECRET_KEY`` by itsdangerous: visitors can read it
but cannot alter it. Any other storage plugs in as a :class:`SessionInterface`
assigned to ``app.session_interface``.

Noticing reads is the request context's job, not this module's: any touch of
the ``session`` proxy flips :attr:`SessionMixin.accessed` to True, and the
backend answers that with ``Vary: Cookie`` so that no cache hands one visitor's
page to another.
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

#: The session key holding the permanent flag: stored with the data, it makes the
#: round trip through the cookie like everything else.
_PERMANENT_KEY = "_permanent"


class SessionMixin(cabc.MutableMapping[str, t.Any]):
    """Session state that every session object carries besides its mapping.

    For a custom backend, ``class MySession(dict, SessionMixin)`` is enough.
    """

    @property
    def permanent(self) -> bool:
        """True when the cookie should survive closing the browser, for
        ``PERMANENT_SESSION_LIFETIME``."""
        return bool(self.get(_PERMANENT_KEY, False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self[_PERMANENT_KEY] = bool(value)

    #: True when the backend made this session for the current request. A cookie
    #: cannot distinguish a fresh session from an emptied one, so the cookie
    #: backend never sets it.
    new = False

    #: True when the data changed. Backends that cannot observe changes have to
    #: assume a change, which is why the mixin says True.
    modified = True

    #: True when the request used the session at all; set by the request context
    #: each time the ``session`` proxy is touched.
    accessed = False


def _flag_change(session: SecureCookieSession) -> None:
    session.modified = True


class SecureCookieSession(CallbackDict[str, t.Any], SessionMixin):
    """The session object of the signed-cookie backend.

    It is a Werkzeug :class:`~werkzeug.datastructures.CallbackDict`, which fires on
    every change made through the dict's own methods and so keeps
    :attr:`modified` current. Mutating a value held inside it goes unseen: set
    ``modified`` yourself afterwards.
    """

    modified = False
    accessed = False

    def __init__(self, initial: cabc.Mapping[str, t.Any] | cabc.Iterable[tuple[str, t.Any]] | None = None) -> None:
        super().__init__(initial, _flag_change)


class NullSession(SecureCookieSession):
    """What an app without a secret key gets in place of a session.

    Reading works and finds nothing, so views that merely look keep running; any
    change raises :class:`RuntimeError` naming the missing setting.
    """


_UNSIGNABLE = (
    "This app has no SECRET_KEY, so its session cannot be signed and stays"
    " read-only. Give app.secret_key a long random value to store data in it."
)


def _no_secret_key(self: NullSession, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    raise RuntimeError(_UNSIGNABLE)


# Every mutating entry point of the dict refuses the same way.
for _writer in ("__setitem__", "__delitem__", "clear", "pop", "popitem", "update", "setdefault"):
    setattr(NullSession, _writer, _no_secret_key)
del _writer


def _cookie_setting(app: Flask, name: str) -> t.Any:
    """The app's ``SESSION_COOKIE_<name>`` setting."""
    return app.config[f"SESSION_COOKIE_{name}"]


class SessionInterface:
    """What an app expects of a session backend.

    Loading (:meth:`open_session`) and storing (:meth:`save_session`) are up to
    the backend; every other method answers from the app's ``SESSION_*`` settings and may be
    overridden on its own. Plug a backend in with
    ``app.session_interface = MyInterface()``. One visitor's requests can overlap,
    so a backend over shared storage is responsible for its own locking.
    """

    #: Instantiated by :meth:`make_null_session`, recognised by :meth:`is_null_session`.
    null_session_class: type[NullSession] = NullSession

    #: Lets extensions know whether session data is pickled by this backend.
    pickle_based = False

    def make_null_session(self, app: Flask) -> NullSession:
        """The placeholder session for when :meth:`open_session` returns None."""
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """True for a placeholder session; those are never saved."""
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: Flask) -> str:
        """The cookie's name, ``SESSION_COOKIE_NAME``."""
        return t.cast(str, _cookie_setting(app, "NAME"))

    def get_cookie_domain(self, app: Flask) -> str | None:
        """``SESSION_COOKIE_DOMAIN``, the cookie's Domain; None keeps the cookie to
        the host that set it."""
        return t.cast("str | None", _cookie_setting(app, "DOMAIN"))

    def get_cookie_path(self, app: Flask) -> str:
        """The cookie's Path, ``SESSION_COOKIE_PATH`` or else ``APPLICATION_ROOT``."""
        return t.cast(str, _cookie_setting(app, "PATH") or app.config["APPLICATION_ROOT"])

    def get_cookie_httponly(self, app: Flask) -> bool:
        """``SESSION_COOKIE_HTTPONLY``: keep the cookie away from page scripts."""
        return t.cast(bool, _cookie_setting(app, "HTTPONLY"))

    def get_cookie_secure(self, app: Flask) -> bool:
        """``SESSION_COOKIE_SECURE``: send the cookie over HTTPS only."""
        return t.cast(bool, _cookie_setting(app, "SECURE"))

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """``SESSION_COOKIE_SAMESITE``, the SameSite policy (``"Lax"``, ``"Strict"``, ...)."""
        return t.cast("str | None", _cookie_setting(app, "SAMESITE"))

    def get_cookie_partitioned(self, app: Flask) -> bool:
        """``SESSION_COOKIE_PARTITIONED``: mark the cookie Partitioned (CHIPS)."""
        return t.cast(bool, _cookie_setting(app, "PARTITIONED"))

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        """The cookie's expiry: a session lifetime from now when the session is
        permanent, else None so that it ends with the browser session."""
        lifetime = app.permanent_session_lifetime if session.permanent else None
        return None if lifetime is None else datetime.now(timezone.utc) + lifetime

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Whether the response has to send the cookie again: after a change, or on
        every response for a permanent session while ``SESSION_REFRESH_EACH_REQUEST``
        keeps pushing its expiry back."""
        refresh = session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
        return bool(session.modified or refresh)

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        """The session of ``request``. Runs as a request starts: its context
        exists, but no URL has been matched yet. Returning None makes the app fall
        back to :meth:`make_null_session`."""
        raise NotImplementedError(f"{type(self).__name__} must implement open_session()")

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Store ``session`` once the response is built (after the ``after_request``
        functions, before the context is popped). Placeholder sessions skip this."""
        raise NotImplementedError(f"{type(self).__name__} must implement save_session()")


#: The tagged-JSON serializer behind the cookie backend.
session_json_serializer = TaggedJSONSerializer()


def _sha1(string: bytes = b"") -> t.Any:
    # Resolved at call time, not import time: on a Python built without SHA-1
    # the module still imports, and an app can pick another digest first.
    return hashlib.sha1(string)


#: The cookie attributes a save sends, each read through ``get_cookie_<name>``.
_COOKIE_ATTRIBUTES = ("domain", "path", "secure", "httponly", "samesite", "partitioned")


class SecureCookieSessionInterface(SessionInterface):
    """The stock backend: the whole session in one cookie, signed with itsdangerous.

    The signing parameters below belong to the cookie format; implementations of
    the Flask API that share them (and the secret key) read each other's cookies.
    """

    #: The session type :meth:`open_session` builds.
    session_class: type[SecureCookieSession] = SecureCookieSession
    #: Converts the session's data to text and back.
    serializer: t.Any = session_json_serializer

    # Data, not code: these signing parameters are Flask's cookie format; a cookie
    # signed with any other value is unreadable to the other implementations.
    #: Mixed into key derivation so a session signature is valid nowhere else.
    salt: str = "cookie-session"
    #: How itsdangerous turns the secret key into the signing key.
    key_derivation: str = "hmac"
    #: The hash under the HMAC signature (SHA-1).
    digest_method: t.Any = staticmethod(_sha1)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """An itsdangerous serializer keyed for ``app``; None when it has no secret key.

        Keys in ``SECRET_KEY_FALLBACKS`` still verify existing cookies, but new ones
        are signed with ``SECRET_KEY`` alone (itsdangerous signs with its last key).
        """
        if not app.secret_key:
            return None
        signing = {"key_derivation": self.key_derivation, "digest_method": self.digest_method}
        return URLSafeTimedSerializer(
            [*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key],
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs=signing,
        )

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        signer = self.get_signing_serializer(app)
        return None if signer is None else self.session_class(*self._stored_data(app, request, signer))

    def _stored_data(self, app: Flask, request: Request, signer: URLSafeTimedSerializer) -> tuple[t.Any, ...]:
        """The cookie's verified contents as ``session_class`` arguments: ``(data,)``,
        or ``()`` for a fresh session."""
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return ()
        # The signature covers a timestamp, so a cookie older than one session
        # lifetime is refused even when the browser still sends it.
        try:
            return (signer.loads(cookie, max_age=int(app.permanent_session_lifetime.total_seconds())),)
        except BadSignature:
            # Forged, expired, garbled, or from an unknown key: start afresh.
            return ()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        write = self._pending_write(app, session)
        # A response varies with the visitor's cookie when the session was read
        # and also when this response itself sets or clears the cookie.
        if session.accessed or write is not None:
            response.vary.add("Cookie")
        if write is None:
            return
        name = self.get_cookie_name(app)
        attributes = {attr: getattr(self, f"get_cookie_{attr}")(app) for attr in _COOKIE_ATTRIBUTES}
        if write == "delete":
            response.delete_cookie(name, **attributes)
            return
        signer = self.get_signing_serializer(app)
        if signer is None:  # the secret key was removed after the session opened
            raise RuntimeError(_UNSIGNABLE)
        value = signer.dumps(dict(session))
        response.set_cookie(name, value, expires=self.get_expiration_time(app, session), **attributes)

    def _pending_write(self, app: Flask, session: SessionMixin) -> t.Literal["set", "delete"] | None:
        """What the response must do with the cookie, if anything."""
        if session:
            return "set" if self.should_set_cookie(app, session) else None
        # Emptied during the request: the browser has to drop its cookie. An empty
        # session that never changed needs no header at all.
        return "delete" if session.modified else None
