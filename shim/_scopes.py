"""Walking per-scope registries.

Hooks, handlers and processors live in dicts keyed by scope: ``None`` for the app
itself and a dotted name (``"outer.inner"``) for each registered blueprint. A request
for a blueprint's endpoint involves the app and every blueprint on the dotted path;
these helpers produce those scope chains and walk the registries along them.
"""

from __future__ import annotations

import typing as t
from functools import lru_cache

if t.TYPE_CHECKING:  # pragma: no cover
    from .wrappers import Request

Scope = t.Optional[str]
F = t.TypeVar("F")

#: Scopes of a request that matched no blueprint endpoint: the app alone.
APP_ONLY: tuple[Scope, ...] = (None,)


def inner_first(request: Request) -> tuple[Scope, ...]:
    """The request's scopes from its own blueprint outwards, the app last."""
    # ``request.blueprints`` is the public, overridable source of the nesting.
    nested = request.blueprints
    return (*nested, None) if nested else APP_ONLY


def app_first(request: Request) -> tuple[Scope, ...]:
    """The request's scopes from the app inwards, its own blueprint last."""
    nested = request.blueprints
    return (None, *reversed(nested)) if nested else APP_ONLY


@lru_cache(maxsize=1024)
def endpoint_scopes(endpoint: str) -> tuple[Scope, ...]:
    """The scopes enclosing ``endpoint``, app first: ``"a.b.view"`` gives
    ``(None, "a", "a.b")``. Cached: URL building asks for the same few endpoints."""
    chain: list[Scope] = [None]
    prefix = ""
    for part in endpoint.split(".")[:-1]:
        prefix = f"{prefix}.{part}" if prefix else part
        chain.append(prefix)
    return tuple(chain)


def in_order(registry: t.Mapping[Scope, t.Sequence[F]], scopes: t.Iterable[Scope]) -> t.Iterable[F]:
    """Every function registered for ``scopes``, scope by scope, oldest first."""
    if not registry:
        # Most registries of most apps are empty: skip making a generator at all.
        return ()
    return (func for scope in scopes for func in registry.get(scope, ()))


def for_request(registry: t.Mapping[Scope, t.Sequence[F]], request: Request) -> t.Iterable[F]:
    """The functions that apply to ``request``: the app's first, then each blueprint's
    inwards, each scope's oldest first. Its scopes are only worked out when needed."""
    return in_order(registry, app_first(request)) if registry else ()


def unwinding(registry: t.Mapping[Scope, t.Sequence[F]], request: Request) -> t.Iterable[F]:
    """The functions that apply to ``request`` in the opposite order: the innermost
    blueprint's first, the app's last, each scope's newest first."""
    if not registry:
        return ()
    return (func for scope in inner_first(request) for func in reversed(registry.get(scope, ())))
