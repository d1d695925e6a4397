"""Type aliases for the callables and values an application accepts.

Only the names are public API. The callable aliases are built on ``_Either``
(a value, or an awaitable of it), since every view, hook and handler may be a
coroutine function.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIApplication  # noqa: F401
    from werkzeug.datastructures import Headers  # noqa: F401
    from werkzeug.sansio.response import Response  # noqa: F401

_V = t.TypeVar("_V")
#: ``_V`` itself or an awaitable producing it.
_Either = t.Union[_V, t.Awaitable[_V]]

#: Bodies a view may return: text, bytes, JSON-able containers, (async) iterators of chunks.
ResponseValue = t.Union[
    "Response", str, bytes, list[t.Any], t.Mapping[str, t.Any],
    t.Iterator[str], t.Iterator[bytes], cabc.AsyncIterable[str], cabc.AsyncIterable[bytes],
]

#: One header's value, or several values for the same header name.
HeaderValue = t.Union[str, list[str], tuple[str, ...]]
#: Headers as a Headers object, a mapping, or a sequence of (name, value) pairs.
HeadersValue = t.Union["Headers", t.Mapping[str, HeaderValue], t.Sequence[tuple[str, HeaderValue]]]

#: Everything a view may return: a body, a body with status and/or headers, or a WSGI app.
ResponseReturnValue = t.Union[
    ResponseValue,
    tuple[ResponseValue, int],
    tuple[ResponseValue, HeadersValue],
    tuple[ResponseValue, int, HeadersValue],
    "WSGIApplication",
]
_MaybeResponse = t.Optional[ResponseReturnValue]

#: The response class an after-request function receives and hands back.
ResponseClass = t.TypeVar("ResponseClass", bound="Response")

#: Registry key for functions registered on an app (None) or a blueprint (its name).
AppOrBlueprintKey = t.Optional[str]

# Hooks, handlers and views: each may also be a coroutine function.
AfterRequestCallable = t.Callable[[ResponseClass], _Either[ResponseClass]]
BeforeFirstRequestCallable = t.Callable[[], _Either[None]]
BeforeRequestCallable = t.Callable[[], _Either[_MaybeResponse]]
ErrorHandlerCallable = t.Callable[[t.Any], _Either[ResponseReturnValue]]
RouteCallable = t.Callable[..., _Either[ResponseReturnValue]]
TeardownCallable = t.Callable[[t.Optional[BaseException]], _Either[None]]
TemplateContextProcessorCallable = t.Callable[[], _Either[dict[str, t.Any]]]

# Called synchronously only.
_Anything = t.Callable[..., t.Any]
TemplateFilterCallable = _Anything
TemplateGlobalCallable = _Anything
TemplateTestCallable = t.Callable[..., bool]
ShellContextProcessorCallable = t.Callable[[], dict[str, t.Any]]
URLDefaultCallable = t.Callable[[str, dict[str, t.Any]], None]
URLValuePreprocessorCallable = t.Callable[[t.Optional[str], t.Optional[dict[str, t.Any]]], None]
