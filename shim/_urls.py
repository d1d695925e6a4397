"""The application's URL side: binding the URL map, building URLs, redirects."""

from __future__ import annotations

import typing as t
from urllib.parse import quote

from werkzeug.routing import BuildError, Map, MapAdapter
from werkzeug.utils import redirect as _redirect_response

from ._scopes import endpoint_scopes, in_order
from .globals import _cv_app, _cv_request

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.sansio.response import Response as BaseResponse

    from . import typing as ft
    from .config import Config
    from .wrappers import Request, Response

#: Characters left as they are in a URL fragment; the rest are percent-encoded.
_FRAGMENT_SAFE = "%!#$&'()*+,/:;=?@"

_NO_SERVER_NAME = (
    "url_for() has no request to take the host and scheme from, and SERVER_NAME is not set. "
    "Set SERVER_NAME to build URLs outside a request; PREFERRED_URL_SCHEME and APPLICATION_ROOT "
    "complete it when their defaults do not fit."
)

BuildErrorHandler = t.Callable[[BuildError, str, t.Dict[str, t.Any]], t.Optional[str]]


def _consult(
    handler: BuildErrorHandler, error: BuildError, endpoint: str, values: dict[str, t.Any]
) -> tuple[str | None, BuildError]:
    """``(url or None, the error the next handler gets)``: a handler that raises a
    BuildError of its own passes that one on."""
    try:
        return handler(error, endpoint, values), error
    except BuildError as newer:
        return None, newer


class UrlsMixin:
    """Binds the app's :class:`~werkzeug.routing.Map` and builds URLs from it."""

    config: Config
    url_map: Map
    subdomain_matching: bool
    response_class: type[Response]
    url_default_functions: dict[ft.AppOrBlueprintKey, list[ft.URLDefaultCallable]]
    url_build_error_handlers: list[BuildErrorHandler]

    def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
        """Let the ``url_defaults`` functions of the app and of each blueprint that
        encloses ``endpoint`` (outermost first) fill in ``values``."""
        registry = self.url_default_functions
        if registry:  # skip working out the scopes when no app or blueprint has any
            for fill in in_order(registry, endpoint_scopes(endpoint)):
                fill(endpoint, values)

    def handle_url_build_error(self, error: BuildError, endpoint: str, values: dict[str, t.Any]) -> str:
        """Offer a failed build to each of :attr:`url_build_error_handlers`; the first
        URL one returns wins. A handler may raise a new :class:`BuildError`, which the
        later handlers (and, when none answers, the caller) get instead."""
        latest = error
        for handler in self.url_build_error_handlers:
            url, latest = _consult(handler, latest, endpoint, values)
            if url is not None:
                return url
        raise latest

    def url_for(
        self, /, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
        _scheme: str | None = None, _external: bool | None = None, **values: t.Any,
    ) -> str:
        """Build the URL of ``endpoint`` with ``values`` (what :func:`shim.url_for` does).

        In a request, a leading dot names an endpoint of the current blueprint and URLs
        are relative unless ``_external`` or ``_scheme`` asks otherwise; outside one,
        they are absolute and need ``SERVER_NAME``. Values the rule does not use become
        the query string; ``_anchor`` is appended as the fragment.
        """
        req_ctx = _cv_request.get(None)
        if req_ctx is None:
            adapter = self._adapter_outside_request()
        else:
            adapter = req_ctx.url_adapter
            if endpoint[:1] == ".":
                current = req_ctx.request.blueprint
                endpoint = endpoint[1:] if current is None else current + endpoint
        if _external is None:
            # Outside a request there is no page for a relative URL to be relative to;
            # inside one, URLs are relative unless a scheme is asked for, which only a
            # full URL can show.
            absolute = req_ctx is None or _scheme is not None
        elif _scheme is not None and not _external:
            raise ValueError("url_for(): a '_scheme' only applies to an external URL; do not pass _external=False.")
        else:
            absolute = _external
        # The call only when there is something to inject or a subclass took the step over.
        if self.url_default_functions or type(self).inject_url_defaults is not UrlsMixin.inject_url_defaults:
            self.inject_url_defaults(endpoint, values)
        try:
            url = adapter.build(  # type: ignore[union-attr]
                endpoint, values, method=_method, url_scheme=_scheme, force_external=absolute
            )
        except BuildError as error:
            # The handlers see the special arguments as well, as if they were values;
            # _external as resolved for this build, never None.
            values.update(_anchor=_anchor, _method=_method, _scheme=_scheme, _external=absolute)
            return self.handle_url_build_error(error, endpoint, values)
        return url if _anchor is None else f"{url}#{quote(_anchor, safe=_FRAGMENT_SAFE)}"

    def _adapter_outside_request(self) -> MapAdapter:
        """The adapter for builds outside a request. An active context of this app holds
        the SERVER_NAME binding made when it was pushed; otherwise bind afresh."""
        app_ctx = _cv_app.get(None)
        own = app_ctx is not None and app_ctx.app is self
        adapter = app_ctx.url_adapter if own else self.create_url_adapter(None)  # type: ignore[union-attr]
        if adapter is None:
            raise RuntimeError(_NO_SERVER_NAME)
        return adapter

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """A redirect to ``location`` (302 by default) built as :attr:`response_class`."""
        return _redirect_response(location, code=code, Response=self.response_class)
