"""shim.json.tag, unchanged."""

from shim.json.tag import *  # noqa: F403
