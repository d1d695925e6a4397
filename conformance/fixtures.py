"""Fixtures through which conformance tests reach the implementation under test.

Tests never import an implementation: ``flask`` is whichever module ``--impl``
named, and HTTP assertions go through ``client``, Werkzeug's own test client on
the app as a plain WSGI callable, so an implementation's test client cannot hide
its bugs (the implementation's ``test_client`` is tested as an API of its own).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import pytest
from werkzeug.test import Client

from .implementations import Implementation, ImplementationPair


@pytest.fixture
def impl(request: pytest.FixtureRequest) -> Implementation:
    """The implementation record; the plugin parametrizes it once per ``--impl``."""
    param = getattr(request, "param", None)
    if not isinstance(param, Implementation):
        pytest.fail("the impl fixture is parametrized by the flask-conformance plugin", pytrace=False)
    return param


@pytest.fixture
def impl_pair(request: pytest.FixtureRequest) -> ImplementationPair:
    """Two implementations for one test (every ordered pair of the ``--impl`` names),
    for behaviour that crosses implementations, such as a cookie one signs and the
    other reads."""
    param = getattr(request, "param", None)
    if not isinstance(param, ImplementationPair):
        pytest.fail("the impl_pair fixture is parametrized by the flask-conformance plugin", pytrace=False)
    return param


@pytest.fixture
def flask(impl: Implementation) -> types.ModuleType:
    """The implementation's top-level module, in the role of ``flask``."""
    return impl.load()


@pytest.fixture
def submodule(impl: Implementation) -> Callable[[str], types.ModuleType]:
    """Import the implementation's counterpart of a Flask submodule: ``submodule("views")``."""
    return impl.submodule


@pytest.fixture
def make_app(flask: types.ModuleType, request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Build a fresh application; the import name defaults to the test module's."""

    def make(import_name: str | None = None, **kwargs: Any) -> Any:
        return flask.Flask(import_name or request.module.__name__, **kwargs)

    return make


@pytest.fixture
def app(make_app: Callable[..., Any]) -> Any:
    """A fresh application in testing mode, so a view's error surfaces in the report."""
    application = make_app()
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app: Any) -> Client:
    """A neutral HTTP client: Werkzeug's test client on the app as a WSGI callable."""
    return Client(app)
