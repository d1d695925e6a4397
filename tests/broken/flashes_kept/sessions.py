"""shim.sessions, unchanged."""

from shim.sessions import *  # noqa: F403
