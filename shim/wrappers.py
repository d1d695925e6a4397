"""The request and response classes apps use: Werkzeug's, plus what routing,
configuration and the app's JSON provider add to them."""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.wrappers import Request as _WerkzeugRequest
from werkzeug.wrappers import Response as _WerkzeugResponse

# The base classes under the names Flask's wrappers module gives them, which code
# written against Flask sometimes imports from there.
RequestBase = _WerkzeugRequest
ResponseBase = _WerkzeugResponse

from . import json
from .globals import _cv_app

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.routing import Rule

    from .app import Flask


def _active_app() -> Flask | None:
    ctx = _cv_app.get(None)
    return None if ctx is None else ctx.app


class _ConfigLimit:
    """A request size limit that reads an app config key unless set on the request.

    Assigning a number overrides the limit for that one request; assigning None
    drops the override again. Without an override the active app's config
    decides, and outside any app Werkzeug's class default does.
    """

    def __init__(self, config_key: str) -> None:
        self.config_key = config_key

    def __set_name__(self, owner: type, name: str) -> None:
        self.werkzeug_default = getattr(_WerkzeugRequest, name)
        self.override_slot = f"_{name}_override"

    def __get__(self, request: Request | None, owner: type | None = None) -> t.Any:
        if request is None:
            return self
        override = request.__dict__.get(self.override_slot)
        if override is not None:
            return override
        app = _active_app()
        return self.werkzeug_default if app is None else app.config[self.config_key]

    def __set__(self, request: Request, value: int | None) -> None:
        request.__dict__[self.override_slot] = value


class Request(_WerkzeugRequest):
    """The request object: Werkzeug's request with the URL match and app settings.

    Replace it per app by setting ``Flask.request_class`` to a subclass.
    """

    # Filled in by the request context when it matches the URL:
    #: The error URL matching raised (404, 405, a redirect, an untrusted host).
    routing_exception: HTTPException | None = None
    #: The :class:`~werkzeug.routing.Rule` the URL matched (None without a match).
    url_rule: Rule | None = None
    #: The rule's variables as parsed from the URL (None without a match).
    view_args: dict[str, t.Any] | None = None

    #: Largest body accepted (``MAX_CONTENT_LENGTH``); larger ones get 413.
    max_content_length = _ConfigLimit("MAX_CONTENT_LENGTH")  # type: ignore[assignment]
    #: Largest non-file multipart field (``MAX_FORM_MEMORY_SIZE``); larger ones get 413.
    max_form_memory_size = _ConfigLimit("MAX_FORM_MEMORY_SIZE")  # type: ignore[assignment]
    #: Most multipart parts parsed (``MAX_FORM_PARTS``); more get 413.
    max_form_parts = _ConfigLimit("MAX_FORM_PARTS")  # type: ignore[assignment]

    # The module, not a provider: it follows whichever app is active. Request
    # contexts set the instance's own provider when they build the request.
    json_module: t.Any = json

    @property
    def endpoint(self) -> str | None:
        """The endpoint of the matched rule."""
        rule = self.url_rule
        return None if rule is None else rule.endpoint

    @property
    def blueprints(self) -> list[str]:
        """The matched endpoint's blueprint followed by each parent: ``["a.b", "a"]``."""
        endpoint = self.endpoint
        if endpoint is None or "." not in endpoint:
            return []
        names = endpoint.split(".")[:-1]
        return [".".join(names[:depth]) for depth in range(len(names), 0, -1)]

    @property
    def blueprint(self) -> str | None:
        """The registered (dotted) name of the matched endpoint's blueprint."""
        chain = self.blueprints
        return chain[0] if chain else None

    def close(self) -> None:
        """Close the files uploaded with this request, if its body was parsed for any.

        The app calls this as every request ends. Werkzeug's close() walks only the
        parsed files, which it keeps in the instance dict; most requests never parse
        a body, and for them the walk (a generator and an abstract-class check) is
        skipped.
        """
        if self._form_loaded:
            super().close()

    #: Set once the body was parsed for form data and files (there is nothing to close
    #: before): cheaper to test than the instance dict, whose reading slows every later
    #: attribute access of the request down.
    _form_loaded = False

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self._form_loaded = True
        app = _active_app()
        # A form without enctype="multipart/form-data" sends file fields as plain
        # text; in debug mode, reading one from request.files explains that.
        if app is not None and app.debug and self.mimetype != "multipart/form-data" and not self.files:
            from .debughelpers import attach_enctype_error_multidict

            attach_enctype_error_multidict(self)

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """Called when :meth:`get_json` cannot give a value and was not told to be silent.

        ``e`` is None when the body was not declared as JSON (415), else the parse
        error (400). Werkzeug raises both; outside debug mode the 400 leaves the
        parser's message out. Override it to return a value for ``get_json`` instead.
        """
        app = _active_app()
        if e is not None and (app is None or not app.debug):
            raise BadRequest() from e
        return super().on_json_loading_failed(e)


class Response(_WerkzeugResponse):
    """The response object: Werkzeug's response, HTML unless told otherwise.

    Replace it per app by setting ``Flask.response_class`` to a subclass.
    """

    default_mimetype: str | None = "text/html"
    # ``response.json`` decodes with the active app's provider.
    json_module = json
    # Location headers stay as given (relative redirects are valid HTTP).
    autocorrect_location_header = False

    @property  # type: ignore[override]
    def max_cookie_size(self) -> int:
        """The cookie size that draws a warning: ``MAX_COOKIE_SIZE``, or Werkzeug's default."""
        app = _active_app()
        return super().max_cookie_size if app is None else int(app.config["MAX_COOKIE_SIZE"])
