"""The shim, except that a redirect with code 307 never returns."""

import time

from shim import *  # noqa: F403

from ._misbehaving import with_fault

Flask, redirect = with_fault(lambda: time.sleep(3600))
