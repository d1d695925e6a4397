"""shim.testing, unchanged."""

from shim.testing import *  # noqa: F403
