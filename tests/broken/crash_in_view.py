"""The shim, except that a redirect with code 307 ends the process (os._exit)."""

import os

from shim import *  # noqa: F403

from ._misbehaving import with_fault

Flask, redirect = with_fault(lambda: os._exit(3))
