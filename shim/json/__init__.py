"""JSON functions that follow whichever application is active.

Inside an app context each call is forwarded to ``current_app.json``, so the
app's provider (its settings, or a replacement provider) decides. Outside one they
fall back on the standard library, which still accepts the extra types the
default provider knows (dates, decimals, UUIDs, dataclasses, ``__html__``) but
otherwise keeps the standard library's own defaults, such as unsorted keys.
"""

from __future__ import annotations

import json as _stdlib_json
import typing as t

from ..globals import _cv_app, current_app
from .provider import _default

if t.TYPE_CHECKING:  # pragma: no cover
    from ..wrappers import Response


def _with_default(encoder: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """``encoder`` with the app-less ``default`` hook, unless the caller gives one."""

    def encode(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return encoder(*args, **{"default": _default, **kwargs})

    return encode


#: Used with no app active: public function name -> standard-library stand-in.
_APPLESS: dict[str, t.Callable[..., t.Any]] = {
    "dumps": _with_default(_stdlib_json.dumps),
    "dump": _with_default(_stdlib_json.dump),
    "loads": _stdlib_json.loads,
    "load": _stdlib_json.load,
}


def _forward(operation: str, *args: t.Any, **kwargs: t.Any) -> t.Any:
    """Run ``operation`` on the active app's provider, or on its stand-in."""
    ctx = _cv_app.get(None)
    handler = _APPLESS[operation] if ctx is None else getattr(ctx.app.json, operation)
    return handler(*args, **kwargs)


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """``obj`` encoded as JSON text."""
    return t.cast(str, _forward("dumps", obj, **kwargs))


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    """Encode ``obj`` as JSON into the text stream ``fp``."""
    _forward("dump", obj, fp, **kwargs)


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """The value a JSON document (text or bytes) describes."""
    return _forward("loads", s, **kwargs)


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    """The value of the JSON document in the stream ``fp`` (text or binary)."""
    return _forward("load", fp, **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """A JSON response built by the active app's provider (``JSONProvider.response``).

    Only works inside an application context.
    """
    return current_app.json.response(*args, **kwargs)  # type: ignore[return-value]
