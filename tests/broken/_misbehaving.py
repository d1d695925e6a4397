"""Shared by the misbehaving implementations: the shim, with a fault injected
where a redirect with code 307 is built (the module function and the app method)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shim
from shim import Flask as _Flask

FAULT_CODE = 307


def with_fault(fault: Callable[[], None]) -> tuple[type, Callable[..., Any]]:
    """A Flask class and a redirect function that call ``fault`` on code 307."""

    class Flask(_Flask):
        def redirect(self, location: str, code: int = 302) -> Any:
            if code == FAULT_CODE:
                fault()
            return super().redirect(location, code)

    def redirect(location: str, code: int = 302, Response: Any = None) -> Any:  # noqa: N803
        if code == FAULT_CODE:
            fault()
        return shim.redirect(location, code, Response)

    return Flask, redirect
