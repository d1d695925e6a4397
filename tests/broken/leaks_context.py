"""The shim, except that a redirect with code 307 pushes an app context (of an
app of its own) and never pops it."""

import shim
from shim import *  # noqa: F403

from ._misbehaving import with_fault

Flask, redirect = with_fault(lambda: shim.Flask("leaked").app_context().push())
