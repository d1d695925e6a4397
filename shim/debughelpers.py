"""Errors that explain common mistakes, raised only in debug mode."""

from __future__ import annotations

import functools
import typing as t

from werkzeug.routing import RequestRedirect

# Flask's debughelpers module is where this function is public; the template
# loader that calls it lives with the rest of the Jinja integration.
from .templating import explain_template_loading_attempts as explain_template_loading_attempts

if t.TYPE_CHECKING:  # pragma: no cover
    from .wrappers import Request


class UnexpectedUnicodeError(AssertionError, UnicodeError):
    """Raised in debug mode for unexpected non-ASCII data."""


class DebugFilesKeyError(KeyError, AssertionError):
    """What reading a missing ``request.files[key]`` raises in debug mode when the key
    came as an ordinary form field: the form lacked ``enctype="multipart/form-data"``,
    so the browser sent only the file name."""

    def __init__(self, request: Request, key: str) -> None:
        sent = ", ".join(map(repr, request.form.getlist(key)))
        held = f" (the form field held {sent} instead)" if sent else ""
        self.explanation = (
            f"request.files has no file {key!r}: the body came as {request.mimetype!r}, and only"
            f" a multipart/form-data body carries file contents{held}."
            ' Add enctype="multipart/form-data" to the HTML form that uploads it.'
        )
        super().__init__(key)

    def __str__(self) -> str:
        # KeyError's str() is the repr of the key; the explanation is the point here.
        return self.explanation


class _ExplainsMissingFiles:
    """Mixed into the class of ``request.files`` by :func:`attach_enctype_error_multidict`."""

    __slots__ = ()
    #: The request whose form is consulted when a file is missing.
    _enctype_request: Request

    def __getitem__(self, key: str) -> t.Any:
        if key not in self and key in self._enctype_request.form:  # type: ignore[operator]
            raise DebugFilesKeyError(self._enctype_request, key)
        return super().__getitem__(key)  # type: ignore[misc]


@functools.cache
def _explaining_variant(plain: type) -> type:
    """``plain`` with :class:`_ExplainsMissingFiles` in front, under the same name."""
    return type(plain.__name__, (_ExplainsMissingFiles, plain), {"__module__": plain.__module__})


def attach_enctype_error_multidict(request: Request) -> None:
    """Make ``request.files[key]`` raise :class:`DebugFilesKeyError` instead of a plain
    KeyError when ``key`` was sent as a form field (debug mode, non-multipart bodies)."""
    files = request.files
    files._enctype_request = request  # type: ignore[attr-defined]
    # Same instance layout, so the existing object can simply switch class.
    files.__class__ = _explaining_variant(type(files))


class FormDataRoutingRedirect(AssertionError):
    """A form was posted to a URL that redirects (usually a missing trailing slash);
    the browser would drop the body, so debug mode says so instead."""

    def __init__(self, request: Request) -> None:
        redirect = request.routing_exception
        assert isinstance(redirect, RequestRedirect)
        target = redirect.new_url
        slash_only = target.partition("?")[0] == f"{request.base_url}/"
        cause = (
            " The matched rule ends in a slash that the requested URL lacks, and routing adds it."
            if slash_only
            else ""
        )
        super().__init__(
            f"Routing answered the {request.method} request to {request.url!r} with a redirect"
            f" to {target!r}.{cause} A browser follows such a redirect without resending the"
            f" {request.method} body, so send the request to {target!r} directly, or let the"
            " rule redirect with 307 or 308, which keep the body. (Only debug mode raises this.)"
        )
