"""Error handlers: registration, lookup across blueprint and application, unhandled
exceptions, propagation and trapping."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import (
    BadRequest,
    BadRequestKeyError,
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
)

spec = pytest.mark.spec


class Base(Exception):
    """A user exception with a subclass, to exercise MRO lookup."""


class Child(Base):
    pass


class MyNotFound(NotFound):
    """An HTTP error subclass: it keeps the code 404."""


#: What a view raises, by the name used in URLs.
RAISES: dict[str, type[Exception]] = {
    "notfound": NotFound,
    "mynotfound": MyNotFound,
    "methodnotallowed": MethodNotAllowed,
    "base": Base,
    "child": Child,
    "badkey": BadRequestKeyError,
}

#: What a handler is registered for, by the name used in the table.
KEYS: dict[str, int | type[Exception]] = {
    "404": 404,
    "405": 405,
    "500": 500,
    "NotFound": NotFound,
    "MyNotFound": MyNotFound,
    "HTTPException": HTTPException,
    "InternalServerError": InternalServerError,
    "Exception": Exception,
    "Base": Base,
    "Child": Child,
    "400": 400,
    "BadRequest": BadRequest,
    "KeyError": KeyError,
}


def build_lookup_app(flask, app, handlers):
    """Register ``handlers`` ("scope:key"; scope app, bp, bp-app for
    Blueprint.app_errorhandler, or nested for a blueprint registered inside bp), an
    app route and blueprint routes under /bp and /bp/nested that raise RAISES[name],
    and a blueprint route /bp/slash/. bp is registered a second time under the name
    'again' at /again. Each handler answers 200 with its own label."""
    bp = flask.Blueprint("bp", __name__, url_prefix="/bp")
    nested = flask.Blueprint("nested", __name__, url_prefix="/nested")
    registrars = {
        "app": app.register_error_handler,
        "bp": bp.register_error_handler,
        "bp-app": lambda key, f: bp.app_errorhandler(key)(f),
        "nested": nested.register_error_handler,
    }
    for label in handlers:
        scope, key = label.split(":")

        def handler(e, label=label):
            return label, 200

        registrars[scope](KEYS[key], handler)

    def raiser(name):
        raise RAISES[name]()

    app.add_url_rule("/raise/<name>", "raise", raiser)
    bp.add_url_rule("/raise/<name>", "raise", raiser)
    bp.add_url_rule("/slash/", "slash", lambda: "slash")
    nested.add_url_rule("/raise/<name>", "raise", raiser)
    bp.register_blueprint(nested)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again", url_prefix="/again")
    app.config["PROPAGATE_EXCEPTIONS"] = False


# (registered handlers, request, the handler that answers or, when none does, the status)
LOOKUP = [
    # scope: app handlers see every request, blueprint handlers only their own
    (("app:404",), "GET /raise/notfound", "app:404"),
    (("app:404",), "GET /bp/raise/notfound", "app:404"),
    (("bp:404",), "GET /bp/raise/notfound", "bp:404"),
    (("bp:404",), "GET /raise/notfound", 404),
    (("bp:Base",), "GET /bp/raise/child", "bp:Base"),
    (("bp:Base",), "GET /raise/child", 500),
    (("bp-app:404",), "GET /raise/notfound", "bp-app:404"),
    (("bp-app:Base",), "GET /raise/child", "bp-app:Base"),
    # blueprint before application, within one kind of key
    (("bp:404", "app:404"), "GET /bp/raise/notfound", "bp:404"),
    (("bp:404", "app:404"), "GET /raise/notfound", "app:404"),
    (("bp:HTTPException", "app:HTTPException"), "GET /bp/raise/notfound", "bp:HTTPException"),
    (("bp:Base", "app:Base"), "GET /bp/raise/child", "bp:Base"),
    # code before class, across scopes
    (("bp:HTTPException", "app:404"), "GET /bp/raise/notfound", "app:404"),
    (("bp:Exception", "app:NotFound"), "GET /bp/raise/notfound", "app:NotFound"),
    (("app:HTTPException", "app:404"), "GET /raise/notfound", "app:404"),
    # class hierarchy: most specific class first, within a scope
    (("app:Base",), "GET /raise/child", "app:Base"),
    (("app:Base", "app:Child"), "GET /raise/child", "app:Child"),
    (("app:Base", "app:Child"), "GET /raise/base", "app:Base"),
    (("app:Child",), "GET /raise/base", 500),
    (("app:Exception", "app:Base"), "GET /raise/child", "app:Base"),
    (("bp:Base", "app:Child"), "GET /bp/raise/child", "bp:Base"),
    (("bp:Base", "app:Child"), "GET /raise/child", "app:Child"),
    (("bp:Exception", "app:Child"), "GET /bp/raise/child", "bp:Exception"),
    # an HTTP error subclass shares its base's code
    (("app:404",), "GET /raise/mynotfound", "app:404"),
    (("app:MyNotFound",), "GET /raise/notfound", 404),
    (("app:MyNotFound", "app:404"), "GET /raise/mynotfound", "app:MyNotFound"),
    (("app:MyNotFound", "app:404"), "GET /raise/notfound", "app:404"),
    # catch-all handlers for HTTP errors
    (("app:HTTPException",), "GET /bp/raise/notfound", "app:HTTPException"),
    (("app:HTTPException",), "GET /raise/methodnotallowed", "app:HTTPException"),
    (("app:Exception",), "GET /raise/notfound", "app:Exception"),
    (("app:HTTPException",), "GET /raise/child", "app:HTTPException"),
    # unhandled exceptions reach 500 handlers, the blueprint's first
    (("app:500",), "GET /raise/child", "app:500"),
    (("app:InternalServerError",), "GET /bp/raise/child", "app:InternalServerError"),
    (("bp:500",), "GET /bp/raise/child", "bp:500"),
    (("bp:500",), "GET /raise/child", 500),
    (("bp:500", "app:500"), "GET /bp/raise/child", "bp:500"),
    # routing errors for unmatched URLs reach application handlers only
    (("app:404",), "GET /nowhere", "app:404"),
    (("app:404",), "GET /bp/nowhere", "app:404"),
    (("bp-app:404",), "GET /bp/nowhere", "bp-app:404"),
    (("bp:404",), "GET /bp/nowhere", 404),
    (("bp:HTTPException",), "GET /bp/nowhere", 404),
    (("bp:404", "app:HTTPException"), "GET /bp/nowhere", "app:HTTPException"),
    (("app:405",), "POST /bp/raise/child", "app:405"),
    (("bp:405",), "POST /bp/raise/child", 405),
    (("bp:405",), "GET /bp/raise/methodnotallowed", "bp:405"),
    # nested blueprints: the innermost first, then each parent, then the app
    (("nested:404",), "GET /bp/nested/raise/notfound", "nested:404"),
    (("bp:404",), "GET /bp/nested/raise/notfound", "bp:404"),
    (("app:404",), "GET /bp/nested/raise/notfound", "app:404"),
    (("nested:404", "bp:404", "app:404"), "GET /bp/nested/raise/notfound", "nested:404"),
    (("bp:404", "app:404"), "GET /bp/nested/raise/notfound", "bp:404"),
    (("nested:404",), "GET /bp/raise/notfound", 404),
    (("nested:Base", "bp:Child"), "GET /bp/nested/raise/child", "nested:Base"),
    (("nested:HTTPException", "bp:404"), "GET /bp/nested/raise/notfound", "bp:404"),
    (("nested:Exception", "app:NotFound"), "GET /bp/nested/raise/notfound", "app:NotFound"),
    (("nested:500", "bp:500"), "GET /bp/nested/raise/child", "nested:500"),
    # a blueprint registered again under name= keeps its handlers there
    (("bp:404",), "GET /again/raise/notfound", "bp:404"),
    (("bp:Base", "app:Base"), "GET /again/raise/child", "bp:Base"),
    (("nested:404",), "GET /again/nested/raise/notfound", "nested:404"),
    (("bp:404",), "GET /again/nested/raise/notfound", "bp:404"),
    # a blueprint's code handler beats the app's class handler
    (("bp:404", "app:NotFound"), "GET /bp/raise/notfound", "bp:404"),
    (("bp:404", "app:HTTPException"), "GET /bp/raise/notfound", "bp:404"),
    (("bp:404", "app:MyNotFound"), "GET /bp/raise/mynotfound", "bp:404"),
    # a missing request key: BadRequest by code, then its classes (HTTPException before KeyError)
    (("app:KeyError",), "GET /raise/badkey", "app:KeyError"),
    (("app:400",), "GET /raise/badkey", "app:400"),
    (("app:KeyError", "app:400"), "GET /raise/badkey", "app:400"),
    (("bp:KeyError", "app:400"), "GET /bp/raise/badkey", "app:400"),
    (("bp:KeyError", "app:KeyError"), "GET /bp/raise/badkey", "bp:KeyError"),
    (("app:KeyError", "app:BadRequest"), "GET /raise/badkey", "app:BadRequest"),
    (("app:KeyError", "app:HTTPException"), "GET /raise/badkey", "app:HTTPException"),
    (("app:Base",), "GET /raise/badkey", 400),
    # routing redirects never reach a handler
    (("app:HTTPException", "app:Exception", "bp:HTTPException"), "GET /bp/slash", 308),
    (("bp:Exception",), "GET /bp/slash", 308),
]


@spec(
    "errors.lookup-order",
    "errors.blueprint-scope",
    "errors.app-errorhandler",
    "errors.by-code",
    "errors.by-class",
    "errors.http-exception-catch-all",
    "errors.500-handler",
    "errors.unmatched-url-app-only",
    "errors.routing-redirect",
    "errors.nested-blueprints",
    "errors.renamed-blueprint",
    "errors.bad-request-key-lookup",
)
@pytest.mark.parametrize(
    ("handlers", "request_line", "answer"),
    LOOKUP,
    ids=[f"{'+'.join(handlers)} {request_line}" for handlers, request_line, _ in LOOKUP],
)
def test_the_right_handler_answers(flask, app, client, handlers, request_line, answer):
    build_lookup_app(flask, app, handlers)
    method, path = request_line.split()
    response = client.open(path, method=method)
    if isinstance(answer, str):
        assert (response.status_code, response.get_data(as_text=True)) == (200, answer)
    else:
        assert response.status_code == answer
        assert response.get_data(as_text=True) not in handlers


# --- registration ------------------------------------------------------------


@spec("errors.by-code")
def test_code_handler_receives_the_http_error(app, client):
    seen = []

    @app.errorhandler(404)
    def not_found(e):
        seen.append(e)
        return "missing", 404

    raised = NotFound()

    @app.route("/gone")
    def gone():
        raise raised

    response = client.get("/gone")
    assert (response.status_code, response.get_data(as_text=True)) == (404, "missing")
    assert seen == [raised]


@spec("errors.by-class")
@pytest.mark.parametrize(("key", "raised"), [(Base, Base("b")), (Base, Child("c")), (NotFound, NotFound())])
def test_class_handler_receives_the_raised_exception(app, client, key, raised):
    seen = []

    @app.errorhandler(key)
    def handle(e):
        seen.append(e)
        return "handled", 418

    @app.route("/raise")
    def view():
        raise raised

    assert client.get("/raise").status_code == 418
    assert seen == [raised]


@spec("errors.register-error-handler")
@pytest.mark.parametrize(("key", "raised"), [(404, NotFound), (Base, Child)])
def test_register_error_handler_works_like_the_decorator(app, client, key, raised):
    def handle(e):
        return type(e).__name__, 418

    assert app.register_error_handler(key, handle) is None

    @app.route("/raise")
    def view():
        raise raised()

    response = client.get("/raise")
    assert (response.status_code, response.get_data(as_text=True)) == (418, raised.__name__)


@spec("errors.register-error-handler")
@pytest.mark.parametrize("key", [404, Base])
def test_errorhandler_decorator_returns_the_function(app, key):
    def handle(e):
        return "x"

    assert app.errorhandler(key)(handle) is handle


@spec("errors.register-error-handler")
@pytest.mark.parametrize("name", ["errorhandler", "app_errorhandler"])
def test_blueprint_errorhandler_decorators_return_the_function(flask, name):
    def handle(e):
        return "x"

    assert getattr(flask.Blueprint("bp", __name__), name)(404)(handle) is handle


@spec("errors.register-error-handler")
def test_blueprint_register_error_handler(flask, app, client):
    bp = flask.Blueprint("bp", __name__)
    bp.register_error_handler(Base, lambda e: ("bp handled", 418))

    @bp.route("/raise")
    def view():
        raise Child()

    app.register_blueprint(bp)
    response = client.get("/raise")
    assert (response.status_code, response.get_data(as_text=True)) == (418, "bp handled")


@spec("errors.registration-errors")
@pytest.mark.parametrize(
    ("key", "error"),
    [
        (999, ValueError),
        (200, ValueError),
        (int, ValueError),
        (object, ValueError),
        (ValueError("an instance"), TypeError),
        ("404", TypeError),
    ],
)
@pytest.mark.parametrize("form", ["decorator", "register_error_handler"])
def test_registering_an_invalid_key_fails(app, key, error, form):
    def handle(e):
        return "x"

    with pytest.raises(error):
        if form == "decorator":
            app.errorhandler(key)(handle)
        else:
            app.register_error_handler(key, handle)


# --- no handler ----------------------------------------------------------------


@spec("errors.http-error-default")
@pytest.mark.parametrize(("path", "status"), [("/abort/403", 403), ("/abort/410", 410), ("/nowhere", 404)])
def test_http_error_without_handler_is_its_own_html_page(flask, app, client, path, status):
    @app.route("/abort/<int:code>")
    def view(code):
        flask.abort(code)

    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "text/html"


@pytest.fixture
def boom_app(app):
    """An app whose /boom raises ValueError, with exceptions not propagated."""

    @app.route("/boom")
    def boom():
        raise ValueError("boom")

    app.testing = False
    return app


@spec("errors.unhandled-500")
def test_unhandled_exception_becomes_500(boom_app, client):
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.mimetype == "text/html"


@spec("errors.500-handler")
@pytest.mark.parametrize("key", [500, InternalServerError])
def test_500_handler_gets_internal_server_error_with_original(app, client, key):
    raised = ValueError("boom")
    seen = []

    @app.route("/boom")
    def boom():
        raise raised

    @app.errorhandler(key)
    def server_error(e):
        seen.append(e)
        return "sorry", 500

    app.testing = False
    response = client.get("/boom")
    assert (response.status_code, response.get_data(as_text=True)) == (500, "sorry")
    [error] = seen
    assert isinstance(error, InternalServerError)
    assert error.original_exception is raised


@spec("errors.500-handler")
def test_500_raised_directly_has_no_original_exception(flask, app, client):
    seen = []

    @app.route("/abort")
    def view():
        flask.abort(500)

    @app.errorhandler(500)
    def server_error(e):
        seen.append(e)
        return "sorry", 500

    assert client.get("/abort").status_code == 500
    [error] = seen
    assert isinstance(error, InternalServerError)
    assert error.original_exception is None


# --- propagation and trapping -------------------------------------------------------


@spec("errors.propagate")
@pytest.mark.parametrize(
    ("config", "outcome"),
    [
        ({}, 500),
        ({"TESTING": True}, ValueError),
        ({"DEBUG": True}, ValueError),
        ({"PROPAGATE_EXCEPTIONS": True}, ValueError),
        ({"TESTING": True, "PROPAGATE_EXCEPTIONS": False}, 500),
        ({"DEBUG": True, "PROPAGATE_EXCEPTIONS": False}, 500),
    ],
)
@pytest.mark.needs("exceptions-reach-caller")
def test_propagate_exceptions_decides_between_raise_and_500(boom_app, client, config, outcome):
    boom_app.config.update(config)
    if isinstance(outcome, int):
        assert client.get("/boom").status_code == outcome
    else:
        with pytest.raises(outcome):
            client.get("/boom")


@spec("errors.propagate")
@pytest.mark.needs("exceptions-reach-caller")
def test_propagated_exception_skips_the_500_handler(app, client):
    seen = []

    @app.route("/boom")
    def boom():
        raise ValueError("boom")

    @app.errorhandler(500)
    def server_error(e):
        seen.append(e)
        return "sorry", 500

    with pytest.raises(ValueError):
        client.get("/boom")
    assert seen == []


@spec("errors.handle-exception-called")
@pytest.mark.parametrize("propagate", [True, False])
def test_handle_exception_called_directly_raises_the_given_error_or_answers_500(app, propagate, sync):
    app.config["PROPAGATE_EXCEPTIONS"] = propagate
    error = ValueError("given, not being handled")
    with sync.context(app.test_request_context("/")):
        if propagate:
            with pytest.raises(ValueError) as raised:
                sync(app.handle_exception(error))
            assert raised.value is error
        else:
            assert sync(app.handle_exception(error)).status_code == 500


@pytest.fixture
def http_error_app(flask, app, sync):
    """An app raising HTTP errors, with TESTING off: /abort/<code>, and /key reads a
    missing form key."""
    app.testing = False

    @app.route("/abort/<int:code>")
    def abort(code):
        flask.abort(code)

    @app.route("/key", methods=["GET", "POST"])
    def key():
        return sync(flask.request.form)["missing"]

    return app


def assert_outcome(client, path, outcome):
    """A status code the client must get, or the exception that must escape the app."""
    if isinstance(outcome, int):
        assert client.get(path).status_code == outcome
    else:
        with pytest.raises(outcome):
            client.get(path)


@spec("errors.trap-http-exceptions")
@pytest.mark.parametrize(
    ("config", "path", "outcome"),
    [
        ({}, "/abort/404", 404),
        ({"TRAP_HTTP_EXCEPTIONS": True}, "/abort/404", 500),
        ({"TRAP_HTTP_EXCEPTIONS": True}, "/abort/403", 500),
        ({"TRAP_HTTP_EXCEPTIONS": True}, "/nowhere", 500),
        ({"TRAP_HTTP_EXCEPTIONS": True, "TESTING": True}, "/abort/404", NotFound),
        ({"TRAP_HTTP_EXCEPTIONS": True, "TESTING": True}, "/nowhere", NotFound),
    ],
)
@pytest.mark.needs("exceptions-reach-caller")
def test_trapped_http_errors_are_unhandled(http_error_app, client, config, path, outcome):
    http_error_app.config.update(config)
    assert_outcome(client, path, outcome)


@spec("errors.trap-http-exceptions", "errors.trap-bad-request")
@pytest.mark.parametrize(
    ("config", "debug", "error", "trapped"),
    [
        ({}, False, NotFound(), False),
        ({}, False, BadRequestKeyError("k"), False),
        ({}, True, BadRequestKeyError("k"), True),
        ({}, True, BadRequest(), False),
        ({"TRAP_HTTP_EXCEPTIONS": True}, False, NotFound(), True),
        ({"TRAP_BAD_REQUEST_ERRORS": True}, False, BadRequest(), True),
        ({"TRAP_BAD_REQUEST_ERRORS": True}, False, NotFound(), False),
        ({"TRAP_BAD_REQUEST_ERRORS": False}, True, BadRequestKeyError("k"), False),
    ],
)
def test_trap_http_exception_answers_true_or_false(app, config, debug, error, trapped):
    app.config.update(config)
    app.debug = debug
    assert app.trap_http_exception(error) is trapped


@spec("errors.trap-http-exceptions")
@pytest.mark.parametrize(
    ("key", "answer"),
    [(404, "NotFound"), (HTTPException, "NotFound"), (500, "InternalServerError:NotFound")],
)
def test_trapped_http_errors_still_reach_their_handlers(http_error_app, client, key, answer):
    http_error_app.config["TRAP_HTTP_EXCEPTIONS"] = True

    @http_error_app.errorhandler(key)
    def handle(e):
        original = getattr(e, "original_exception", None)
        names = [type(e).__name__] + ([type(original).__name__] if original else [])
        return ":".join(names), 299

    response = client.get("/abort/404")
    assert (response.status_code, response.get_data(as_text=True)) == (299, answer)


@spec("errors.trap-bad-request")
@pytest.mark.parametrize(
    ("config", "path", "outcome"),
    [
        ({}, "/key", 400),
        ({}, "/abort/400", 400),
        ({"DEBUG": True}, "/key", BadRequestKeyError),
        ({"DEBUG": True}, "/abort/400", 400),
        ({"TRAP_BAD_REQUEST_ERRORS": True}, "/key", 500),
        ({"TRAP_BAD_REQUEST_ERRORS": True}, "/abort/400", 500),
        ({"TRAP_BAD_REQUEST_ERRORS": True}, "/abort/404", 404),
        ({"TRAP_BAD_REQUEST_ERRORS": True, "TESTING": True}, "/abort/400", BadRequest),
        ({"TRAP_BAD_REQUEST_ERRORS": False, "DEBUG": True}, "/key", 400),
    ],
)
@pytest.mark.needs("exceptions-reach-caller")
def test_trap_bad_request_errors(http_error_app, client, config, path, outcome):
    http_error_app.config.update(config)
    assert_outcome(client, path, outcome)


#: (config, handlers registered, request path, outcome): a handler answers 299 with
#: "<key>:<exception class>"; otherwise the status, or the exception that escapes.
DEBUG_MODE = [
    # a missing key (BadRequestKeyError): trapped by DEBUG, still handled when it can be
    ({}, (), "/key", 400),
    ({"DEBUG": True}, (), "/key", BadRequestKeyError),
    ({"DEBUG": True}, ("KeyError",), "/key", "KeyError:BadRequestKeyError"),
    ({"DEBUG": True}, ("400",), "/key", "400:BadRequestKeyError"),
    ({"DEBUG": True}, ("KeyError", "400"), "/key", "400:BadRequestKeyError"),
    ({"DEBUG": True}, ("500",), "/key", BadRequestKeyError),
    ({"DEBUG": True, "PROPAGATE_EXCEPTIONS": False}, (), "/key", 500),
    ({"DEBUG": True, "PROPAGATE_EXCEPTIONS": False}, ("500",), "/key", "500:InternalServerError"),
    ({"DEBUG": True, "TRAP_BAD_REQUEST_ERRORS": False}, ("500",), "/key", 400),
    ({"TRAP_BAD_REQUEST_ERRORS": True}, ("KeyError",), "/key", "KeyError:BadRequestKeyError"),
    ({"TRAP_BAD_REQUEST_ERRORS": True}, ("500",), "/key", "500:InternalServerError"),
    ({"TRAP_BAD_REQUEST_ERRORS": True}, ("500",), "/abort/400", "500:InternalServerError"),
    ({"TRAP_BAD_REQUEST_ERRORS": True}, ("400",), "/abort/400", "400:BadRequest"),
    ({"TRAP_BAD_REQUEST_ERRORS": True, "DEBUG": True}, (), "/abort/400", BadRequest),
    # every HTTP error trapped
    ({"TRAP_HTTP_EXCEPTIONS": True}, ("KeyError",), "/key", "KeyError:BadRequestKeyError"),
    ({"TRAP_HTTP_EXCEPTIONS": True}, ("500",), "/abort/404", "500:InternalServerError"),
    ({"TRAP_HTTP_EXCEPTIONS": True, "DEBUG": True}, ("500",), "/abort/404", NotFound),
    ({"TRAP_HTTP_EXCEPTIONS": True, "DEBUG": True}, ("404",), "/abort/404", "404:NotFound"),
    ({"TRAP_HTTP_EXCEPTIONS": True, "DEBUG": True, "PROPAGATE_EXCEPTIONS": False}, (), "/abort/404", 500),
    # untrapped HTTP errors are their own response in debug mode too, and skip 500 handlers
    ({"DEBUG": True}, ("500",), "/abort/404", 404),
    ({"DEBUG": True}, ("500",), "/abort/400", 400),
    ({"DEBUG": True, "PROPAGATE_EXCEPTIONS": True}, (), "/abort/403", 403),
    # other exceptions: propagated in debug mode before any 500 handler
    ({"DEBUG": True}, ("500",), "/boom", ValueError),
    ({"DEBUG": True}, ("ValueError",), "/boom", "ValueError:ValueError"),
    ({"PROPAGATE_EXCEPTIONS": True}, ("ValueError",), "/boom", "ValueError:ValueError"),
    ({"DEBUG": True, "PROPAGATE_EXCEPTIONS": False}, ("500",), "/boom", "500:InternalServerError"),
]

_DEBUG_KEYS: dict[str, int | type[Exception]] = {
    "400": 400, "404": 404, "500": 500, "KeyError": KeyError, "ValueError": ValueError,
}


@spec("errors.debug-mode-outcomes", "errors.trap-bad-request", "errors.trap-http-exceptions", "errors.propagate")
@pytest.mark.parametrize(
    ("config", "handlers", "path", "outcome"),
    DEBUG_MODE,
    ids=[f"{'+'.join(f'{k}={v}' for k, v in c.items()) or 'defaults'} {'+'.join(h) or '-'} {p}" for c, h, p, _ in DEBUG_MODE],
)
@pytest.mark.needs("exceptions-reach-caller")
def test_what_an_error_becomes_in_debug_mode(http_error_app, client, config, handlers, path, outcome):
    @http_error_app.route("/boom")
    def boom():
        raise ValueError("boom")

    for key in handlers:
        http_error_app.register_error_handler(
            _DEBUG_KEYS[key], lambda e, key=key: (f"{key}:{type(e).__name__}", 299)
        )
    http_error_app.config.update(config)
    if isinstance(outcome, str):
        response = client.get(path)
        assert (response.status_code, response.get_data(as_text=True)) == (299, outcome)
    else:
        assert_outcome(client, path, outcome)


@spec("errors.abort-response")
@pytest.mark.parametrize(
    ("config", "status", "body"),
    [
        ({}, 418, "teapot"),
        ({"DEBUG": True}, 418, "teapot"),
        ({"TRAP_HTTP_EXCEPTIONS": True}, 299, "HTTPException"),
    ],
)
def test_abort_with_a_response_bypasses_error_handlers(flask, app, client, config, status, body):
    app.config.update(config)

    @app.route("/")
    def index():
        flask.abort(flask.Response("teapot", 418))

    for key in (418, 500, HTTPException, Exception):
        app.register_error_handler(key, lambda e: (type(e).__name__, 299))
    response = client.get("/")
    assert (response.status_code, response.get_data(as_text=True)) == (status, body)


@spec("errors.bad-request-key-debug")
@pytest.mark.parametrize(("debug", "named"), [(True, True), (False, False)])
def test_missing_key_is_named_only_in_debug(http_error_app, client, debug, named):
    http_error_app.config.update(DEBUG=debug, TRAP_BAD_REQUEST_ERRORS=False)
    response = client.post("/key", data={"present": "1"})
    assert response.status_code == 400
    assert ("missing" in response.get_data(as_text=True)) is named


# --- handlers that fail, and what handlers return -------------------------------------


@spec("errors.handler-raises")
@pytest.mark.parametrize(
    ("raise_in_handler", "with_500_handler", "answer"),
    [
        (KeyError, False, 500),
        (KeyError, True, "500 handler: KeyError"),
        (NotFound, False, 500),
        (NotFound, True, "500 handler: NotFound"),
    ],
)
def test_exception_in_a_handler_becomes_500(boom_app, client, raise_in_handler, with_500_handler, answer):
    @boom_app.errorhandler(ValueError)
    def broken(e):
        raise raise_in_handler()

    @boom_app.errorhandler(404)
    def not_found(e):
        return "404 handler", 299

    if with_500_handler:

        @boom_app.errorhandler(500)
        def server_error(e):
            return f"500 handler: {type(e.original_exception).__name__}", 299

    response = client.get("/boom")
    if isinstance(answer, str):
        assert (response.status_code, response.get_data(as_text=True)) == (299, answer)
    else:
        assert response.status_code == answer


@spec("errors.500-handler-raises")
@pytest.mark.needs("exceptions-reach-caller")
def test_failing_500_handler_escapes_the_application(boom_app, client):
    @boom_app.errorhandler(500)
    def server_error(e):
        raise KeyError("broken handler")

    with pytest.raises(KeyError):
        client.get("/boom")


@spec("errors.handler-return-values")
@pytest.mark.parametrize(
    ("make_return", "status", "body", "mimetype"),
    [
        (lambda flask, e: "plain", 200, "plain", "text/html"),
        (lambda flask, e: ("gone", 410), 410, "gone", "text/html"),
        (lambda flask, e: ("nope", "403 FORBIDDEN"), 403, "nope", "text/html"),
        (lambda flask, e: ({"code": e.code}, 404), 404, {"code": 404}, "application/json"),
        (lambda flask, e: flask.Response("own", status=418, mimetype="text/plain"), 418, "own", "text/plain"),
        (lambda flask, e: e, 404, None, "text/html"),
    ],
    ids=["str", "tuple-int", "tuple-str", "dict", "response", "exception"],
)
def test_handler_return_value_becomes_the_response(flask, app, client, make_return, status, body, mimetype):
    @app.errorhandler(404)
    def not_found(e):
        return make_return(flask, e)

    response = client.get("/nowhere")
    assert (response.status_code, response.mimetype) == (status, mimetype)
    if isinstance(body, dict):
        assert response.get_json() == body
    elif body is not None:
        assert response.get_data(as_text=True) == body
