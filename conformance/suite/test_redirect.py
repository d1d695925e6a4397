"""Redirect responses: ``flask.redirect`` and ``Flask.redirect``."""

from __future__ import annotations

import html
import re
from contextlib import nullcontext

import pytest
import werkzeug

spec = pytest.mark.spec

#: Every redirect status HTTP defines, all of which redirect() passes through.
REDIRECT_CODES = [301, 302, 303, 305, 307, 308]


@spec("redirect.default-code")
@pytest.mark.parametrize("context", ["none", "app", "request"])
def test_redirect_defaults_to_302(flask, app, context):
    contexts = {"none": nullcontext, "app": app.app_context, "request": app.test_request_context}
    with contexts[context]():
        response = flask.redirect("/target")
    assert (response.status_code, response.headers["Location"]) == (302, "/target")


@spec("redirect.default-code")
def test_app_redirect_defaults_to_302(app):
    response = app.redirect("/target")
    assert (response.status_code, response.headers["Location"]) == (302, "/target")


@spec("redirect.default-code")
def test_redirect_from_a_view_answers_302_found(flask, app, client):
    app.add_url_rule("/old", view_func=lambda: flask.redirect("/new"), endpoint="old")
    response = client.get("/old")
    assert (response.status_code, response.status) == (302, "302 FOUND")
    assert response.headers["Location"] == "/new"


@spec("redirect.code")
@pytest.mark.parametrize("code", REDIRECT_CODES)
def test_redirect_uses_the_given_code(flask, app, client, code):
    app.add_url_rule("/old", view_func=lambda: flask.redirect("/new", code=code), endpoint="old")
    response = client.get("/old")
    assert response.status_code == code
    assert response.headers["Location"] == "/new"


@spec("redirect.code")
@pytest.mark.parametrize("code", REDIRECT_CODES)
def test_redirect_code_can_be_positional(flask, app, code, sync):
    with sync.context(app.app_context()):
        assert flask.redirect("/new", code).status_code == code


@spec("redirect.codes-not-validated")
@pytest.mark.parametrize("code", [300, 304, 200, 418])
def test_redirect_accepts_codes_old_docs_refuse(flask, app, client, code):
    app.add_url_rule("/old", view_func=lambda: flask.redirect("/new", code=code), endpoint="old")
    response = client.get("/old")
    assert response.status_code == code
    assert response.headers["Location"] == "/new"


@spec("redirect.location")
@pytest.mark.parametrize(
    "target",
    ["/new", "new", "../up?x=1", "https://example.com/auth", "//cdn.example.com/a.js", "/path#frag"],
)
def test_location_is_the_target_as_given(flask, app, client, target):
    app.add_url_rule("/old", view_func=lambda: flask.redirect(target), endpoint="old")
    response = client.get("/old")
    assert response.headers["Location"] == target


@spec("redirect.location", "url-for.relative-in-request")
def test_redirect_to_url_for_stays_relative(flask, app, client):
    app.add_url_rule("/dash", endpoint="dash", view_func=lambda: "dash")
    app.add_url_rule("/login", endpoint="login", view_func=lambda: flask.redirect(flask.url_for("dash")))
    response = client.get("/login")
    assert response.location == "/dash"


@spec("redirect.iri-location")
@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/ü", "/%C3%BC"),
        ("/ü?q=ä b", "/%C3%BC?q=%C3%A4%20b"),
        ("http://exämple.com/ü", "http://xn--exmple-cua.com/%C3%BC"),
    ],
)
def test_non_ascii_location_is_sent_as_a_uri(flask, app, client, target, location):
    app.add_url_rule("/old", view_func=lambda: flask.redirect(target), endpoint="old")
    response = client.get("/old")
    assert response.headers["Location"] == location


@spec("redirect.encoded-location")
@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/a%20b", "/a%20b"),
        ("/%C3%BC", "/%C3%BC"),
        ("/a%2Fb?q=%26&r=%3D", "/a%2Fb?q=%26&r=%3D"),
        ("/a%2520", "/a%2520"),
        ("http://example.com/%7Euser#x%20y", "http://example.com/%7Euser#x%20y"),
        ("/ü%20x", "/%C3%BC%20x"),
    ],
)
def test_an_encoded_location_is_not_encoded_twice(flask, app, client, target, location):
    app.add_url_rule("/old", view_func=lambda: flask.redirect(target), endpoint="old")
    response = client.get("/old")
    assert response.headers["Location"] == location


@spec("redirect.body")
@pytest.mark.parametrize("target", ["/new", '/a"<b>&c'])
def test_redirect_body_is_html_linking_to_the_target(flask, app, client, target):
    app.add_url_rule("/old", view_func=lambda: flask.redirect(target), endpoint="old")
    response = client.get("/old")
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    body = response.get_data(as_text=True)
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert [html.unescape(h) for h in hrefs] == [target]
    assert "<b>" not in body


@spec("redirect.app-method")
@pytest.mark.parametrize("code", REDIRECT_CODES)
def test_app_redirect_can_be_called_directly(app, code):
    response = app.redirect("/new", code=code)
    assert response.status_code == code
    assert response.headers["Location"] == "/new"
    assert isinstance(response, app.response_class)


@spec("redirect.app-method")
def test_redirect_uses_an_overridden_app_redirect(flask, client_for):
    class App(flask.Flask):
        def redirect(self, location, code=302):
            response = super().redirect(location, code=code)
            response.headers["X-Redirected-By"] = "subclass"
            return response

    app = App(__name__)
    app.add_url_rule("/old", view_func=lambda: flask.redirect("/new", 307), endpoint="old")
    response = client_for(app).get("/old")
    assert response.status_code == 307
    assert response.headers["X-Redirected-By"] == "subclass"


@spec("redirect.response-class")
def test_redirect_in_an_app_context_ignores_the_response_argument(flask, app, sync):
    class Other(werkzeug.wrappers.Response):
        pass

    with sync.context(app.app_context()):
        response = flask.redirect("/new", Response=Other)
    assert type(response) is app.response_class


@spec("redirect.response-class")
def test_redirect_in_a_request_ignores_the_response_argument(flask, app, client):
    class Other(werkzeug.wrappers.Response):
        pass

    seen = []

    def view():
        response = flask.redirect("/new", 301, Response=Other)
        seen.append(type(response))
        return response

    app.add_url_rule("/old", view_func=view)
    response = client.get("/old")
    assert (response.status_code, response.headers["Location"]) == (301, "/new")
    assert seen == [app.response_class]


@spec("redirect.response-class")
def test_redirect_uses_a_custom_response_class(flask, app, sync):
    class Custom(flask.Response):
        pass

    app.response_class = Custom
    with sync.context(app.app_context()):
        assert type(flask.redirect("/new")) is Custom
    assert type(app.redirect("/new")) is Custom


@spec("redirect.response-argument")
def test_redirect_outside_an_app_uses_the_response_argument(flask):
    class Other(werkzeug.wrappers.Response):
        pass

    response = flask.redirect("/new", 301, Other)
    assert type(response) is Other
    assert (response.status_code, response.headers["Location"]) == (301, "/new")


@spec("redirect.response-argument")
def test_redirect_outside_an_app_defaults_to_werkzeug_response(flask):
    assert type(flask.redirect("/new")) is werkzeug.wrappers.Response

