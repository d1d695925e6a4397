"""Aborting a request with an HTTP error: ``flask.abort`` and ``Flask.aborter``."""

from __future__ import annotations

from contextlib import nullcontext

import pytest
import werkzeug
from werkzeug.exceptions import HTTPException

spec = pytest.mark.spec

#: Status codes and the Werkzeug exception each one raises.
ERROR_CODES = [
    (400, werkzeug.exceptions.BadRequest),
    (401, werkzeug.exceptions.Unauthorized),
    (403, werkzeug.exceptions.Forbidden),
    (404, werkzeug.exceptions.NotFound),
    (405, werkzeug.exceptions.MethodNotAllowed),
    (409, werkzeug.exceptions.Conflict),
    (410, werkzeug.exceptions.Gone),
    (418, werkzeug.exceptions.ImATeapot),
    (429, werkzeug.exceptions.TooManyRequests),
    (500, werkzeug.exceptions.InternalServerError),
    (503, werkzeug.exceptions.ServiceUnavailable),
]


@spec("abort.code")
@pytest.mark.parametrize(("code", "exception"), ERROR_CODES)
def test_abort_raises_the_exception_for_the_code(flask, app, code, exception, sync):
    with sync.context(app.app_context()):
        with pytest.raises(exception) as info:
            flask.abort(code)
    assert info.value.code == code


@spec("abort.code")
@pytest.mark.parametrize(("code", "exception"), ERROR_CODES)
def test_abort_in_a_view_answers_with_the_code(flask, app, client, code, exception):
    reached = []

    @app.route("/")
    def index():
        flask.abort(code)
        reached.append("after abort")

    response = client.get("/")
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert reached == []


@spec("abort.unknown-code")
@pytest.mark.parametrize("code", [299, 600, 999])
@pytest.mark.parametrize("context", ["none", "app"])
def test_abort_with_an_unknown_code_is_a_lookup_error(flask, app, code, context, sync):
    with sync.context(app.app_context()) if context == "app" else nullcontext():
        with pytest.raises(LookupError):
            flask.abort(code)


@spec("abort.description")
def test_abort_description_reaches_the_exception(flask, app, sync):
    with sync.context(app.app_context()):
        with pytest.raises(HTTPException) as info:
            flask.abort(403, description="members only")
    assert info.value.description == "members only"


@spec("abort.description")
@pytest.mark.parametrize("how", ["keyword", "positional"])
def test_abort_description_appears_in_the_error_page(flask, app, client, how):
    @app.route("/")
    def index():
        if how == "keyword":
            flask.abort(404, description="No such widget.")
        flask.abort(404, "No such widget.")

    response = client.get("/")
    assert response.status_code == 404
    assert "No such widget." in response.get_data(as_text=True)


@spec("abort.response")
def test_abort_with_a_response_sends_it_unchanged(flask, app, client):
    @app.route("/")
    def index():
        flask.abort(flask.Response('{"error": "auth"}', 401, {"X-Reason": "token"}, mimetype="application/json"))

    response = client.get("/")
    assert response.status_code == 401
    assert response.headers["X-Reason"] == "token"
    assert response.mimetype == "application/json"
    assert response.get_data(as_text=True) == '{"error": "auth"}'


@spec("abort.response")
def test_abort_with_a_response_raises_an_http_exception_carrying_it(flask, app, sync):
    sent = flask.Response("teapot", 418)
    with sync.context(app.app_context()):
        with pytest.raises(HTTPException) as info:
            flask.abort(sent)
    assert info.value.get_response() is sent


@spec("abort.app-aborter")
def test_app_aborter_is_a_werkzeug_aborter_by_default(app):
    assert isinstance(app.aborter, werkzeug.exceptions.Aborter)
    with pytest.raises(werkzeug.exceptions.NotFound):
        app.aborter(404)


@spec("abort.app-aborter")
def test_abort_uses_the_current_apps_aborter(flask, client_for):
    class PaymentRequired(HTTPException):
        code = 402
        description = "Pay up."

    class App(flask.Flask):
        def make_aborter(self):
            aborter = super().make_aborter()
            aborter.mapping[402] = PaymentRequired
            return aborter

    app = App(__name__)
    app.add_url_rule("/", endpoint="index", view_func=lambda: flask.abort(402))
    response = client_for(app).get("/")
    assert response.status_code == 402
    assert "Pay up." in response.get_data(as_text=True)


@spec("abort.app-aborter")
def test_abort_uses_the_aborter_class(flask, sync):
    class Teapot(HTTPException):
        code = 499

    class Aborter(werkzeug.exceptions.Aborter):
        def __init__(self):
            super().__init__(extra={499: Teapot})

    class App(flask.Flask):
        aborter_class = Aborter

    app = App(__name__)
    with sync.context(app.app_context()):
        with pytest.raises(Teapot):
            flask.abort(499)


@spec("abort.app-aborter")
def test_abort_outside_an_app_uses_werkzeug_codes(flask):
    with pytest.raises(werkzeug.exceptions.NotFound):
        flask.abort(404)


@spec("abort.error-handler")
def test_abort_reaches_the_error_handler_for_its_code(flask, app, client):
    @app.errorhandler(404)
    def not_found(error):
        return f"custom: {error.description}", 404

    app.add_url_rule("/", endpoint="index", view_func=lambda: flask.abort(404, description="gone"))
    response = client.get("/")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == "custom: gone"

