"""Compare an implementation with a recorded API surface (see conformance/surface.py).

Each check takes a :class:`Target` (the implementation, addressed by Flask's dotted
paths) and one recorded :class:`~conformance.surface.Item`, and returns None or the
problem in one line. The generated tests in conformance/suite/test_surface.py and
``python -m conformance.surface coverage`` both run these checks.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import keyword
import types
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from conformance.surface import (
    Item,
    Param,
    decode_signature,
    describe,
    encode_signature,
    items,
    kind_of,
    literal,
    member_kind,
    member_signature,
    problem,
    receiver_kind,
    render_signature,
    signature_of,
)

P = inspect.Parameter


class Target:
    """An implementation seen through Flask's paths: ``resolve("flask.json.provider.JSONProvider")``
    is the implementation's counterpart of that name."""

    def __init__(self, data: Mapping[str, Any], top: types.ModuleType, submodule: Callable[[str], Any]) -> None:
        self.data, self.top, self.submodule = data, top, submodule
        self.package: str = data["package"]
        self.modules = frozenset(data["modules"])

    def module(self, path: str) -> Any:
        return self.top if path == self.package else self.submodule(path[len(self.package) + 1 :])

    def resolve(self, path: str) -> Any:
        if path in self.modules:
            return self.module(path)
        parent, _, name = path.rpartition(".")
        return getattr(self.module(parent), name)

    def lookup(self, ref: str) -> Any:
        """What a recorded reference means for this implementation; None for a
        package-internal object, which has no counterpart to compare with."""
        if ref in self.data["names"]:
            return self.resolve(ref)
        if ref == self.package or ref.startswith(f"{self.package}."):
            return None
        return import_ref(ref)


def import_ref(ref: str) -> Any:
    """Import ``module.attr.attr`` by trying the longest importable module prefix."""
    parts = ref.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(f"cannot import {ref!r}")


def _matches(expected: str, value: object, target: Target) -> bool:
    """Does a value fit a recorded description (see describe())?"""
    if expected == "<sentinel>":
        return kind_of(value) == "instance"
    if expected.startswith("<ref "):
        wanted = target.lookup(expected[5:-1])
        if wanted is None:
            return literal(value) is None
        if isinstance(wanted, type) and isinstance(value, type):
            return issubclass(value, wanted)  # e.g. request_class set to a subclass
        return value is wanted
    if expected.startswith("<instance "):
        wanted = target.lookup(expected[10:-1])
        return literal(value) is None if wanted is None else issubclass(type(value), wanted)
    return literal(value) == expected


def check_exists(target: Target, item: Item) -> str | None:
    try:
        target.resolve(item.id)
    except Exception as exc:
        return f"{item.id} is missing ({problem(exc)})"
    return None


def check_kind(target: Target, item: Item) -> str | None:
    try:
        obj = target.resolve(item.id)
    except Exception as exc:
        return f"{item.id} is missing ({problem(exc)})"
    kind, data = kind_of(obj), item.data
    if kind != data["kind"]:
        return f"{item.id} is a {kind}, not a {data['kind']}"
    if "value" in data and literal(obj) != data["value"]:
        return f"{item.id} is {literal(obj)}, not {data['value']}"
    if "type" in data and not _matches(f"<instance {data['type']}>", obj, target):
        return f"{item.id} is a {type(obj).__module__}.{type(obj).__qualname__}, not a {data['type']}"
    return None


def check_alias(target: Target, item: Item) -> str | None:
    try:
        same = target.resolve(item.id) is target.resolve(item.data["same_as"])
    except Exception as exc:
        return f"{item.id}: {problem(exc)}"
    return None if same else f"{item.id} is not the same object as {item.data['same_as']}"


def _member(target: Target, item: Item) -> object:
    """A member as its class holds it, or for an instance attribute, its value on a probe instance."""
    cls = target.resolve(item.data["owner"])
    if item.data.get("kind") == "instance attribute":
        return getattr(cls(*item.data["probe"]), item.data["member"])
    return static_member(cls, item.data["member"])


def static_member(cls: type, name: str) -> object:
    """A member as the class or a base holds it, without running descriptors; unlike
    inspect.getattr_static, never what the metaclass has (type.__call__ ...)."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise AttributeError(f"{cls.__qualname__} has no attribute {name!r}")


def check_member(target: Target, item: Item) -> str | None:
    try:
        raw = _member(target, item)
    except Exception as exc:
        return f"{item.id} is missing ({problem(exc)})"
    data = item.data
    if data["kind"] == "instance attribute":
        return None
    kind = member_kind(raw)
    if kind != data["kind"]:
        return f"{item.id} is a {kind}, not a {data['kind']}"
    if "value" in data and not _matches(data["value"], raw, target):
        return f"{item.id} is {describe(raw, {})}, which does not match the recorded {data['value']}"
    return None


def _impl_signature(target: Target, item: Item) -> inspect.Signature:
    if "member" in item.data:
        sig = member_signature(_member(target, item))
    else:
        sig = signature_of(target.resolve(item.id))
    if sig is None:
        raise TypeError("it has no inspectable signature")
    return sig


def check_signature(target: Target, item: Item) -> str | None:
    """Same parameter names, kinds and defaults, in order (a *args/**kwargs name is free)."""
    try:
        sig = _impl_signature(target, item)
    except Exception as exc:
        return f"{item.id}: {problem(exc)}"
    expected = decode_signature(item.data["signature"])
    actual = list(sig.parameters.values())
    got = render_signature(encode_signature(sig, {}))
    want = render_signature(item.data["signature"])
    if len(actual) != len(expected):
        return f"{item.id}{got} does not match {want}"
    for exp, act in zip(expected, actual):
        var = exp.kind in (P.VAR_POSITIONAL, P.VAR_KEYWORD)
        if exp.kind is not act.kind or (exp.name != act.name and not var):
            return f"{item.id}{got} does not match {want}: parameter {act.name!r}"
        if (exp.default is None) != (act.default is P.empty) or (
            exp.default is not None and not _matches(exp.default, act.default, target)
        ):
            return f"{item.id}{got} does not match {want}: default of {act.name!r}"
    if item.data.get("self") == "positional-only" and receiver_kind(_member(target, item)) != "positional-only":
        # Only a positional-only receiver lets callers pass a value named like it.
        return f"{item.id}{got}: its first parameter (self) is not positional-only, as it is in (self, /, ...)"
    return None


def call_forms(params: Sequence[Param]) -> Iterator[tuple[str, list[Any], dict[str, Any]]]:
    """(description, args, kwargs): calls that probe how each parameter may be passed."""
    positional = [p for p in params if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is None]
    kw_required = {p.name: 0 for p in params if p.kind is P.KEYWORD_ONLY and p.default is None}
    named = [p for p in params if p.kind in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY)]
    posonly = [p for p in positional if p.kind is P.POSITIONAL_ONLY]
    yield "the required arguments", [0] * len(required), kw_required
    yield "every positional parameter by position", [0] * len(positional), kw_required
    yield "every named parameter by keyword", [0] * len(posonly), {p.name: 0 for p in named}
    yield "an extra positional argument", [0] * (len(positional) + 1), kw_required
    yield "an unknown keyword argument", [0] * len(required), {**kw_required, "surface_unknown": 0}
    for i, p in enumerate(posonly):
        yield f"positional-only {p.name!r} by keyword", [0] * i, {**kw_required, p.name: 0}


def as_signature(params: Sequence[Param]) -> inspect.Signature:
    """A recorded parameter list as a Signature to bind calls against."""
    return inspect.Signature([P(p.name, p.kind, default=P.empty if p.default is None else 0) for p in params])


def binds(sig: inspect.Signature, args: list[Any], kwargs: dict[str, Any]) -> bool:
    """Whether a function with this signature accepts the call, as the interpreter
    judges it: ``Signature.bind`` is looser on some versions (3.13 lets a keyword
    stand for a positional-only parameter when there is ``**kwargs``)."""
    try:
        _stub(sig)(*args, **kwargs)
    except TypeError:
        return False
    return True


def _stub(sig: inspect.Signature) -> Any:
    """A do-nothing function with exactly the parameter names and kinds of ``sig``."""
    names = [p.name for p in sig.parameters.values()]
    if not all(n.isidentifier() and not keyword.iskeyword(n) for n in names):
        raise ValueError(f"not a parameter list Python can declare: {names}")
    plain = sig.replace(
        parameters=[
            p.replace(annotation=p.empty, default=p.empty if p.default is p.empty else None)
            for p in sig.parameters.values()
        ],
        return_annotation=inspect.Signature.empty,
    )
    namespace: dict[str, Any] = {}
    exec(f"def stub{plain}:\n    pass\n", namespace)  # names checked above: identifiers only
    return namespace["stub"]


def check_call_forms(target: Target, item: Item) -> str | None:
    """Every probing call binds to the implementation exactly when it binds to the
    recorded signature: documented calls work, and what is keyword-only or
    positional-only stays so."""
    try:
        sig = _impl_signature(target, item)
    except Exception as exc:
        return f"{item.id}: {problem(exc)}"
    params = decode_signature(item.data["signature"])
    recorded = as_signature(params)
    wrong = [
        f"{what} is {'accepted' if bound else 'refused'}"
        for what, args, kwargs in call_forms(params)
        if (bound := binds(sig, args, kwargs)) != binds(recorded, args, kwargs)
    ]
    return f"{item.id}{render_signature(encode_signature(sig, {}))}: {'; '.join(wrong)}" if wrong else None


def check_subclass(target: Target, item: Item) -> str | None:
    try:
        cls, base = target.resolve(item.data["class"]), target.lookup(item.data["base"])
        ok = isinstance(cls, type) and issubclass(cls, base)
    except Exception as exc:
        return f"{item.id}: {problem(exc)}"
    return None if ok else f"{item.data['class']} is not a subclass of {item.data['base']}"


def check_deprecated(target: Target, item: Item) -> str | None:
    parent, _, name = item.id.rpartition(".")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = getattr(target.module(parent), name)
    except Exception as exc:
        return f"{item.id} is missing ({problem(exc)})"
    wanted = getattr(builtins, item.data["deprecated"], None) or import_ref(item.data["deprecated"])
    if not any(issubclass(w.category, wanted) for w in caught):
        return f"{item.id} does not warn with {item.data['deprecated']}"
    kind = kind_of(value)
    return None if kind == item.data["kind"] else f"{item.id} is a {kind}, not a {item.data['kind']}"


#: (coverage line, items it counts, check); tests use the same checks.
CHECKS: tuple[tuple[str, str, Callable[[Target, Item], str | None]], ...] = (
    ("names", "name", check_kind),
    ("re-exports", "alias", check_alias),
    ("members", "member", check_member),
    ("signatures", "signature", check_signature),
    ("call forms", "signature", check_call_forms),
    ("subclasses", "subclass", check_subclass),
    ("deprecated", "deprecated", check_deprecated),
)


def coverage(target: Target) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Per check: (title, passed, total), and every problem found."""
    counts, missing = [], []
    for title, category, check in CHECKS:
        facts = items(target.data, category)
        problems = [p for p in (check(target, i) for i in facts) if p]
        counts.append((title, len(facts) - len(problems), len(facts)))
        missing += [f"{title}: {p}" for p in problems]
    return counts, missing
