"""Errors that explain common mistakes, raised only in debug mode."""

from __future__ import annotations

import typing as t

from werkzeug.routing import RequestRedirect

if t.TYPE_CHECKING:  # pragma: no cover
    from .wrappers import Request


class UnexpectedUnicodeError(AssertionError, UnicodeError):
    """Raised in debug mode for unexpected non-ASCII data."""


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
