"""The shim, except that session cookies carry their timestamp as eight bytes instead
of the shortest form: every cookie still reads (here and in Flask), but the bytes
differ from Flask's for the same session, key and clock."""

from itsdangerous.encoding import base64_encode, want_bytes
from itsdangerous.timed import TimestampSigner

from shim import *  # noqa: F403
from shim import Flask as _Flask
from shim.sessions import SecureCookieSessionInterface as _Interface


class _WideTimestampSigner(TimestampSigner):
    def sign(self, value):
        value = want_bytes(value) + want_bytes(self.sep) + base64_encode(self.get_timestamp().to_bytes(8, "big"))
        return value + want_bytes(self.sep) + self.get_signature(value)


class _WideTimestamps(_Interface):
    def get_signing_serializer(self, app):
        serializer = super().get_signing_serializer(app)
        if serializer is not None:
            serializer.signer = _WideTimestampSigner
        return serializer


class Flask(_Flask):
    session_interface = _WideTimestamps()
