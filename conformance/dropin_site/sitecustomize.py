"""Start-up hook of ``flask-conformance drop-in`` (conformance/dropin.py).

drop-in puts this directory first on PYTHONPATH, so every Python process the
command starts imports this file at start-up. It installs the ``flask`` alias
described in the environment, then runs the ``sitecustomize`` it hides, if any.
It loads conformance/aliasing.py by file path: the interpreter running here may
belong to another environment, without flask-conformance installed.
"""

import importlib.machinery
import importlib.util
import os
import sys


def _load(name: str, spec: "importlib.machinery.ModuleSpec") -> object:
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _install_alias() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(os.path.dirname(here), "aliasing.py")
    spec = importlib.util.spec_from_file_location("_flask_conformance_aliasing", path)
    _load("_flask_conformance_aliasing", spec).install_from_environment()  # type: ignore[attr-defined]


def _chain() -> None:
    # The sitecustomize this one shadows (a distribution's, a virtualenv's) still runs.
    here = os.path.realpath(os.path.dirname(os.path.abspath(__file__)))
    rest = [p for p in sys.path if os.path.realpath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        _load("sitecustomize", spec)


_install_alias()
_chain()
