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

A record also declares how the suite may reach it and what it offers: the
``transports`` it can be driven over (conformance/transports/; the first is the
default), its ``capabilities`` (conformance/capabilities.py; declared, never probed),
an optional ``serve`` hook for an implementation with a server of its own, and
``aliases`` for an implementation whose members carry other names than Flask's
(Quart's ``Quart`` for ``Flask``), so tests keep saying ``flask.Flask``.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import importlib.util
import types
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from . import capabilities as _capabilities
from . import versions
from .transports import TRANSPORTS

ENTRY_POINT_GROUP = "flask_conformance.implementations"
#: ``conforms_to`` value meaning "the version of the installed distribution", for
#: Flask itself (or a fork that keeps Flask's version numbers).
INSTALLED = "installed"
#: A module named with ``--impl`` may define this attribute as its
#: :class:`Implementation` record, instead of registering an entry point.
RECORD_ATTRIBUTE = "CONFORMANCE_IMPLEMENTATION"

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


#: ``serve(app) -> (url, stop)``: start the implementation's own server for ``app``
#: on 127.0.0.1 and return its base URL and a callable that stops it.
ServeHook = Callable[[Any], "tuple[str, Callable[[], None]]"]


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
    #: The transports it can be driven over; the first is its default.
    transports: tuple[str, ...] = ("wsgi", "asgi", "http")
    #: What it offers (names from conformance/capabilities.py); everything Flask
    #: offers unless the record says otherwise.
    capabilities: frozenset[str] = _capabilities.FLASK_CAPABILITIES
    #: Its own server, used by the ``http`` transport instead of the suite's.
    serve: ServeHook | None = None
    #: Flask name -> its name, for members it names differently: ``{"Flask": "Quart",
    #: "testing.FlaskClient": "testing.QuartClient"}`` (a dotted key is a submodule's member).
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: The distribution of the Flask it builds on (Quart builds on Flask's sansio
    #: code), whose version then shapes its behaviour: reported in result headers,
    #: and what ``conforms_to=INSTALLED`` means for it.
    runs_on: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "transports", tuple(self.transports))
        object.__setattr__(self, "capabilities", frozenset(self.capabilities))

    def load(self) -> types.ModuleType:
        """Import the top-level module (seen through ``aliases``), turning any failure into one line."""
        module = _import(self.module, f"implementation {self.name!r}")
        return self._aliased(module, "")

    def submodule(self, flask_name: str) -> types.ModuleType:
        """Import the implementation's counterpart of ``flask.<flask_name>``."""
        path = self.submodules.get(flask_name, f"{self.module}.{flask_name}")
        module = _import(path, f"implementation {self.name!r} (flask.{flask_name})")
        return self._aliased(module, flask_name)

    def _aliased(self, module: types.ModuleType, flask_name: str) -> types.ModuleType:
        prefix = f"{flask_name}." if flask_name else ""
        names = {k[len(prefix) :]: v.rpartition(".")[2] for k, v in self.aliases.items()
                 if k.startswith(prefix) and "." not in k[len(prefix) :]}
        if not names:
            return module
        return AliasedModule(module, names, self.name, f"flask.{prefix}")

    def check_record(self) -> None:
        """Raise :class:`ImplementationError` when the record names an unknown
        transport or capability, or has no transport at all."""
        if not self.transports:
            raise ImplementationError(f"implementation {self.name!r} declares no transport")
        for name in self.transports:
            if name not in TRANSPORTS:
                raise ImplementationError(
                    f"implementation {self.name!r} declares unknown transport {name!r} "
                    f"(known: {', '.join(TRANSPORTS)})"
                )
        try:
            _capabilities.check(self.capabilities, f"implementation {self.name!r}")
        except _capabilities.CapabilityError as exc:
            raise ImplementationError(str(exc)) from None

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
            return self.flask_version if self.runs_on else self.version
        return self.conforms_to

    @cached_property
    def flask_version(self) -> str | None:
        """The installed version of the Flask it runs on (``runs_on``), if any."""
        if self.runs_on is None:
            return None
        try:
            return metadata.version(self.runs_on)
        except metadata.PackageNotFoundError:
            return None

    @property
    def default_transport(self) -> str:
        return self.transports[0]

    def describe(self) -> dict[str, Any]:
        """A JSON-ready summary for result headers."""
        return {
            "name": self.name,
            "module": self.module,
            "version": self.version,
            "conforms_to": self.declared_version,
            "transports": list(self.transports),
            "capabilities": sorted(self.capabilities),
            **({"flask_version": self.flask_version} if self.runs_on else {}),
        }


class AliasedModule(types.ModuleType):
    """An implementation's module seen under Flask's names: ``flask.Flask`` reads the
    member the record's ``aliases`` name (``Quart``); every other name reads through."""

    def __init__(self, module: types.ModuleType, names: Mapping[str, str], impl: str, shown: str) -> None:
        super().__init__(module.__name__, module.__doc__)
        object.__setattr__(self, "_conformance_target", module)
        object.__setattr__(self, "_conformance_names", dict(names))
        object.__setattr__(self, "_conformance_where", (impl, shown))

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("_conformance_") or name == "__class__":
            return object.__getattribute__(self, name)
        target = object.__getattribute__(self, "_conformance_target")
        renamed = object.__getattribute__(self, "_conformance_names").get(name)
        if renamed is None:
            return getattr(target, name)
        try:
            return getattr(target, renamed)
        except AttributeError:
            impl, shown = object.__getattribute__(self, "_conformance_where")
            raise ImplementationError(
                f"implementation {impl!r} lacks {shown}{name} (renamed {renamed}, which {target.__name__} lacks)"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_conformance_target"), name, value)

    def __dir__(self) -> list[str]:
        target = object.__getattribute__(self, "_conformance_target")
        return sorted(set(dir(target)) | set(object.__getattribute__(self, "_conformance_names")))


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
#: Quart, Pallets' asyncio implementation of the Flask API (the ``quart`` extra). It
#: builds on the installed Flask's sansio code and claims that Flask's behaviour. An
#: ASGI app whose request data, responses and templates are awaited, whose contexts
#: are ``async with`` blocks and whose test client and CLI runner are its own;
#: conformance/expectations/quart.toml lists where it behaves otherwise.
QUART = Implementation(
    name="quart",
    module="quart",
    distribution="quart",
    conforms_to=INSTALLED,
    runs_on="flask",
    # Its sansio layer is Flask's own: Quart and its Blueprint subclass those classes.
    submodules={name: f"flask.{name}" for name in ("sansio.app", "sansio.blueprints", "sansio.scaffold")},
    transports=("asgi", "http"),
    # Quart 0.22 answers a view's exception with a traceback page when TESTING or
    # DEBUG is on (quart/asgi.py), so exceptions never reach the caller.
    capabilities=_capabilities.FLASK_CAPABILITIES
    - {"wsgi", "sync-contexts", "sync-request-data", "sync-responses", "test-client", "reason-phrase",
       "exceptions-reach-caller"}
    | {"asgi"},
    aliases={
        "Flask": "Quart",
        "app.Flask": "app.Quart",
        "testing.FlaskClient": "testing.QuartClient",
        "testing.FlaskCliRunner": "testing.QuartCliRunner",
        "cli.FlaskGroup": "cli.QuartGroup",
    },
)


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
        # A module may carry its own record (transports, capabilities, serve hook, ...).
        record = getattr(impl.load(), RECORD_ATTRIBUTE, None)
        if record is not None:
            impl = _coerce(name, record, f"{name}.{RECORD_ATTRIBUTE}")
    impl.check_record()
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
