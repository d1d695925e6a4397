"""The registry of implementations of the Flask API that the suite can run against.

An implementation is named on the command line (``--impl NAME``). A name resolves,
in order, through the ``flask_conformance.implementations`` entry-point group and
then as an importable module path. An entry point may load an :class:`Implementation`
record (to rename submodules or declare a version), a module, or a zero-argument
callable returning either.

Every implementation declares the Flask version whose behaviour it claims
(``conforms_to``; see conformance/versions.py): real Flask the installed release,
the shim the newest series it implements, any other the newest Flask unless its
record says otherwise.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import importlib.util
import types
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from . import versions

ENTRY_POINT_GROUP = "flask_conformance.implementations"
#: ``conforms_to`` value meaning "the version of the installed distribution", for
#: Flask itself (or a fork that keeps Flask's version numbers).
INSTALLED = "installed"

#: The public submodules of Flask that tests reach by their Flask name.
PUBLIC_SUBMODULES: tuple[str, ...] = (
    "app",
    "blueprints",
    "cli",
    "config",
    "ctx",
    "debughelpers",
    "globals",
    "helpers",
    "json",
    "json.provider",
    "json.tag",
    "logging",
    "sansio.app",
    "sansio.blueprints",
    "sansio.scaffold",
    "sessions",
    "signals",
    "templating",
    "testing",
    "views",
    "wrappers",
)


class ImplementationError(Exception):
    """An implementation could not be resolved or loaded; the message is one line."""


@dataclass(frozen=True)
class Implementation:
    """What the suite knows about one implementation under test.

    ``name`` is the name given on the command line; ``module`` the top-level module
    that plays the role of ``flask``; ``submodules`` maps a Flask submodule name
    (``"json.provider"``) to the implementation's own module path where they differ.
    """

    name: str
    module: str
    distribution: str | None = None
    submodules: Mapping[str, str] = field(default_factory=dict)
    #: The Flask version whose behaviour this implementation claims: a version
    #: ("3.1" is the whole 3.1 series, "3.0.3" one release), INSTALLED for the
    #: installed distribution's version, or None for the newest Flask.
    conforms_to: str | None = None

    def load(self) -> types.ModuleType:
        """Import the top-level module, turning any failure into one line."""
        return _import(self.module, f"implementation {self.name!r}")

    def submodule(self, flask_name: str) -> types.ModuleType:
        """Import the implementation's counterpart of ``flask.<flask_name>``."""
        path = self.submodules.get(flask_name, f"{self.module}.{flask_name}")
        return _import(path, f"implementation {self.name!r} (flask.{flask_name})")

    @cached_property
    def version(self) -> str | None:
        """The version of the distribution that provides the implementation."""
        dist = self.distribution or _distribution_of(self.module)
        if dist is None:
            # Not installed as a distribution: fall back on the module's own
            # attribute, which some libraries answer with a deprecation warning.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                return getattr(self.load(), "__version__", None)
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    @property
    def declared_version(self) -> str | None:
        """The Flask version this implementation declares; None is the newest."""
        if self.conforms_to == INSTALLED:
            return self.version
        return self.conforms_to

    def describe(self) -> dict[str, str | None]:
        """A JSON-ready summary for result headers."""
        return {
            "name": self.name,
            "module": self.module,
            "version": self.version,
            "conforms_to": self.declared_version,
        }


@dataclass(frozen=True)
class ImplementationPair:
    """Two implementations one test uses together, e.g. one writes what the other reads.

    Its name (``shim-to-flask``) stands where an implementation's name would, in
    test ids and in results.
    """

    first: Implementation
    second: Implementation

    @property
    def name(self) -> str:
        return f"{self.first.name}-to-{self.second.name}"


#: The reference implementation that ships with this project; it implements the
#: newest Flask series.
SHIM = Implementation(name="shim", module="shim", distribution="flask-conformance", conforms_to="3.1")
#: Real Flask, the behavioural reference: it conforms to whatever release is installed.
FLASK = Implementation(name="flask", module="flask", distribution="flask", conforms_to=INSTALLED)


def _import(path: str, what: str) -> types.ModuleType:
    try:
        return importlib.import_module(path)
    except Exception as exc:  # any import-time failure is the implementation's
        raise ImplementationError(
            f"{what}: cannot import {path!r}: {type(exc).__name__}: {_one_line(exc)}"
        ) from exc


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else "(no message)"


def _distribution_of(module: str) -> str | None:
    top = module.partition(".")[0]
    dists = metadata.packages_distributions().get(top)
    return dists[0] if dists else None


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def known_names() -> list[str]:
    """Names registered through entry points, sorted."""
    return sorted(_entry_points())


def _coerce(name: str, obj: object, origin: str) -> Implementation:
    if isinstance(obj, Implementation):
        # A record registered under another name keeps its mapping but takes
        # the name the user typed, so test ids show what was asked for.
        return obj if obj.name == name else replace(obj, name=name)
    if isinstance(obj, types.ModuleType):
        return Implementation(name=name, module=obj.__name__)
    if callable(obj):
        return _coerce(name, obj(), origin)
    raise ImplementationError(
        f"implementation {name!r}: {origin} gave a {type(obj).__name__}, "
        "expected an Implementation record, a module, or a callable returning one"
    )


def resolve(name: str) -> Implementation:
    """Resolve a command-line name to a loaded, importable implementation.

    Raises :class:`ImplementationError` with a one-line message that names the
    problem and lists the known names.
    """
    eps = _entry_points()
    if name in eps:
        try:
            obj: object = eps[name].load()
        except Exception as exc:
            raise ImplementationError(
                f"implementation {name!r}: entry point {eps[name].value!r} failed to load: "
                f"{type(exc).__name__}: {_one_line(exc)}"
            ) from exc
        impl = _coerce(name, obj, f"entry point {eps[name].value!r}")
    else:
        if not _looks_like_module_path(name):
            raise ImplementationError(_unknown(name, eps))
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a parent package is missing or broken
            found = False
        if not found:
            raise ImplementationError(_unknown(name, eps))
        impl = Implementation(name=name, module=name)
    impl.load()
    declared = impl.declared_version
    if declared is not None:
        try:
            versions.check(declared)
        except versions.VersionError as exc:
            raise ImplementationError(
                f"implementation {name!r} declares conforms_to={impl.conforms_to!r}: {exc}; "
                f"use a version, {INSTALLED!r} or None"
            ) from None
    return impl


def _looks_like_module_path(name: str) -> bool:
    return all(part.isidentifier() for part in name.split("."))


def _unknown(name: str, eps: Mapping[str, object]) -> str:
    known = ", ".join(sorted(eps)) or "(none registered)"
    return (
        f"unknown implementation {name!r}: it is neither a registered name nor an "
        f"importable module; known names: {known}"
    )


def resolve_all(names: Iterable[str]) -> list[Implementation]:
    """Resolve several names, keeping order and dropping repeats."""
    seen: dict[str, Implementation] = {}
    for name in names:
        if name not in seen:
            seen[name] = resolve(name)
    return list(seen.values())
