"""The request and response classes: Werkzeug's, with what an application adds."""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wrappers import Response as ResponseBase

from . import json
from .globals import current_app

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.routing import Rule


class Request(RequestBase):
    """The request object, with the URL match and the app's size limits."""

    json_module: t.Any = json

    #: The rule that matched, set while the request context is pushed.
    url_rule: Rule | None = None
    #: The matched rule's variable values.
    view_args: dict[str, t.Any] | None = None
    #: The error raised by URL matching (404, 405, a redirect), if any.
    routing_exception: HTTPException | None = None

    _max_content_length: int | None = None
    _max_form_memory_size: int | None = None
    _max_form_parts: int | None = None

    def _app_limit(self, key: str, own: int | None, fallback: int | None) -> int | None:
        if own is not None:
            return own
        if current_app:
            return current_app.config[key]  # type: ignore[no-any-return]
        return fallback

    @property
    def max_content_length(self) -> int | None:
        """The largest body accepted, from ``MAX_CONTENT_LENGTH`` unless set on this request."""
        return self._app_limit("MAX_CONTENT_LENGTH", self._max_content_length, RequestBase.max_content_length)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """The largest non-file form field, from ``MAX_FORM_MEMORY_SIZE``."""
        return self._app_limit("MAX_FORM_MEMORY_SIZE", self._max_form_memory_size, RequestBase.max_form_memory_size)

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value

    @property
    def max_form_parts(self) -> int | None:
        """The most multipart parts parsed, from ``MAX_FORM_PARTS``."""
        return self._app_limit("MAX_FORM_PARTS", self._max_form_parts, RequestBase.max_form_parts)

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    @property
    def endpoint(self) -> str | None:
        """The matched rule's endpoint, or None when nothing matched."""
        return self.url_rule.endpoint if self.url_rule is not None else None

    @property
    def blueprint(self) -> str | None:
        """The dotted name of the blueprint whose endpoint matched."""
        endpoint = self.endpoint
        if endpoint is not None and "." in endpoint:
            return endpoint.rpartition(".")[0]
        return None

    @property
    def blueprints(self) -> list[str]:
        """The matched blueprint and its parents, innermost first."""
        name = self.blueprint
        if name is None:
            return []
        parts = name.split(".")
        return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        try:
            return super().on_json_loading_failed(e)
        except BadRequest as ebr:
            if current_app and current_app.debug:
                raise
            raise BadRequest() from ebr


class Response(ResponseBase):
    """The response object: HTML by default, JSON through the app's provider."""

    default_mimetype: str | None = "text/html"
    json_module = json
    autocorrect_location_header = False

    @property
    def max_cookie_size(self) -> int:  # type: ignore[override]
        """``MAX_COOKIE_SIZE`` of the current app, else Werkzeug's default."""
        if current_app:
            return current_app.config["MAX_COOKIE_SIZE"]  # type: ignore[no-any-return]
        return super().max_cookie_size
