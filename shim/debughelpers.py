"""Errors that explain common mistakes, raised only in debug mode."""

from __future__ import annotations

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
        names = ", ".join(repr(name) for name in request.form.getlist(key))
        self.msg = (
            f"request.files has no file {key!r}. The request body is {request.mimetype!r}, "
            "not 'multipart/form-data', so no file contents were sent; give the HTML form "
            'the attribute enctype="multipart/form-data".'
            + (f" The field arrived as a plain form value instead: {names}." if names else "")
        )
        super().__init__(key)

    def __str__(self) -> str:
        # KeyError's str() is the repr of the key; the explanation is the point here.
        return self.msg


def attach_enctype_error_multidict(request: Request) -> None:
    """Make ``request.files[key]`` raise :class:`DebugFilesKeyError` instead of a plain
    KeyError when ``key`` was sent as a form field (debug mode, non-multipart bodies)."""
    files = request.files
    plain = type(files)

    class ExplainingFiles(plain):  # type: ignore[valid-type, misc]
        def __getitem__(self, key: str) -> t.Any:
            try:
                return super().__getitem__(key)
            except KeyError as exc:
                if key not in request.form:
                    raise
                raise DebugFilesKeyError(request, key).with_traceback(exc.__traceback__) from None

    # Same layout, so the existing instance can change class; the name stays the
    # familiar one in reprs and tracebacks.
    ExplainingFiles.__name__ = ExplainingFiles.__qualname__ = plain.__name__
    files.__class__ = ExplainingFiles


class FormDataRoutingRedirect(AssertionError):
    """A form was posted to a URL that redirects (usually a missing trailing slash);
    the browser would drop the body, so debug mode says so instead."""

    def __init__(self, request: Request) -> None:
        exc = request.routing_exception
        assert isinstance(exc, RequestRedirect)
        message = [
            f"A request was sent to {request.url!r}, but routing issued a redirect "
            f"to the canonical URL {exc.new_url!r}."
        ]
        if f"{request.base_url}/" == exc.new_url.partition("?")[0]:
            message.append(
                " The URL was defined with a trailing slash. The request URL lacks it; "
                "the redirect adds it."
            )
        message.append(
            f" The redirect would not keep the {request.method} body. Make the request "
            "to the canonical URL, or use a 307 or 308 redirect."
        )
        super().__init__("".join(message))
