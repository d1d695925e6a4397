"""The public API surface of Flask 3.1, generated from the recording in
spec/surface/ (as web-platform-tests' idlharness generates tests from Web IDL):
one test per recorded name, re-export, member, signature, base class and
deprecated name. The comparisons live in conformance/surface_checks.py, shared with
``python -m conformance.surface coverage``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import surface
from conformance.catalog import default_spec_dir
from conformance.surface_checks import (
    Target,
    check_alias,
    check_call_forms,
    check_deprecated,
    check_exists,
    check_kind,
    check_member,
    check_signature,
    check_subclass,
)

spec = pytest.mark.spec


def _data_file(config: pytest.Config) -> Path:
    """The reference recording in the catalog in use, else the shipped one."""
    chosen = Path(config.option.conformance_spec_dir or default_spec_dir()) / "surface" / surface.REFERENCE
    return chosen if chosen.is_file() else default_spec_dir() / "surface" / surface.REFERENCE


_LOADED: dict[Path, dict] = {}


def _data(config: pytest.Config) -> dict:
    path = _data_file(config)
    if path not in _LOADED:
        _LOADED[path] = surface.load(path)
    return _LOADED[path]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # An argument named <category>_item takes every recorded fact of that category.
    for argname in metafunc.fixturenames:
        if not argname.endswith("_item"):
            continue
        if not _data_file(metafunc.config).is_file():
            # A copy installed without the recording: say so instead of failing collection.
            reason = f"no surface recording at {_data_file(metafunc.config)}"
            metafunc.parametrize(argname, [pytest.param(None, marks=pytest.mark.skip(reason=reason))])
            continue
        facts = surface.items(_data(metafunc.config), argname.removesuffix("_item"))
        metafunc.parametrize(argname, facts, ids=[f.id for f in facts])


@pytest.fixture
def target(request: pytest.FixtureRequest, flask, submodule) -> Target:
    """The implementation under test, addressed by Flask's dotted paths."""
    return Target(_data(request.config), flask, submodule)


@spec("surface.names")
def test_name_exists(target, name_item):
    problem = check_exists(target, name_item)
    assert problem is None, problem


@spec("surface.kinds")
def test_name_has_its_kind(target, name_item):
    problem = check_kind(target, name_item)
    assert problem is None, problem


@spec("surface.reexports")
def test_reexport_is_the_same_object(target, alias_item):
    problem = check_alias(target, alias_item)
    assert problem is None, problem


@spec("surface.signatures")
def test_signature_matches(target, signature_item):
    problem = check_signature(target, signature_item)
    assert problem is None, problem


@spec("surface.call-forms")
def test_documented_call_forms_bind(target, signature_item):
    problem = check_call_forms(target, signature_item)
    assert problem is None, problem


@spec("surface.members")
def test_member_exists_with_its_kind(target, member_item):
    problem = check_member(target, member_item)
    assert problem is None, problem


@spec("surface.subclasses")
def test_subclass_relation_holds(target, subclass_item):
    problem = check_subclass(target, subclass_item)
    assert problem is None, problem


@spec("surface.deprecated")
def test_deprecated_name_warns(target, deprecated_item):
    problem = check_deprecated(target, deprecated_item)
    assert problem is None, problem
