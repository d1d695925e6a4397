"""Per-application JSON: the :class:`JSONProvider` interface and the
standard-library provider every app starts out with.

An app holds one provider as ``app.json``. ``jsonify``, ``shim.json.dumps`` and
its siblings, request body parsing and views returning a dict or list all use it,
so swapping the provider changes JSON handling across the whole app.
"""

from __future__ import annotations

import dataclasses
import json as _stdlib_json
import typing as t
import weakref
from datetime import date
from decimal import Decimal
from uuid import UUID

from werkzeug.http import http_date

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.sansio.response import Response

    from ..app import Flask


def _json_payload(args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> t.Any:
    """The value a JSON response carries, from the arguments ``response()`` got.

    A lone positional value is sent as it is, several make an array, keywords make
    an object, and nothing at all makes ``null``.
    """
    if not kwargs:
        return args[0] if len(args) == 1 else (args or None)
    if args:
        raise TypeError(
            "a JSON response takes its content either positionally or as keywords, not"
            f" both (got {len(args)} positional and {len(kwargs)} keyword arguments)"
        )
    return kwargs


class JSONProvider:
    """The JSON operations an application relies on.

    A subclass implements :meth:`loads` and :meth:`dumps`; the stream variants and
    :meth:`response` are derived from them. The app is held through a weak proxy
    in ``_app``, so a provider never keeps its application alive.
    """

    def __init__(self, app: Flask) -> None:
        self._app: Flask = weakref.proxy(app)

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """``obj`` as JSON text."""
        raise NotImplementedError(f"{type(self).__name__} must implement dumps()")

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """The value described by a JSON document, given as text or bytes."""
        raise NotImplementedError(f"{type(self).__name__} must implement loads()")

    def dump(self, obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
        """Write ``obj`` as JSON text to ``fp``."""
        fp.write(self.dumps(obj, **kwargs))

    def load(self, fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
        """The value of the JSON document that makes up the rest of ``fp``."""
        return self.loads(fp.read(), **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """An ``application/json`` response, of the app's response class.

        A single positional value is encoded unchanged, several become an array,
        keyword arguments an object; giving both kinds raises :class:`TypeError`.
        """
        return self._app.response_class(self.dumps(_json_payload(args, kwargs)), mimetype="application/json")


def _is_dataclass_instance(o: t.Any) -> bool:
    return dataclasses.is_dataclass(o) and not isinstance(o, type)


def _markup_text(o: t.Any) -> str:
    return str(o.__html__())


#: How the default provider encodes what :mod:`json` cannot, as (test, conversion)
#: pairs tried in turn. A datetime is a date, so it takes the date entry.
_CONVERSIONS: tuple[tuple[t.Callable[[t.Any], bool], t.Callable[[t.Any], t.Any]], ...] = (
    (lambda o: isinstance(o, date), http_date),
    (lambda o: isinstance(o, (Decimal, UUID)), str),
    (_is_dataclass_instance, dataclasses.asdict),
    (lambda o: hasattr(o, "__html__"), _markup_text),
)


def _default(o: t.Any) -> t.Any:
    """The JSON-ready form of one of the extra types an app supports; anything
    else is a :class:`TypeError`."""
    convert = next((conversion for applies, conversion in _CONVERSIONS if applies(o)), None)
    if convert is None:
        raise TypeError(f"no JSON form for a value of type {type(o).__qualname__!r}")
    return convert(o)


class DefaultJSONProvider(JSONProvider):
    """JSON by way of the standard library's :mod:`json`.

    On top of plain JSON types it writes dates and datetimes as HTTP date strings,
    :class:`~decimal.Decimal` and :class:`~uuid.UUID` values as strings, dataclass
    instances as objects, and objects with ``__html__`` as their markup. Tune it
    through the class attributes below, on ``app.json`` or in a subclass.
    """

    #: The hook :mod:`json` calls for any value it cannot encode on its own.
    default: t.Callable[[t.Any], t.Any] = staticmethod(_default)  # type: ignore[assignment]
    #: Write every non-ASCII character as a ``\uXXXX`` escape.
    ensure_ascii: bool = True
    #: Emit object members ordered by name.
    sort_keys: bool = True
    #: Layout of :meth:`response` bodies: True compact, False indented, None
    #: compact unless the app runs in debug mode.
    compact: bool | None = None
    #: The mimetype of :meth:`response` bodies.
    mimetype: str = "application/json"

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """``obj`` as JSON text; keyword arguments take precedence over the provider's settings."""
        settings = {"default": self.default, "ensure_ascii": self.ensure_ascii, "sort_keys": self.sort_keys}
        return _stdlib_json.dumps(obj, **{**settings, **kwargs})

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Decode through :func:`json.loads`, which detects UTF-8/16/32 in bytes."""
        return _stdlib_json.loads(s, **kwargs)

    def _layout(self) -> dict[str, t.Any]:
        """The :func:`json.dumps` arguments that lay out a :meth:`response` body."""
        indented = bool(self._app.debug) if self.compact is None else not self.compact
        return {"indent": 2} if indented else {"separators": (",", ":")}

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """A :attr:`mimetype` response laid out as :attr:`compact` says, newline-terminated."""
        body = self.dumps(_json_payload(args, kwargs), **self._layout())
        return self._app.response_class(f"{body}\n", mimetype=self.mimetype)
