"""The shim, except that its CLI never looks for a ``create_app`` factory.

A package, so the suite can reach its submodules: ``cli`` is the broken one and the
other Flask submodules the tests use are the shim's own (``helpers.py``...)."""

from shim import *  # noqa: F403
