"""The shim's command line, except that automatic discovery skips ``create_app``.

The shim's cli module is loaded a second time under another name, so patching
that copy leaves the real shim (which may run in the same process) untouched.
"""

import importlib.util
import sys
import types

import shim.cli as _shim_cli

_spec = importlib.util.spec_from_file_location("shim._cli_without_create_app", _shim_cli.__file__)
_copy = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _copy
_spec.loader.exec_module(_copy)
_find_best_app = _copy.find_best_app


def find_best_app(module):
    """Search a view of ``module`` that has no ``create_app``."""
    view = types.ModuleType(module.__name__)
    view.__dict__.update({k: v for k, v in vars(module).items() if k != "create_app"})
    return _find_best_app(view)


_copy.find_best_app = find_best_app
globals().update({k: v for k, v in vars(_copy).items() if not k.startswith("__")})
