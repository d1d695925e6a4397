"""The shim's command line, except that automatic discovery skips ``create_app``.

The shim's discovery module and its cli module are loaded a second time under
other names, the cli copy importing the discovery copy, so patching the copies
leaves the real shim (which may run in the same process) untouched.
"""

import importlib
import importlib.util
import sys
import types


def _load_copy(real_name, copy_name, replacing=None):
    """Execute the source of ``real_name`` as a new module ``copy_name``; while it
    runs, imports of the modules named in ``replacing`` get the given stand-ins."""
    spec = importlib.util.spec_from_file_location(copy_name, importlib.import_module(real_name).__file__)
    module = importlib.util.module_from_spec(spec)
    sys.modules[copy_name] = module
    saved = {name: sys.modules[name] for name in replacing or {}}
    sys.modules.update(replacing or {})
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.update(saved)
    return module


_discovery = _load_copy("shim._discovery", "shim._discovery_without_create_app")
_find_best_app = _discovery.find_best_app


def find_best_app(module):
    """Search a view of ``module`` that has no ``create_app``."""
    view = types.ModuleType(module.__name__)
    view.__dict__.update({k: v for k, v in vars(module).items() if k != "create_app"})
    return _find_best_app(view)


_discovery.find_best_app = find_best_app
_copy = _load_copy("shim.cli", "shim._cli_without_create_app", {"shim._discovery": _discovery})
globals().update({k: v for k, v in vars(_copy).items() if not k.startswith("__")})
