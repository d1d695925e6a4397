"""Tagged JSON: JSON that can also carry a few Python types it has no syntax for.

Session cookies hold JSON, yet session data often contains tuples, bytes,
datetimes, UUIDs or markup. Such a value goes on the wire as an object with
exactly one member, whose name (the tag key) says how to rebuild it: ``(1, 2)``
is sent as ``{" t": [1, 2]}``. Tag keys begin with a space so ordinary data rarely
looks like them; an ordinary one-member dict whose name does equal a tag key is
escaped under ``" di"``, so reading it back never misfires.

Keys and payload forms are a wire format: a cookie written by one implementation
of the Flask API has to decode to the same values in any other.

To carry another type, subclass :class:`JSONTag` (set ``key``, implement
``check``, ``to_json`` and ``to_python``) and pass the class to
:meth:`TaggedJSONSerializer.register`.
"""

from __future__ import annotations

import typing as t
from base64 import b64decode, b64encode
from datetime import datetime
from operator import attrgetter
from uuid import UUID

from markupsafe import Markup
from werkzeug.http import http_date, parse_date

# The app-aware functions: while an app is active its JSON provider does the text
# work, so session cookies follow the provider's settings (sorted keys, extra types).
from . import dumps as _provider_dumps
from . import loads as _provider_loads

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

_Convert = t.Callable[[t.Any], t.Any]
_Hook = _Convert | None

#: Added to the member name of an escaped one-member dict (see :class:`TagDict`).
_ESCAPE_SUFFIX = "__"


class JSONTag:
    """One extra type the serializer understands, and the JSON form it takes.

    A subclass sets :attr:`key` and provides the three hooks ``check``,
    ``to_json`` and ``to_python``; :meth:`tag` then puts the payload under the key.
    """

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        #: The serializer that owns this tag; container tags encode their items with it.
        self.serializer = serializer

    def tag(self, value: t.Any) -> t.Any:
        """``value`` in its marked wire form, ``{key: payload}``."""
        return {self.key: self.to_json(value)}

    #: The member name that marks this type's values on the wire.
    key: str = ""

    def check(self, value: t.Any) -> bool:
        """Whether this tag is the one to encode ``value``."""
        return self._hook_missing("check")

    def to_json(self, value: t.Any) -> t.Any:
        """The JSON-ready payload for ``value``, before any marking object."""
        return self._hook_missing("to_json")

    def to_python(self, value: t.Any) -> t.Any:
        """The inverse of :meth:`to_json`: the value rebuilt from its payload."""
        return self._hook_missing("to_python")

    def _hook_missing(self, hook: str) -> t.NoReturn:
        raise NotImplementedError(f"tag class {type(self).__name__} has to define {hook}()")


class _Codec(t.NamedTuple):
    """Leaf conversions of a built-in tag (a tuple, so functions stay unbound)."""

    encode: _Hook = None
    decode: _Hook = None


class _BuiltinTag(JSONTag):
    """What the shipped tags share, declared with class keywords instead of methods.

    ``kind`` is the type whose instances the tag takes, ``key`` its marker, and
    ``encode``/``decode`` turn a leaf value into its payload and back. A keyword a
    subclass leaves out is inherited. A built-in tag without a key is a
    pass-through: it rewrites a container's items but adds no marker, so nothing
    ever decodes through it.
    """

    _kind: t.ClassVar[type | None] = None
    _codec: t.ClassVar[_Codec] = _Codec()

    def __init_subclass__(
        cls, *, key: str | None = None, kind: type | None = None, encode: _Hook = None, decode: _Hook = None
    ) -> None:
        super().__init_subclass__()
        if key is not None:
            cls.key = key
        if kind is not None:
            cls._kind = kind
        cls._codec = _Codec(encode or cls._codec.encode, decode or cls._codec.decode)

    def check(self, value: t.Any) -> bool:
        return self._kind is not None and isinstance(value, self._kind)

    def to_json(self, value: t.Any) -> t.Any:
        encode = self._codec.encode
        return encode(value) if encode else self._hook_missing("to_json")

    def to_python(self, value: t.Any) -> t.Any:
        decode = self._codec.decode
        return decode(value) if decode else self._hook_missing("to_python")

    def tag(self, value: t.Any) -> t.Any:
        payload = self.to_json(value)
        return {self.key: payload} if self.key else payload


def _base64_text(data: bytes) -> str:
    return b64encode(data).decode("ascii")


def _html_of(value: t.Any) -> str:
    return str(value.__html__())


class TagDict(_BuiltinTag, key=" di", kind=dict):
    """The escape for a real one-member dict whose member name is a tag key.

    The name gets ``"__"`` appended and the dict is put under ``" di"``, so on the
    way back it is not taken for a tagged value.
    """

    def check(self, value: t.Any) -> bool:
        return super().check(value) and len(value) == 1 and not self.serializer.tags.keys().isdisjoint(value)

    def to_json(self, value: t.Any) -> t.Any:
        encode = self.serializer.tag
        return {name + _ESCAPE_SUFFIX: encode(item) for name, item in value.items()}

    def to_python(self, value: t.Any) -> t.Any:
        cut = len(_ESCAPE_SUFFIX)
        return {name[:-cut]: item for name, item in value.items()}


class PassDict(_BuiltinTag, kind=dict):
    """Any other dict: member names are strings already, only values get encoded."""

    def to_json(self, value: t.Any) -> t.Any:
        return dict(zip(value.keys(), map(self.serializer.tag, value.values())))


class _SequenceTag(_BuiltinTag):
    """Sequences go out as JSON arrays of their encoded items."""

    def to_json(self, value: t.Any) -> t.Any:
        return list(map(self.serializer.tag, value))


class TagTuple(_SequenceTag, key=" t", kind=tuple, decode=tuple):
    """Tuples: an array on the wire, a tuple again once read."""


class PassList(_SequenceTag, kind=list):
    """Lists are arrays already; only their items may need encoding."""


class TagBytes(_BuiltinTag, key=" b", kind=bytes, encode=_base64_text, decode=b64decode):
    """Bytes, as base64 text."""


class TagMarkup(_BuiltinTag, key=" m", encode=_html_of, decode=Markup):
    """Anything with an ``__html__`` method, kept as that HTML and read back as
    :class:`~markupsafe.Markup` so it still renders unescaped."""

    def check(self, value: t.Any) -> bool:
        return callable(getattr(value, "__html__", None))


class TagUUID(_BuiltinTag, key=" u", kind=UUID, encode=attrgetter("hex"), decode=UUID):
    """UUIDs, as their 32 hex digits."""


class TagDateTime(_BuiltinTag, key=" d", kind=datetime, encode=http_date, decode=parse_date):
    """Datetimes, as HTTP dates: whole seconds, read back as aware UTC datetimes."""


def _sole_member(obj: dict[str, t.Any]) -> tuple[str, t.Any] | None:
    """The (name, value) pair of a one-member object; None for any other size."""
    return next(iter(obj.items())) if len(obj) == 1 else None


# Data, not code: the built-in tags and their precedence are part of the wire
# format Flask defines (the one-member dict escape must come before plain dicts).
_WIRE_TAGS: tuple[type[JSONTag], ...] = (
    TagDict,
    PassDict,
    TagTuple,
    PassList,
    TagBytes,
    TagMarkup,
    TagUUID,
    TagDateTime,
)


class TaggedJSONSerializer:
    """Turns values into tagged JSON text and back (see the module docstring).

    :attr:`order` is the list of tags consulted, first match wins, when encoding;
    :attr:`tags` finds the tag for a marker when decoding.
    """

    #: The tag classes each new serializer registers, in this order.
    default_tags: t.ClassVar[list[type[JSONTag]]] = [*_WIRE_TAGS]

    #: Marker -> tag, consulted when decoding.
    tags: dict[str, JSONTag]
    #: Every registered tag, in the order they are tried when encoding.
    order: list[JSONTag]

    def __init__(self) -> None:
        self.tags, self.order = {}, []
        for tag_class in self.default_tags:
            self.register(tag_class)

    def register(self, tag_class: type[JSONTag], force: bool = False, index: int | None = None) -> None:
        """Instantiate ``tag_class`` for this serializer and start using it.

        ``index`` places the tag in :attr:`order` (the end when None), which lets a
        tag for a special case run before the general one. A marker that is
        already claimed raises :class:`KeyError`, unless ``force`` hands it over.
        """
        new = tag_class(self)
        marker = new.key
        if marker:
            if marker in self.tags and not force:
                raise KeyError(f"marker {marker!r} already belongs to another tag (pass force=True to take it over)")
            self.tags[marker] = new
        self.order.insert(len(self.order) if index is None else index, new)

    def tag(self, value: t.Any) -> t.Any:
        """``value`` in wire form, as the first tag that claims it writes it (unchanged if none does)."""
        claimant = next((candidate for candidate in self.order if candidate.check(value)), None)
        return value if claimant is None else claimant.tag(value)

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """The value a marked one-member object stands for; other dicts pass unchanged."""
        member = _sole_member(value)
        if member is None or member[0] not in self.tags:
            return value
        marker, payload = member
        return self.tags[marker].to_python(payload)

    def dumps(self, value: t.Any) -> str:
        """``value`` as compact tagged JSON text."""
        return _provider_dumps(self.tag(value), separators=(",", ":"))

    def loads(self, value: str | bytes) -> t.Any:
        """Parse tagged JSON text and rebuild every marked value in it."""
        return self._restore(_provider_loads(value))

    def _restore(self, node: t.Any) -> t.Any:
        # Depth first: a marked object's payload is rebuilt before the object itself.
        if isinstance(node, list):
            return [self._restore(item) for item in node]
        if not isinstance(node, dict):
            return node
        return self.untag({name: self._restore(item) for name, item in node.items()})
