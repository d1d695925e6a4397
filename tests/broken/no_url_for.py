"""The shim without the module-level url_for function."""

from shim import *  # noqa: F403

del url_for  # noqa: F821
