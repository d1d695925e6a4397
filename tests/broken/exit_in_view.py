"""The shim, except that a redirect with code 307 raises SystemExit."""

import sys

from shim import *  # noqa: F403

from ._misbehaving import with_fault

Flask, redirect = with_fault(lambda: sys.exit(3))
