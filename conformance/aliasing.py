"""Make ``flask`` be another implementation, inside one interpreter.

This module runs at start-up of every Python process that ``flask-conformance
drop-in`` starts (through conformance/dropin_site/sitecustomize.py), including
interpreters of other virtual environments that may not have flask-conformance
installed, so it uses the standard library only and is loaded by file path.

:class:`FlaskAlias` is a meta path finder placed first on ``sys.meta_path``. It
answers ``flask`` and every ``flask.<name>`` with the implementation's own module
object (the same object, so ``monkeypatch.setattr(flask, ...)`` patches the
implementation), never lets the real Flask load, and answers
``importlib.metadata`` questions about the ``flask`` distribution with a record
carrying the Flask version the implementation declares.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata as metadata
import importlib.util
import json
import os
import re
import sys
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The environment variable that carries the alias to child processes (JSON).
ENVIRONMENT_KEY = "FLASK_CONFORMANCE_DROPIN"


@dataclass(frozen=True)
class AliasConfig:
    """What ``flask`` stands for: the implementation's name, top-level module,
    submodule renames, the full Flask version to report, and the directory its
    top-level package was found in (so interpreters of other environments load
    the same code)."""

    name: str
    module: str
    version: str
    submodules: Mapping[str, str] = field(default_factory=dict)
    root: str | None = None

    def dumps(self) -> str:
        return json.dumps(
            {
                "name": self.name,
                "module": self.module,
                "version": self.version,
                "submodules": dict(self.submodules),
                "root": self.root,
            }
        )

    @classmethod
    def loads(cls, text: str) -> AliasConfig:
        data = json.loads(text)
        return cls(
            name=data["name"],
            module=data["module"],
            version=data["version"],
            submodules=data.get("submodules") or {},
            root=data.get("root"),
        )

    def target(self, flask_name: str) -> str:
        """The implementation's module path for ``flask`` or ``flask.<sub>``."""
        if flask_name == "flask":
            return self.module
        sub = flask_name[len("flask.") :]
        # The longest renamed prefix wins: {"json": "x.j"} makes flask.json.tag x.j.tag.
        parts = sub.split(".")
        for cut in range(len(parts), 0, -1):
            renamed = self.submodules.get(".".join(parts[:cut]))
            if renamed is not None:
                return ".".join([renamed, *parts[cut:]])
        return f"{self.module}.{sub}"

    def flask_name(self, module: str) -> str | None:
        """The inverse of :meth:`target`: the ``flask`` name of one of the
        implementation's modules, or None for a module outside it."""
        # The longest renamed target that contains the module wins, as in target().
        for sub, renamed in sorted(self.submodules.items(), key=lambda item: -len(item[1])):
            if module == renamed or module.startswith(renamed + "."):
                return f"flask.{sub}{module[len(renamed):]}"
        if module == self.module:
            return "flask"
        if module.startswith(self.module + "."):
            return f"flask.{module[len(self.module) + 1:]}"
        return None


class _AliasLoader(importlib.abc.InspectLoader):
    """Hands the import system the implementation's module instead of a new one.

    The module is imported when the import system asks for it (create_module),
    not when a finder looks (find_spec), so ``python -m flask`` can run the
    implementation's ``__main__`` through :meth:`get_code` like ``python -m impl``.
    """

    def __init__(self, config: AliasConfig, alias_name: str, spec: importlib.machinery.ModuleSpec) -> None:
        self.config = config
        self.target = config.target(alias_name)
        self.spec = spec
        self.alias_name = alias_name

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(self.target)
        self.spec = module.__spec__ or self.spec
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        # The import system stamped our alias spec on the module; give it back its
        # own, so the implementation's relative imports and reloads keep working.
        module.__spec__ = self.spec
        # The name it is imported by, as for any module: warnings raised in it are
        # attributed to that name, so a filter written for Flask ("module flask.app")
        # applies. Its __spec__ and __package__ keep finding its own files.
        module.__name__ = self.alias_name
        if self.alias_name == "flask":
            # The submodules the package imported for itself answer to their flask
            # names too (a module imported later under its own name keeps that name).
            for name, loaded in list(sys.modules.items()):
                flask_name = self.config.flask_name(name)
                if flask_name is not None and flask_name != "flask" and isinstance(loaded, types.ModuleType):
                    loaded.__name__ = flask_name
                    sys.modules.setdefault(flask_name, loaded)

    def is_package(self, fullname: str) -> bool:
        return self.spec.submodule_search_locations is not None

    def get_code(self, fullname: str) -> types.CodeType | None:
        loader = self.spec.loader
        return loader.get_code(self.target) if isinstance(loader, importlib.abc.InspectLoader) else None

    def get_source(self, fullname: str) -> str | None:
        loader = self.spec.loader
        return loader.get_source(self.target) if isinstance(loader, importlib.abc.InspectLoader) else None


class FlaskAlias(importlib.abc.MetaPathFinder):
    """Resolves ``flask`` and ``flask.*`` to the implementation's modules."""

    def __init__(self, config: AliasConfig) -> None:
        self.config = config

    def find_spec(
        self, fullname: str, path: Any = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "flask" and not fullname.startswith("flask."):
            return None
        found = self._find(self.config.target(fullname), fullname)
        alias = _AliasLoader(self.config, fullname, found)
        # origin: what ``python -m flask`` puts in sys.argv[0], the implementation's file.
        return importlib.machinery.ModuleSpec(
            fullname, alias, origin=found.origin, is_package=alias.is_package(fullname)
        )

    def _find(self, path: str, fullname: str) -> importlib.machinery.ModuleSpec:
        top = path.partition(".")[0]
        if top not in sys.modules and self.config.root:
            self._load_top_level(top)
        try:
            spec = importlib.util.find_spec(path)
        except ModuleNotFoundError as exc:
            if exc.name is None or not (path == exc.name or path.startswith(exc.name + ".")):
                raise  # something the implementation imports is missing: its own error
            spec = None
        if spec is None:
            # The implementation has no such module: flask.<x> does not exist.
            # Never fall through to other finders, which would find the real
            # Flask (or load the implementation's file twice under a new name).
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (implementation {self.config.name!r} has no {path!r})",
                name=fullname,
            )
        return spec

    def _load_top_level(self, top: str) -> None:
        # Load the implementation from where drop-in found it, even in an
        # interpreter whose own path does not hold it (another virtualenv).
        spec = importlib.machinery.PathFinder.find_spec(top, [self.config.root])
        if spec is None or spec.loader is None:
            return  # let the ordinary import report it
        module = importlib.util.module_from_spec(spec)
        sys.modules[top] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(top, None)
            raise

    def find_distributions(
        self, context: metadata.DistributionFinder.Context = metadata.DistributionFinder.Context()
    ) -> Iterator[metadata.Distribution]:
        name = context.name
        if name is None or _normalize(name) == "flask":
            yield AliasDistribution(self.config)


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class AliasDistribution(metadata.Distribution):
    """The ``flask`` distribution as the implementation declares it. It owns no
    files; its console script ``flask`` runs the implementation's ``cli.main``."""

    def __init__(self, config: AliasConfig) -> None:
        self.config = config

    def read_text(self, filename: str) -> str | None:
        if filename in ("METADATA", "PKG-INFO"):
            return (
                "Metadata-Version: 2.1\n"
                "Name: Flask\n"
                f"Version: {self.config.version}\n"
                f"Summary: implementation {self.config.name!r} ({self.config.module}) "
                "standing in for Flask under flask-conformance drop-in\n"
            )
        if filename == "top_level.txt":
            return "flask\n"
        if filename == "entry_points.txt":
            return "[console_scripts]\nflask = flask.cli:main\n"
        return None

    def locate_file(self, path: str | os.PathLike[str]) -> Path:
        return Path(path)


def install(config: AliasConfig) -> FlaskAlias | None:
    """Put the alias first on ``sys.meta_path``; nothing when ``flask`` is itself
    the implementation. Refuses when ``flask`` is already imported, since objects
    created from the real one would then coexist with the implementation's."""
    if config.module == "flask":
        return None
    loaded = sys.modules.get("flask")
    # By its spec: an aliased module's __name__ is "flask" too (see exec_module).
    if loaded is not None and getattr(loaded.__spec__, "name", None) != config.module:
        raise RuntimeError("flask was imported before the drop-in alias could be installed")
    alias = FlaskAlias(config)
    sys.meta_path.insert(0, alias)
    return alias


def install_from_environment(environ: Mapping[str, str] = os.environ) -> FlaskAlias | None:
    """Install the alias that drop-in passed down in :data:`ENVIRONMENT_KEY`."""
    text = environ.get(ENVIRONMENT_KEY)
    if not text:
        return None
    return install(AliasConfig.loads(text))
