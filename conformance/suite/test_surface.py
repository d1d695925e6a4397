"""The public API surface of Flask 3.1, generated from the recording in
spec/surface/ (as web-platform-tests' idlharness generates tests from Web IDL):
one test per recorded name, re-export, member, signature, base class and
deprecated name. The comparisons live in conformance/surface_checks.py, shared with
``python -m conformance.surface coverage``.

An implementation that declares an older Flask (conformance/versions.py) is held to
the newest recording that version covers (flask-3.0.json for Flask 3.0.3): a fact
of that recording is checked as recorded there, and a fact it lacks is not applicable.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import surface, versions
from conformance.catalog import default_spec_dir
from conformance.fixtures import not_applicable
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


def _recording_for(config: pytest.Config, declared: str | None) -> dict | None:
    """The newest recording, up to the reference, that a declared Flask version covers."""
    reference = _data(config)
    newest = versions.release_key(reference["version"])
    found = [reference] if versions.covers(declared, reference["version"]) else []
    for path in sorted(_data_file(config).parent.glob("flask-*.json")):
        if path not in _LOADED:
            _LOADED[path] = surface.load(path)
        data = _LOADED[path]
        if versions.release_key(data["version"]) <= newest and versions.covers(declared, data["version"]):
            found.append(data)
    return max(found, key=lambda d: versions.release_key(d["version"])) if found else None


_FACTS: dict[tuple[str, str], dict[str, surface.Item]] = {}


def _as_recorded(target: Target, item: surface.Item) -> surface.Item:
    """The fact as the target's recording states it; not applicable when it lacks it."""
    key = (target.data["version"], item.category)
    if key not in _FACTS:
        _FACTS[key] = {i.id: i for i in surface.items(target.data, item.category)}
    found = _FACTS[key].get(item.id)
    if found is None:
        not_applicable(f"{item!r} is not in the recording of Flask {target.data['version']}, the declared version's")
    return found


@pytest.fixture
def target(request: pytest.FixtureRequest, impl, flask, submodule) -> Target:
    """The implementation under test, addressed by Flask's dotted paths, with the
    recording of the Flask version it declares."""
    data = _recording_for(request.config, impl.declared_version)
    if data is None:
        not_applicable(f"no surface recording of {versions.describe(impl.declared_version)} or older")
    return Target(data, flask, submodule)


@spec("surface.names")
def test_name_exists(target, name_item):
    problem = check_exists(target, _as_recorded(target, name_item))
    assert problem is None, problem


@spec("surface.kinds")
def test_name_has_its_kind(target, name_item):
    problem = check_kind(target, _as_recorded(target, name_item))
    assert problem is None, problem


@spec("surface.reexports")
def test_reexport_is_the_same_object(target, alias_item):
    problem = check_alias(target, _as_recorded(target, alias_item))
    assert problem is None, problem


@spec("surface.signatures")
def test_signature_matches(target, signature_item):
    problem = check_signature(target, _as_recorded(target, signature_item))
    assert problem is None, problem


@spec("surface.call-forms")
def test_documented_call_forms_bind(target, signature_item):
    problem = check_call_forms(target, _as_recorded(target, signature_item))
    assert problem is None, problem


@spec("surface.members")
def test_member_exists_with_its_kind(target, member_item):
    problem = check_member(target, _as_recorded(target, member_item))
    assert problem is None, problem


@spec("surface.subclasses")
def test_subclass_relation_holds(target, subclass_item):
    problem = check_subclass(target, _as_recorded(target, subclass_item))
    assert problem is None, problem


@spec("surface.deprecated")
def test_deprecated_name_warns(target, deprecated_item):
    problem = check_deprecated(target, _as_recorded(target, deprecated_item))
    assert problem is None, problem


@spec("surface.version-value")
def test_deprecated_version_is_the_release_the_implementation_declares(flask, impl):
    with pytest.warns(DeprecationWarning) as caught:
        value = flask.__version__
    # Attributed to the reading line, so Python's default filters show it in __main__.
    assert [w.filename for w in caught] == [__file__]
    assert isinstance(value, str)
    versions.check(value)
    declared = impl.declared_version
    if declared is not None:  # None declares the newest Flask: any version string
        assert versions.release_key(declared) <= versions.release_key(value)
        assert versions.covers(declared, value)
