"""JSON functions that follow the active application.

While an app context is active each function hands over to ``current_app.json``, so
an app's provider settings (and a custom provider) apply. With no app active they
use the standard library directly, still understanding the extra types an app's
default provider handles (dates, decimals, UUIDs, dataclasses, ``__html__``), but
with the standard library's own defaults otherwise (keys are not sorted).
"""

from __future__ import annotations

import json as _stdlib_json
import typing as t

from ..globals import _cv_app, current_app
from .provider import _default

if t.TYPE_CHECKING:  # pragma: no cover
    from ..wrappers import Response
    from .provider import JSONProvider


def _active_provider() -> JSONProvider | None:
    ctx = _cv_app.get(None)
    return ctx.app.json if ctx is not None else None


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """Encode ``obj`` as a JSON string."""
    provider = _active_provider()
    if provider is not None:
        return provider.dumps(obj, **kwargs)
    return _stdlib_json.dumps(obj, **{"default": _default, **kwargs})


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    """Encode ``obj`` and write it to the text file ``fp``."""
    provider = _active_provider()
    if provider is not None:
        provider.dump(obj, fp, **kwargs)
    else:
        _stdlib_json.dump(obj, fp, **{"default": _default, **kwargs})


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """Decode a JSON document given as text or bytes."""
    provider = _active_provider()
    if provider is not None:
        return provider.loads(s, **kwargs)
    return _stdlib_json.loads(s, **kwargs)


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    """Decode the JSON document read from ``fp`` (text or binary)."""
    provider = _active_provider()
    if provider is not None:
        return provider.load(fp, **kwargs)
    return _stdlib_json.load(fp, **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """A JSON response made by the current app's provider (see ``JSONProvider.response``).

    Needs an active application context.
    """
    return current_app.json.response(*args, **kwargs)  # type: ignore[return-value]
