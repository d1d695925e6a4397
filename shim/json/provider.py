"""Pluggable JSON for an application: the :class:`JSONProvider` interface and the
standard-library implementation every app starts with.

An app keeps one provider as ``app.json``; ``jsonify``, ``shim.json.dumps`` and
friends, request body parsing and dict/list view returns all go through it, so a
replacement provider changes JSON handling everywhere at once.
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
    """What a JSON response should hold, given ``response()``'s arguments.

    Keywords make an object and several positionals an array; a single positional
    is sent as it is and no arguments at all send ``null``.
    """
    if kwargs:
        if args:
            raise TypeError(
                "a JSON response is built from positional arguments or from keyword "
                f"arguments, never both (got {len(args)} positional and {len(kwargs)} keyword)"
            )
        return kwargs
    if len(args) == 1:
        return args[0]
    return list(args) if args else None


class JSONProvider:
    """How an application reads and writes JSON.

    Subclasses must provide :meth:`dumps` and :meth:`loads`; the file variants and
    :meth:`response` are built on those two. The app is kept as a weak proxy in
    ``_app`` so the provider never keeps its application alive.
    """

    def __init__(self, app: Flask) -> None:
        self._app: Flask = weakref.proxy(app)

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Encode ``obj`` as a JSON document."""
        raise NotImplementedError(f"{type(self).__name__} must implement dumps()")

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Decode a JSON document given as text or bytes."""
        raise NotImplementedError(f"{type(self).__name__} must implement loads()")

    def dump(self, obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
        """Encode ``obj`` and write the text to ``fp``."""
        fp.write(self.dumps(obj, **kwargs))

    def load(self, fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
        """Decode everything readable from ``fp``."""
        return self.loads(fp.read(), **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """An ``application/json`` response of the app's response class.

        One positional argument is encoded as it is, several become an array and
        keyword arguments an object; mixing the two is a :class:`TypeError`.
        """
        body = self.dumps(_json_payload(args, kwargs))
        return self._app.response_class(body, mimetype="application/json")


def _default(o: t.Any) -> t.Any:
    """Turn the non-JSON types an app supports into JSON values; refuse the rest."""
    if isinstance(o, date):  # datetime is a date too; both go out as HTTP dates
        return http_date(o)
    if isinstance(o, (Decimal, UUID)):
        return str(o)
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    html = getattr(o, "__html__", None)
    if html is not None:
        return str(html())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class DefaultJSONProvider(JSONProvider):
    """JSON through the standard library's :mod:`json`.

    Beyond plain JSON types it writes dates and datetimes as HTTP date strings,
    :class:`~decimal.Decimal` and :class:`~uuid.UUID` as strings, dataclass
    instances as objects, and anything with ``__html__`` as that markup. The class
    attributes below are the knobs; set them on ``app.json`` or on a subclass.
    """

    #: Called for values :mod:`json` cannot encode itself.
    default: t.Callable[[t.Any], t.Any] = staticmethod(_default)  # type: ignore[assignment]
    #: Escape every non-ASCII character as ``\uXXXX``.
    ensure_ascii: bool = True
    #: Write object keys in sorted order.
    sort_keys: bool = True
    #: Layout of :meth:`response` bodies: True is compact, False is indented, and
    #: None is compact except while the app is in debug mode.
    compact: bool | None = None
    #: The mimetype :meth:`response` sends.
    mimetype: str = "application/json"

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Encode ``obj``; keyword arguments override the provider's settings."""
        options: dict[str, t.Any] = {
            "default": self.default,
            "ensure_ascii": self.ensure_ascii,
            "sort_keys": self.sort_keys,
        }
        options.update(kwargs)
        return _stdlib_json.dumps(obj, **options)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Decode with :func:`json.loads` (bytes are detected as UTF-8/16/32)."""
        return _stdlib_json.loads(s, **kwargs)

    def _indented(self) -> bool:
        if self.compact is None:
            return bool(self._app.debug)
        return not self.compact

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """A :attr:`mimetype` response, laid out as :attr:`compact` asks, ending in a newline."""
        payload = _json_payload(args, kwargs)
        layout: dict[str, t.Any] = {"indent": 2} if self._indented() else {"separators": (",", ":")}
        return self._app.response_class(self.dumps(payload, **layout) + "\n", mimetype=self.mimetype)
