"""shim.json.provider, unchanged."""

from shim.json.provider import *  # noqa: F403
