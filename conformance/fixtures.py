"""Fixtures through which conformance tests reach the implementation under test.

Tests never import an implementation: ``flask`` is whichever module ``--impl``
named, and HTTP assertions go through ``client``, Werkzeug's own test client on
the app reached over the run's transport (``--transport``: in-process WSGI or
ASGI, or a real server), so an implementation's test client cannot hide its bugs
(the implementation's ``test_client`` is tested as an API of its own). A test
that builds a client for another app asks ``client_for(app)``.

``behaviour_at`` lets a test of a spec entry whose behaviour changed between
Flask versions expect what the implementation's declared version does.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NoReturn, TypeVar

import pytest
from werkzeug.test import Client

from . import versions
from .implementations import Implementation, ImplementationPair
from .transports import Session

T = TypeVar("T")


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
def transport(request: pytest.FixtureRequest) -> Iterator[Session]:
    """The transport this test's requests go over; the plugin picks it (``--transport``,
    else the implementation's default) and parametrizes it when several run."""
    from .plugin import subject_impls, transport_name  # the plugin loads this module; import late

    impls = subject_impls(request.node)
    if not impls:
        pytest.fail("the transport fixture needs the impl or impl_pair fixture", pytrace=False)
    name = getattr(request, "param", None) or transport_name(request.config, impls)
    session = Session(name, impls)
    yield session
    session.close()


@pytest.fixture
def client_for(transport: Session) -> Callable[..., Client]:
    """Build a neutral client for any app of the test: ``client_for(app)`` is
    Werkzeug's test client reaching ``app`` over the run's transport (keyword
    arguments go to :class:`~werkzeug.test.Client`)."""
    return transport.client


@pytest.fixture
def client(app: Any, client_for: Callable[..., Client]) -> Client:
    """A neutral HTTP client: Werkzeug's test client on the app, over the run's transport."""
    return client_for(app)


NotApplicable = versions.NotApplicable


def not_applicable(reason: str) -> NoReturn:
    """End the test as not applicable, for a reason naming the version fact."""
    raise NotApplicable(f"not applicable: {reason}")


class BehaviourAt:
    """Expectations for the Flask version an implementation declares (see ``behaviour_at``)."""

    def __init__(self, impl: Implementation, request: pytest.FixtureRequest) -> None:
        self.declared = impl.declared_version
        self.request = request
        self.cited = {i for mark in request.node.iter_markers("spec") for i in mark.args}

    def __call__(self, spec_id: str, *, current: T, before: Mapping[str, T]) -> T:
        from .plugin import spec_catalog  # the plugin loads this module; import late

        if spec_id not in self.cited:
            pytest.fail(f"behaviour_at({spec_id!r}): the test does not cite that entry; cite it", pytrace=False)
        entry = spec_catalog(self.request.config)[spec_id]
        try:
            value = versions.expected(entry, self.declared, current, before)
        except versions.VersionError as exc:
            problem = str(exc)
        else:
            problem = None
        if problem is not None:
            pytest.fail(f"behaviour_at: {problem}", pytrace=False)
        if value is versions.NOT_APPLICABLE:
            change = versions.pending_changes(entry, self.declared)[0]
            not_applicable(f"{spec_id}: this variant is new in {change.version}, newer than "
                           f"{versions.describe(self.declared)} ({change.before})")
        return value

    def resolve(self, value: Any) -> Any:
        """A table cell: a :class:`~conformance.versions.Changed` cell becomes its
        expectation for the declared version; any other value stays as it is."""
        if isinstance(value, versions.Changed):
            return self(value.spec, current=value.current, before=value.before)
        return value


@pytest.fixture
def behaviour_at(impl: Implementation, request: pytest.FixtureRequest) -> BehaviourAt:
    """Pick the expectation for the Flask version the implementation declares.

    For a spec entry with ``[[entry.changed]]`` facts, cited by the test::

        body = behaviour_at("routing.server-name-not-restrictive", current="host other.org", before={"3.1": None})

    ``current`` is what the newest Flask does, ``before`` maps the version of each
    recorded change to what versions before it did; ``versions.NOT_APPLICABLE`` there
    makes the test not applicable to those versions (a variant the change introduced).
    In a parametrize table, a ``versions.Changed(spec, current, before)`` cell states
    the same and ``behaviour_at.resolve(cell)`` picks the value. An uncited entry, an
    unrecorded change, or a change the declared version predates that ``before``
    leaves out fails the test: no version difference passes unexplained.
    """
    return BehaviourAt(impl, request)
