"""Tagged JSON: plain JSON plus a handful of Python types that JSON cannot hold.

Session cookies are JSON, yet sessions routinely keep tuples, bytes, datetimes and
so on. Each such value travels as a one-key object whose key names its type, e.g.
``(1, 2)`` becomes ``{" t": [1, 2]}``. The keys start with a space so that they are
unlikely to clash with real data, and a real one-key dict whose key does look like
a tag is itself wrapped (``" di"``), so every value comes back as it went in.

The keys are a wire format shared with every other implementation of the Flask
API: a cookie written by one must read the same in another.

New types are supported by subclassing :class:`JSONTag` and passing the class to
:meth:`TaggedJSONSerializer.register`.
"""

from __future__ import annotations

import json as _json
import typing as t
from base64 import b64decode, b64encode
from datetime import datetime
from uuid import UUID

from markupsafe import Markup
from werkzeug.http import http_date, parse_date

from . import dumps as _app_dumps

__all__ = [
    "JSONTag",
    "PassDict",
    "PassList",
    "TagBytes",
    "TagDateTime",
    "TagDict",
    "TagMarkup",
    "TagTuple",
    "TagUUID",
    "TaggedJSONSerializer",
]


class JSONTag:
    """How one kind of value is written as JSON and read back.

    A subclass sets :attr:`key` and implements :meth:`check`, :meth:`to_json`
    and :meth:`to_python`. A tag without a key is a pass-through: it rewrites a
    container's contents but adds no marker of its own, so it never untags.
    """

    __slots__ = ("serializer",)

    #: The marker written as the single key of the wrapping object ("" for none).
    key: str = ""

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        #: The serializer this tag belongs to, for tagging nested values.
        self.serializer = serializer

    def check(self, value: t.Any) -> bool:
        """True if this tag is responsible for ``value``."""
        raise NotImplementedError

    def to_json(self, value: t.Any) -> t.Any:
        """Turn ``value`` into JSON-compatible data (without the marker)."""
        raise NotImplementedError

    def to_python(self, value: t.Any) -> t.Any:
        """Rebuild the original value from the data :meth:`to_json` produced."""
        raise NotImplementedError

    def tag(self, value: t.Any) -> t.Any:
        """``value`` as JSON data, wrapped under :attr:`key` when there is one."""
        data = self.to_json(value)
        return {self.key: data} if self.key else data


class TagDict(JSONTag):
    """A one-key dict whose key happens to be a registered tag.

    Left alone it would be mistaken for a tagged value on the way back, so its
    key is stored with ``"__"`` appended and the whole dict is wrapped.
    """

    __slots__ = ()
    key = " di"

    def check(self, value: t.Any) -> bool:
        if not isinstance(value, dict) or len(value) != 1:
            return False
        (only_key,) = value
        return only_key in self.serializer.tags

    def to_json(self, value: t.Any) -> t.Any:
        ((name, item),) = value.items()
        return {f"{name}__": self.serializer.tag(item)}

    def to_python(self, value: t.Any) -> t.Any:
        ((escaped, item),) = value.items()
        return {escaped.removesuffix("__"): item}


class PassDict(JSONTag):
    """Any other dict: JSON keys are strings already, only the values need tagging."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, dict)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        return {name: tag(item) for name, item in value.items()}


class TagTuple(JSONTag):
    """Tuples, stored as a list so they come back as tuples rather than lists."""

    __slots__ = ()
    key = " t"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, tuple)

    def to_json(self, value: t.Any) -> t.Any:
        return [self.serializer.tag(item) for item in value]

    def to_python(self, value: t.Any) -> t.Any:
        return tuple(value)


class PassList(JSONTag):
    """Lists are JSON already; only their items may need tagging."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, list)

    def to_json(self, value: t.Any) -> t.Any:
        return [self.serializer.tag(item) for item in value]


class TagBytes(JSONTag):
    """Bytes, as base64 text."""

    __slots__ = ()
    key = " b"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, bytes)

    def to_json(self, value: t.Any) -> t.Any:
        return b64encode(value).decode("ascii")

    def to_python(self, value: t.Any) -> t.Any:
        return b64decode(value)


class TagMarkup(JSONTag):
    """Anything with an ``__html__`` method: its HTML is kept and read back as
    :class:`~markupsafe.Markup`, so it stays safe to render unescaped."""

    __slots__ = ()
    key = " m"

    def check(self, value: t.Any) -> bool:
        return callable(getattr(value, "__html__", None))

    def to_json(self, value: t.Any) -> t.Any:
        return str(value.__html__())

    def to_python(self, value: t.Any) -> t.Any:
        return Markup(value)


class TagUUID(JSONTag):
    """UUIDs, as their 32 hex digits."""

    __slots__ = ()
    key = " u"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, UUID)

    def to_json(self, value: t.Any) -> t.Any:
        return value.hex

    def to_python(self, value: t.Any) -> t.Any:
        return UUID(value)


class TagDateTime(JSONTag):
    """Datetimes, as HTTP dates: whole seconds, read back as aware UTC datetimes."""

    __slots__ = ()
    key = " d"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, datetime)

    def to_json(self, value: t.Any) -> t.Any:
        return http_date(value)

    def to_python(self, value: t.Any) -> t.Any:
        return parse_date(value)


class TaggedJSONSerializer:
    """Dumps and loads tagged JSON (see the module docstring).

    Tags are tried in :attr:`order` and the first whose ``check`` accepts a value
    handles it; :attr:`tags` maps each marker to its tag for reading back.
    """

    __slots__ = ("order", "tags")

    #: The tag classes every new serializer starts with. Order matters: the
    #: one-key-dict escape must be tried before the general dict handling.
    default_tags: t.ClassVar[list[type[JSONTag]]] = [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]

    def __init__(self) -> None:
        self.tags: dict[str, JSONTag] = {}
        self.order: list[JSONTag] = []
        for tag_class in self.default_tags:
            self.register(tag_class)

    def register(self, tag_class: type[JSONTag], force: bool = False, index: int | None = None) -> None:
        """Add a tag class to this serializer.

        ``index`` is the tag's position in the lookup order (appended when None),
        so a tag for a subclass of a handled type can go before that type's tag.
        Reusing a marker raises :class:`KeyError` unless ``force`` is true, in
        which case the new tag reads that marker from now on.
        """
        tag = tag_class(self)
        if tag.key:
            if tag.key in self.tags and not force:
                raise KeyError(f"the tag key {tag.key!r} is taken; register with force=True to replace it")
            self.tags[tag.key] = tag
        self.order.insert(len(self.order) if index is None else index, tag)

    def tag(self, value: t.Any) -> t.Any:
        """``value`` as JSON data, tagged by the first tag that accepts it."""
        for candidate in self.order:
            if candidate.check(value):
                return candidate.tag(value)
        return value

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """The value a tagged object stands for; any other dict is returned as is."""
        if len(value) == 1:
            ((marker, data),) = value.items()
            tag = self.tags.get(marker)
            if tag is not None:
                return tag.to_python(data)
        return value

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and serialize it as compact JSON."""
        # The app's JSON provider (when an app is active) also serializes the
        # types it knows, such as dataclasses, that no tag covers.
        return _app_dumps(self.tag(value), separators=(",", ":"))

    def loads(self, value: str | bytes) -> t.Any:
        """Parse tagged JSON back into Python values."""
        # json calls object_hook on every object from the innermost outwards,
        # which is exactly the order untagging needs: contents before wrapper.
        return _json.loads(value, object_hook=self.untag)
