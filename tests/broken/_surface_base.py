"""Shared by the ``surface_*`` broken implementations: a copy of an implementation's
public API in which one module can be swapped for an edited copy.

The base is the shim, which covers the whole recorded surface, so in test_surface.py
exactly the facts a broken implementation breaks fail: removing a public name or
changing a public signature of the shim is caught.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable

from conformance.implementations import PUBLIC_SUBMODULES

BASE = "shim"


def build(package: str, edit: Callable[[dict[str, types.ModuleType]], None], *edited: str) -> dict[str, object]:
    """Make ``package.<sub>`` import the base's submodules, except the ``edited`` ones
    (Flask submodule names), which are copies that ``edit`` changes along with a copy
    of the top level (key ""); return the names for the package's own namespace."""
    modules = {"": _copy(importlib.import_module(BASE), package)}
    modules.update({sub: _copy(importlib.import_module(f"{BASE}.{sub}"), f"{package}.{sub}") for sub in edited})
    edit(modules)
    for sub in PUBLIC_SUBMODULES:
        sys.modules[f"{package}.{sub}"] = modules.get(sub) or importlib.import_module(f"{BASE}.{sub}")
    return {k: v for k, v in vars(modules[""]).items() if not k.startswith("__") or k == "__getattr__"}


def _copy(module: types.ModuleType, name: str) -> types.ModuleType:
    copy = types.ModuleType(name, module.__doc__)
    skip = ("__name__", "__spec__", "__loader__", "__package__", "__path__", "__file__")
    copy.__dict__.update({k: v for k, v in vars(module).items() if k not in skip})
    return copy
