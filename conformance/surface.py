"""The public API surface of Flask as data: record it, diff two recordings, and
measure how much of it an implementation has.

Standard library only, so that it runs as a file in any virtual environment that
has some Flask installed (``python conformance/surface.py record flask -o FILE``)
as well as ``python -m conformance.surface {record,diff,coverage}``. The format of
a recording is described in ``spec/surface/README.md``.

A recording is flattened into :class:`Item` facts (a name exists, a member has a
kind, a signature reads so, a class has a base ...). The generated conformance
tests, the coverage command and the diff all work on those items; the checks that
compare an implementation with them are in conformance/surface_checks.py.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib
import importlib.metadata
import inspect
import json
import platform
import sys
import types
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a file: the shared list of public submodules lives in a sibling
    # module that is standard-library only too.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from conformance.implementations import PUBLIC_SUBMODULES  # noqa: E402

FORMAT = 1
#: The recording the suite checks implementations against, in spec/surface/.
REFERENCE = "flask-3.1.json"
#: Names that start with an underscore but that Flask's API documentation shows.
DOCUMENTED_PRIVATE = frozenset({"flask.ctx._AppCtxGlobals"})
#: Constructor arguments (literals) that build an instance whose instance
#: attributes are recorded; subclasses that keep the same __init__ share them.
PROBES: dict[str, list[Any]] = {
    "flask.app.Flask": ["surface_probe"],
    "flask.blueprints.Blueprint": ["surface_probe", "surface_probe"],
    "flask.config.Config": ["."],
    "flask.json.tag.JSONTag": [None],
    "flask.json.tag.TaggedJSONSerializer": [],
    "flask.cli.ScriptInfo": [],
}
#: Dunder methods that are not API of their own: construction is the class's
#: signature, the rest is bookkeeping of the type system.
IGNORED_DUNDERS = frozenset(
    {"__init__", "__new__", "__init_subclass__", "__class_getitem__", "__subclasshook__", "__annotate__"}
)

P = inspect.Parameter
#: What counts as a function or method. Not inspect.isroutine(), which also takes
#: any non-data descriptor, such as functools.cached_property, for a method.
ROUTINES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    functools.partial,
)


# --- describing objects ------------------------------------------------------


def literal(value: object) -> str | None:
    """A stable repr of a literal value (sets sorted), or None for anything else."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str, bytes):
        return repr(value)
    if kind in (tuple, list, frozenset, set):
        parts = [literal(v) for v in value]  # type: ignore[attr-defined]
        if None in parts:
            return None
        if kind in (frozenset, set):
            inner = ", ".join(sorted(parts))  # type: ignore[arg-type]
            return f"{kind.__name__}({{{inner}}})" if parts else f"{kind.__name__}()"
        text = ", ".join(parts)  # type: ignore[arg-type]
        return f"[{text}]" if kind is list else f"({text},)" if len(parts) == 1 else f"({text})"
    if kind is dict:
        pairs = [(literal(k), literal(v)) for k, v in value.items()]  # type: ignore[attr-defined]
        if any(None in pair for pair in pairs):
            return None
        return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(pairs)) + "}"  # type: ignore[type-var]
    return None


def kind_of(obj: object) -> str:
    """class, exception, function, proxy, signal, module, constant or instance."""
    cls = type(obj)  # never obj.__class__ or isinstance(): a context proxy forwards them
    if any(c.__name__ == "LocalProxy" for c in cls.__mro__):
        return "proxy"
    if issubclass(cls, types.ModuleType):
        return "module"
    if issubclass(cls, type):
        return "exception" if issubclass(obj, BaseException) else "class"  # type: ignore[arg-type]
    if any(c.__module__.partition(".")[0] == "blinker" for c in cls.__mro__):
        return "signal"
    if issubclass(cls, ROUTINES):
        return "function"
    return "constant" if literal(obj) is not None else "instance"


def member_kind(raw: object) -> str:
    """The kind of a class member as found in a class __dict__ (inspect.getattr_static)."""
    if isinstance(raw, staticmethod):
        return "staticmethod"
    if isinstance(raw, classmethod):
        return "classmethod"
    if isinstance(raw, ROUTINES):
        return "method"
    if isinstance(raw, types.MemberDescriptorType):
        return "instance attribute"  # a __slots__ entry
    if not isinstance(raw, type) and hasattr(type(raw), "__get__"):
        return "property"  # property, cached_property, Flask's ConfigAttribute ...
    return "attribute"


def ref_of(obj: object, names: Mapping[int, str]) -> str | None:
    """The public path of a recorded object, else ``module.qualname``, else None."""
    if id(obj) in names:
        return names[id(obj)]
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)):
        return f"{obj.__module__}.{obj.__qualname__}"  # type: ignore[union-attr]
    return None


def describe(value: object, names: Mapping[int, str]) -> str:
    """A default or attribute value: a literal repr, or <sentinel>, <ref X>, <instance X>."""
    text = literal(value)
    if text is not None:
        return text
    if type(value) is object:
        return "<sentinel>"
    ref = ref_of(value, names)
    return f"<ref {ref}>" if ref else f"<instance {ref_of(type(value), names)}>"


def signature_of(obj: object, drop_first: bool = False) -> inspect.Signature | None:
    """The call signature, without self/cls when ``drop_first``; None if there is none."""
    try:
        sig = inspect.signature(obj)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if drop_first and params and params[0].kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD):
        sig = sig.replace(parameters=params[1:])
    return sig


def member_signature(raw: object) -> inspect.Signature | None:
    if isinstance(raw, staticmethod):
        return signature_of(raw.__func__)
    if isinstance(raw, classmethod):
        return signature_of(raw.__func__, drop_first=True)
    return signature_of(raw, drop_first=True) if isinstance(raw, ROUTINES) else None


def receiver_kind(raw: object) -> str | None:
    """"positional-only" when a method's or classmethod's first parameter (self or
    cls), which signatures leave out, is declared before a '/'; None otherwise.
    Such a method accepts a keyword argument named like it, e.g. url_for(..., self=...)."""
    func = raw.__func__ if isinstance(raw, classmethod) else raw
    if isinstance(raw, staticmethod) or not isinstance(func, ROUTINES):
        return None
    sig = signature_of(func)
    params = list(sig.parameters.values()) if sig is not None else []
    return "positional-only" if params and params[0].kind is P.POSITIONAL_ONLY else None


def encode_signature(sig: inspect.Signature, names: Mapping[int, str]) -> list[str]:
    """Parameters as Python writes them, without annotations: ['a', '/', 'b=None', '*', 'c']."""
    out: list[str] = []
    params = list(sig.parameters.values())
    starred = False
    for i, p in enumerate(params):
        if p.kind is P.VAR_POSITIONAL:
            out.append(f"*{p.name}")
            starred = True
        elif p.kind is P.VAR_KEYWORD:
            out.append(f"**{p.name}")
        else:
            if p.kind is P.KEYWORD_ONLY and not starred:
                out.append("*")
                starred = True
            out.append(p.name if p.default is P.empty else f"{p.name}={describe(p.default, names)}")
        if p.kind is P.POSITIONAL_ONLY and (i + 1 == len(params) or params[i + 1].kind is not P.POSITIONAL_ONLY):
            out.append("/")
    return out


@dataclass(frozen=True)
class Param:
    name: str
    kind: Any  # an inspect.Parameter kind
    default: str | None  # the recorded description; None: required


def decode_signature(tokens: Sequence[str]) -> list[Param]:
    slash = tokens.index("/") if "/" in tokens else -1
    kind, params = P.POSITIONAL_OR_KEYWORD, []
    for i, tok in enumerate(tokens):
        if tok in ("/", "*"):
            kind = P.KEYWORD_ONLY if tok == "*" else kind
        elif tok.startswith("**"):
            params.append(Param(tok[2:], P.VAR_KEYWORD, None))
        elif tok.startswith("*"):
            params.append(Param(tok[1:], P.VAR_POSITIONAL, None))
            kind = P.KEYWORD_ONLY
        else:
            name, eq, default = tok.partition("=")
            params.append(Param(name, P.POSITIONAL_ONLY if i < slash else kind, default if eq else None))
    return params


def render_signature(tokens: Sequence[str]) -> str:
    return f"({', '.join(tokens)})"


def problem(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


# --- recording ---------------------------------------------------------------


def _runtime_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Top-level statements that run on import (not TYPE_CHECKING or __main__ blocks)."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            test = ast.unparse(stmt.test)
            if "__name__" in test:
                continue
            if test.endswith("TYPE_CHECKING"):
                yield from _runtime_statements(stmt.body if test.startswith("not ") else stmt.orelse)
                continue
            yield from _runtime_statements(stmt.body + stmt.orelse)
        elif isinstance(stmt, ast.Try):
            handlers = [s for h in stmt.handlers for s in h.body]
            yield from _runtime_statements(stmt.body + handlers + stmt.orelse + stmt.finalbody)
        else:
            yield stmt


def _bound_names(stmt: ast.stmt) -> Iterator[tuple[str, bool]]:
    """(name, defined here) for what a statement binds; imports count only as
    explicit re-exports (``from x import y as y``)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield stmt.name, True
    elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    yield node.id, True
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)) and getattr(stmt, "module", None) != "__future__":
        for alias in stmt.names:
            if alias.asname and alias.asname == alias.name.rpartition(".")[2]:
                yield alias.asname, False


def _module_names(module: types.ModuleType) -> dict[str, bool]:
    """The names a module's source defines or explicitly re-exports, in source order."""
    found: dict[str, bool] = {}
    for stmt in _runtime_statements(ast.parse(inspect.getsource(module)).body):
        for name, here in _bound_names(stmt):
            found.setdefault(name, here)
    for name in vars(module).get("__all__", ()):
        found.setdefault(name, False)
    return found


def _deprecated_names(module: types.ModuleType) -> list[str]:
    """Names a module-level __getattr__ compares its argument with (``if name == "x"``)."""
    getattr_ = vars(module).get("__getattr__")
    if not inspect.isfunction(getattr_):
        return []
    tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(getattr_)))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for value in [node.left, *node.comparators]:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.append(value.value)
    return found


def _is_typing_construct(obj: object) -> bool:
    """TypeVars, ParamSpecs and type aliases: annotations, not API."""
    return not isinstance(obj, type) and type(obj).__module__ in ("typing", "typing_extensions")


def _public(path: str) -> bool:
    return not path.rpartition(".")[2].startswith("_") or path in DOCUMENTED_PRIVATE


def record(package: str) -> dict[str, Any]:
    """The public surface of an installed package, as a JSON-ready dict."""
    modules: dict[str, types.ModuleType] = {}
    for sub in ("", *PUBLIC_SUBMODULES):
        path = f"{package}.{sub}" if sub else package
        try:
            modules[path] = importlib.import_module(path)
        except ImportError:  # absent in this version: the diff shows it
            continue
    found: list[tuple[str, object, bool]] = []
    deprecated: dict[str, dict[str, str]] = {}
    for mod_path, module in modules.items():
        for name, here in _module_names(module).items():
            path = f"{mod_path}.{name}"
            if _public(path) and name in vars(module) and not _is_typing_construct(vars(module)[name]):
                found.append((path, vars(module)[name], here))
        for name in _deprecated_names(module):
            entry = _record_deprecated(module, name)
            if entry is not None:
                deprecated[f"{mod_path}.{name}"] = entry
    # Where an object is defined is its canonical path; elsewhere it is re-exported.
    # Top-level re-exports come last so that a submodule wins over `flask`.
    names: dict[int, str] = {id(m): p for p, m in modules.items()}
    for path, obj, _ in sorted(found, key=lambda f: (not f[2], f[0].rpartition(".")[0] == package)):
        if kind_of(obj) != "constant":
            names.setdefault(id(obj), path)
    entries: dict[str, Any] = {p: {"kind": "module"} for p in modules if p != package}
    for path, obj, _ in found:
        canonical = names.get(id(obj), path)
        if canonical != path:
            entries[path] = {"kind": kind_of(obj), "same_as": canonical}
        else:
            entries[path] = _describe_name(obj, names, package)
    for path, entry in deprecated.items():
        entries[path] = entry
    return {
        "format": FORMAT,
        "package": package,
        "version": _version(package),
        "python": platform.python_version(),
        "modules": list(modules),
        "names": dict(sorted(entries.items())),
    }


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:  # a package that is not installed
        return None


def _record_deprecated(module: types.ModuleType, name: str) -> dict[str, str] | None:
    """The kind of a name a module's __getattr__ answers, and the warning it emits."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = getattr(module, name)
        except AttributeError:  # a string __getattr__ compares with, but not a name it serves
            return None
    if not caught:
        return None  # served without a warning: a plain public name, not a deprecated one
    return {"kind": kind_of(value), "deprecated": caught[0].category.__name__}


def _describe_name(obj: object, names: Mapping[int, str], package: str) -> dict[str, Any]:
    kind = kind_of(obj)
    entry: dict[str, Any] = {"kind": kind}
    if kind == "constant":
        entry["value"] = literal(obj)
    elif kind == "instance":
        entry["type"] = ref_of(type(obj), names)
    if kind in ("class", "exception", "function"):
        sig = signature_of(obj)
        if sig is not None:
            entry["signature"] = encode_signature(sig, names)
    if isinstance(obj, type):
        entry["bases"] = [ref_of(b, names) for b in obj.__bases__ if b is not object and b.__module__ != "typing"]
        entry.update(_describe_members(obj, names, package))
    return entry


def _describe_members(cls: type, names: Mapping[int, str], package: str) -> dict[str, Any]:
    """Members that a class of the package defines, first definer in the MRO winning."""
    members: dict[str, Any] = {}
    seen: set[str] = set()
    slots: list[str] = []
    for klass in cls.__mro__:
        own = klass.__module__.partition(".")[0] == package
        for name, raw in vars(klass).items():
            if name in seen:
                continue
            seen.add(name)
            if not own or not _public_member(name, raw):
                continue
            kind = member_kind(raw)
            if kind == "instance attribute":
                slots.append(name)
                continue
            member: dict[str, Any] = {"kind": kind}
            sig = member_signature(raw)
            if sig is not None:
                member["signature"] = encode_signature(sig, names)
                if receiver_kind(raw) is not None:
                    member["self"] = receiver_kind(raw)
            if kind == "attribute":
                member["value"] = describe(raw, names)
            members[name] = member
    out: dict[str, Any] = {"members": dict(sorted(members.items()))}
    probe = _probe_args(cls, names)
    if probe is not None:
        instance = cls(*probe)
        attrs = [n for n in vars(instance) if not n.startswith("_")] if hasattr(instance, "__dict__") else []
        for name in [*attrs, *slots]:
            if name not in members and (name not in seen or name in slots):
                members[name] = {"kind": "instance attribute"}
        out = {"members": dict(sorted(members.items())), "probe": probe}
    return out


def _public_member(name: str, raw: object) -> bool:
    if name.startswith("__") and name.endswith("__"):
        return name not in IGNORED_DUNDERS and member_kind(raw) in ("method", "classmethod", "staticmethod")
    return not name.startswith("_")


def _probe_args(cls: type, names: Mapping[int, str]) -> list[Any] | None:
    for klass in cls.__mro__:
        path = names.get(id(klass))
        if path in PROBES and klass.__init__ is cls.__init__:  # type: ignore[misc]
            return PROBES[path]
    return None


# --- items: a recording as a list of facts -----------------------------------

CATEGORIES = ("name", "alias", "member", "signature", "subclass", "deprecated")


@dataclass(frozen=True, repr=False)
class Item:
    """One fact of a recording; ``id`` reads as a Flask path, e.g. flask.app.Flask.run."""

    category: str
    id: str
    data: Mapping[str, Any]

    def __repr__(self) -> str:  # short, for test reports and results files
        return f"{self.category} {self.id}"


def load(path: str | Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a surface recording of format {FORMAT}")
    return data


def items(data: Mapping[str, Any], category: str) -> list[Item]:
    """The facts of one category, in a stable order."""
    return [i for i in _all_items(data) if i.category == category]


def _all_items(data: Mapping[str, Any]) -> Iterator[Item]:
    names = data["names"]
    for path, entry in names.items():
        if "deprecated" in entry:
            yield Item("deprecated", path, entry)
            continue
        if "same_as" in entry:
            yield Item("alias", path, entry)
            continue
        yield Item("name", path, entry)
        if "signature" in entry:
            yield Item("signature", path, {"signature": entry["signature"]})
        for base in entry.get("bases", ()):
            if base in names or not base.startswith(f"{data['package']}."):
                yield Item("subclass", f"{path}({base})", {"class": path, "base": base})
        for name, member in entry.get("members", {}).items():
            owner = {"owner": path, "member": name}
            probe = {"probe": entry["probe"]} if "probe" in entry else {}
            yield Item("member", f"{path}.{name}", {**member, **owner, **probe})
            if "signature" in member:
                receiver = {"self": member["self"]} if "self" in member else {}
                yield Item("signature", f"{path}.{name}", {"signature": member["signature"], **receiver, **owner})


def summary(item: Item) -> str:
    """The fact an item states, as the diff shows it."""
    data = item.data
    if item.category == "signature":
        receiver = ["self", "/"] if data.get("self") == "positional-only" else []
        return render_signature([*receiver, *data["signature"]])
    if item.category == "alias":
        return f"{data['kind']} = {data['same_as']}"
    if item.category == "deprecated":
        return f"{data['kind']}, warns {data['deprecated']}"
    extra = data.get("value") or data.get("type")
    return f"{data.get('kind', '')} {extra}".strip() if extra else data.get("kind", "")


# --- diff and the command line ------------------------------------------------


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[tuple[Item, str]]]:
    """What ``new`` added, removed and changed against ``old``, item by item."""
    before = {(i.category, i.id): i for i in _all_items(old)}
    after = {(i.category, i.id): i for i in _all_items(new)}
    out: dict[str, list[tuple[Item, str]]] = {"added": [], "removed": [], "changed": []}
    for key, item in after.items():
        if key not in before:
            out["added"].append((item, summary(item)))
        elif summary(before[key]) != summary(item):
            out["changed"].append((item, f"{summary(before[key])} -> {summary(item)}"))
    out["removed"] = [(item, summary(item)) for key, item in before.items() if key not in after]
    return out


def _cmd_record(args: argparse.Namespace) -> int:
    text = json.dumps(record(args.package), indent=1, sort_keys=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    old, new = load(args.old), load(args.new)
    changes = diff(old, new)
    if args.format == "json":
        doc = {k: [{"category": i.category, "id": i.id, "fact": s} for i, s in v] for k, v in changes.items()}
        print(json.dumps(doc, indent=1))
    else:
        print(f"surface diff: {old['package']} {old['version']} -> {new['package']} {new['version']}")
        for what, mark in (("added", "+"), ("removed", "-"), ("changed", "~")):
            print(f"{what}: {len(changes[what])}")
            for item, text in changes[what]:
                print(f"  {mark} {item}: {text}")
    return 1 if args.exit_code and any(changes.values()) else 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    # Imported here: recording needs neither the checks nor the project's registry.
    from conformance.implementations import ImplementationError, resolve
    from conformance.surface_checks import Target, coverage

    data = load(args.data)
    try:
        impl = resolve(args.impl)
    except ImplementationError as exc:
        raise ValueError(str(exc)) from None
    counts, missing = coverage(Target(data, impl.load(), impl.submodule))
    print(f"surface coverage of {args.impl!r} against {data['package']} {data['version']} ({args.data})")
    for title, passed, total in [*counts, ("total", sum(c[1] for c in counts), sum(c[2] for c in counts))]:
        percent = 100.0 * passed / total if total else 100.0
        print(f"  {title:<12} {passed:>5} / {total:<5} {percent:6.1f} %")
    if missing:
        print(f"missing or different ({len(missing)}):")
        print("\n".join(f"  {line}" for line in missing))
    return 1 if missing else 0


def default_data() -> Path:
    """The reference recording that ships with the catalog (spec/surface/)."""
    from conformance.catalog import default_spec_dir

    return default_spec_dir() / "surface" / REFERENCE


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.surface", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record", help="record the public surface of an installed package as JSON")
    rec.add_argument("package", help="the package to record, e.g. flask")
    rec.add_argument("-o", "--output", metavar="FILE", help="where to write (default: standard output)")
    rec.set_defaults(run=_cmd_record)
    dif = commands.add_parser("diff", help="what a recording added, removed or changed against another")
    dif.add_argument("old", metavar="OLD.json")
    dif.add_argument("new", metavar="NEW.json")
    dif.add_argument("--format", choices=("text", "json"), default="text")
    dif.add_argument("--exit-code", action="store_true", help="exit 1 when the recordings differ")
    dif.set_defaults(run=_cmd_diff)
    cov = commands.add_parser("coverage", help="how much of a recorded surface an implementation has")
    cov.add_argument("--impl", default="shim", help="a registered implementation name or module path")
    cov.add_argument("--data", default=None, metavar="FILE", help=f"a recording (default: spec/surface/{REFERENCE})")
    cov.set_defaults(run=_cmd_coverage)
    args = parser.parse_args(argv)
    if getattr(args, "data", "") is None:
        args.data = str(default_data())
    try:
        return int(args.run(args))
    except (OSError, ValueError, ImportError) as exc:
        print(f"surface: {problem(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
