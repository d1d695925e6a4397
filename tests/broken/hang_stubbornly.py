"""The shim, except that a redirect with code 307 never returns and swallows
every exception meant to stop it (the time limit's signal included)."""

import time

from shim import *  # noqa: F403

from ._misbehaving import with_fault


def _hang() -> None:
    while True:
        try:
            time.sleep(3600)
        except BaseException:  # noqa: S110 - the point of this implementation
            pass


Flask, redirect = with_fault(_hang)
