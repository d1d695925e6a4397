"""shim.json, unchanged."""

from shim.json import *  # noqa: F403
