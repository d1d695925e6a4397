"""A tiny Flask application, as a project would write it: the sample whose tests
tests/test_dropin.py runs under ``flask-conformance drop-in``."""

import flask
from flask import Flask, jsonify


def create_app() -> Flask:
    app = Flask(__name__)

    @app.route("/hello/<name>")
    def hello(name: str) -> str:
        return f"Hello, {name}!"

    @app.route("/where")
    def where() -> flask.Response:
        # Looked up on the module at call time, so a test can monkeypatch it.
        return jsonify(url=flask.url_for("hello", name="you"))

    return app
