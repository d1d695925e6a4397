"""The API-surface tool (conformance/surface.py): recording, diffing, coverage, and
that its checks catch a removed name or a changed signature."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import textwrap
import warnings

import pytest
from conftest import REPO

from conformance import surface, surface_checks

SURFACE_DIR = REPO / "spec" / "surface"

#: A small package in Flask's layout: a top level that re-exports, and a "helpers"
#: submodule with every kind of name and member the recorder tells apart.
TOP = '''
import os
import warnings
from . import helpers as helpers
from .helpers import greet as greet
from .helpers import Base as Base


def __getattr__(name):
    if name == "__version__":
        warnings.warn("use importlib.metadata", DeprecationWarning, stacklevel=2)
        return "1.0"
    raise AttributeError(name)
'''
HELPERS = '''
import typing as t
from os.path import join

T = t.TypeVar("T")
_sentinel = object()
LIMIT = 3
NAMES = frozenset({"b", "a"})


def greet(name, /, greeting="hi", *, punct=_sentinel, **extra):
    return name


class Base(dict):
    flag = None
    kind = dict

    def own(self, a, b=None):
        return a

    @property
    def prop(self):
        return 1

    @classmethod
    def make(cls, *args):
        return cls()

    @staticmethod
    def util(v=(1, 2)):
        return v

    def _private(self):
        pass

    def __call__(self, /, environ):
        pass


class Child(Base):
    def own(self, a):
        return a


class Oops(KeyError, AssertionError):
    pass
'''


@pytest.fixture
def make_package(tmp_path, monkeypatch):
    """Write a package (top level and helpers source) under a fresh name and import it."""
    monkeypatch.syspath_prepend(str(tmp_path))
    made = []

    def make(name: str, top: str = TOP, helpers: str = HELPERS):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "__init__.py").write_text(textwrap.dedent(top))
        (folder / "helpers.py").write_text(textwrap.dedent(helpers))
        made.append(name)
        return importlib.import_module(name)

    yield make
    for name in made:
        for key in [k for k in sys.modules if k == name or k.startswith(f"{name}.")]:
            del sys.modules[key]


@pytest.fixture
def recorded(make_package):
    make_package("surfpkg")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return surface.record("surfpkg")


def _target(data, package):
    return surface_checks.Target(data, package, lambda sub: importlib.import_module(f"{package.__name__}.{sub}"))


# --- recording ---------------------------------------------------------------


def test_recording_keeps_defined_and_reexported_names_only(recorded):
    assert sorted(recorded["names"]) == [
        "surfpkg.Base",
        "surfpkg.__version__",
        "surfpkg.greet",
        "surfpkg.helpers",
        "surfpkg.helpers.Base",
        "surfpkg.helpers.Child",
        "surfpkg.helpers.LIMIT",
        "surfpkg.helpers.NAMES",
        "surfpkg.helpers.Oops",
        "surfpkg.helpers.greet",
    ]
    assert recorded["modules"] == ["surfpkg", "surfpkg.helpers"]


def test_reexports_point_at_the_defining_module(recorded):
    assert recorded["names"]["surfpkg.greet"] == {"kind": "function", "same_as": "surfpkg.helpers.greet"}
    assert recorded["names"]["surfpkg.Base"] == {"kind": "class", "same_as": "surfpkg.helpers.Base"}


def test_recording_describes_kinds_values_and_signatures(recorded):
    names = recorded["names"]
    assert names["surfpkg.helpers.LIMIT"] == {"kind": "constant", "value": "3"}
    assert names["surfpkg.helpers.NAMES"] == {"kind": "constant", "value": "frozenset({'a', 'b'})"}
    assert names["surfpkg.helpers.greet"]["signature"] == [
        "name", "/", "greeting='hi'", "*", "punct=<sentinel>", "**extra"
    ]
    assert names["surfpkg.helpers.Oops"]["kind"] == "exception"
    assert names["surfpkg.helpers.Oops"]["bases"] == ["builtins.KeyError", "builtins.AssertionError"]
    assert names["surfpkg.__version__"] == {"kind": "constant", "deprecated": "DeprecationWarning"}


def test_members_are_what_the_packages_own_classes_define(recorded):
    base = recorded["names"]["surfpkg.helpers.Base"]
    assert base["bases"] == ["builtins.dict"]
    assert base["members"] == {
        "__call__": {"kind": "method", "signature": ["environ"], "self": "positional-only"},
        "flag": {"kind": "attribute", "value": "None"},
        "kind": {"kind": "attribute", "value": "<ref builtins.dict>"},
        "make": {"kind": "classmethod", "signature": ["*args"]},
        "own": {"kind": "method", "signature": ["a", "b=None"]},
        "prop": {"kind": "property"},
        "util": {"kind": "staticmethod", "signature": ["v=(1, 2)"]},
    }
    child = recorded["names"]["surfpkg.helpers.Child"]
    assert child["bases"] == ["surfpkg.helpers.Base"]
    assert child["members"]["own"] == {"kind": "method", "signature": ["a"]}
    assert child["members"]["prop"] == {"kind": "property"}  # inherited from the package's Base


def test_the_reference_recording_matches_the_installed_flask():
    data = surface.load(SURFACE_DIR / surface.REFERENCE)
    installed = surface._version("flask")
    if installed != data["version"]:
        pytest.skip(f"the recording is of Flask {data['version']}, Flask {installed} is installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        fresh = surface.record("flask")
    assert {**fresh, "python": None} == {**data, "python": None}


def test_the_recorder_runs_as_a_file_from_anywhere(tmp_path):
    out = tmp_path / "surface.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "conformance" / "surface.py"), "record", "flask", "-o", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["names"]["flask.Flask"] == {"kind": "class", "same_as": "flask.app.Flask"}


@pytest.mark.parametrize(
    "module", ["conformance/surface.py", "conformance/surface_checks.py", "conformance/implementations.py"]
)
def test_the_recorder_needs_only_the_standard_library(module):
    tree = ast.parse((REPO / module).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module}
    outside = {m for m in imported if m.partition(".")[0] not in sys.stdlib_module_names}
    ours = {"conformance.implementations", "conformance.catalog", "conformance.surface", "conformance.surface_checks"}
    assert outside <= ours


# --- checks: a changed package fails exactly the changed facts ----------------

CHILD_MEMBERS = ("__call__", "flag", "kind", "make", "prop", "util")  # what Child inherits from Base
CHILD_METHODS = ("__call__", "make", "util")
CALLABLE_CHECKS = ("signatures", "call forms")


@pytest.mark.parametrize(
    ("old", "new", "problems"),
    [
        ("", "", []),
        ("LIMIT = 3", "", ["names: surfpkg.helpers.LIMIT is missing"]),
        ("LIMIT = 3", "LIMIT = 4", ["names: surfpkg.helpers.LIMIT is 4, not 3"]),
        (
            ', *, punct=_sentinel',
            ", punct=_sentinel",
            ["signatures: surfpkg.helpers.greet", "call forms: surfpkg.helpers.greet"],
        ),
        ('greeting="hi"', 'greeting="hello"', ["signatures: surfpkg.helpers.greet"]),
        ("punct=_sentinel", "punct=None", ["signatures: surfpkg.helpers.greet"]),
        (
            "def greet(name, /,",
            "def greet(name,",
            ["signatures: surfpkg.helpers.greet", "call forms: surfpkg.helpers.greet"],
        ),
        (
            "def __call__(self, /, environ)",
            "def __call__(self, environ)",
            ["signatures: surfpkg.helpers.Base.__call__", "signatures: surfpkg.helpers.Child.__call__"],
        ),
        (
            "    @property\n    def prop",
            "    def prop",
            [
                "members: surfpkg.helpers.Base.prop is a method, not a property",
                "members: surfpkg.helpers.Child.prop is a method, not a property",
            ],
        ),
        (
            "class Child(Base):",
            "class Child(dict):",
            [
                *(f"members: surfpkg.helpers.Child.{m} is missing" for m in CHILD_MEMBERS),
                *(f"{c}: surfpkg.helpers.Child.{m}: AttributeError" for c in CALLABLE_CHECKS for m in CHILD_METHODS),
                "subclasses: surfpkg.helpers.Child is not a subclass of surfpkg.helpers.Base",
            ],
        ),
        (
            "class Oops(KeyError, AssertionError)",
            "class Oops(KeyError)",
            ["subclasses: surfpkg.helpers.Oops is not a subclass of builtins.AssertionError"],
        ),
    ],
    ids=["unchanged", "name-removed", "value-changed", "keyword-only-loosened", "default-changed",
         "sentinel-to-none", "positional-only-loosened", "self-loosened", "property-to-method", "base-changed", "base-dropped"],
)
def test_coverage_names_exactly_what_differs(recorded, make_package, old, new, problems):
    assert old in HELPERS
    variant = make_package("surfvariant", helpers=HELPERS.replace(old, new, 1))
    counts, missing = surface_checks.coverage(_target(recorded, variant))
    assert len(missing) == len(problems), missing
    assert all(any(m.startswith(p) for m in missing) for p in problems), missing
    complete = all(passed == total for _, passed, total in counts)
    assert complete == (not problems)


def test_a_recorded_signature_decodes_to_names_kinds_and_defaults():
    def f(a, /, b=1, *args, c, d="x=y", **kw):
        pass

    tokens = surface.encode_signature(surface.signature_of(f), {})
    assert tokens == ["a", "/", "b=1", "*args", "c", "d='x=y'", "**kw"]
    assert [(p.name, p.kind.name, p.default) for p in surface.decode_signature(tokens)] == [
        ("a", "POSITIONAL_ONLY", None),
        ("b", "POSITIONAL_OR_KEYWORD", "1"),
        ("args", "VAR_POSITIONAL", None),
        ("c", "KEYWORD_ONLY", None),
        ("d", "KEYWORD_ONLY", "'x=y'"),
        ("kw", "VAR_KEYWORD", None),
    ]


@pytest.mark.parametrize(
    ("args", "kwargs", "binds"),
    [
        ((0,), {"c": 0}, True),
        ((0, 0, 0), {}, False),
        ((), {"a": 0, "c": 0}, False),
        ((0,), {"c": 0, "other": 0}, True),
    ],
)
def test_calls_bind_to_a_recorded_signature_as_to_the_function(args, kwargs, binds):
    recorded = surface_checks.as_signature(surface.decode_signature(["a", "/", "b=1", "*", "c", "**kw"]))
    assert surface_checks.binds(recorded, list(args), kwargs) is binds


# --- diff --------------------------------------------------------------------


def _recording(version: str, names: dict) -> dict:
    return {"format": 1, "package": "pkg", "version": version, "python": "3", "modules": ["pkg"], "names": names}


OLD = _recording("1.0", {
    "pkg.f": {"kind": "function", "signature": ["x"]},
    "pkg.C": {"kind": "class", "signature": [], "bases": [], "members": {"m": {"kind": "method", "signature": []}}},
    "pkg.gone": {"kind": "constant", "value": "1"},
})
NEW = _recording("2.0", {
    "pkg.f": {"kind": "function", "signature": ["x", "*", "y=None"]},
    "pkg.C": {"kind": "class", "signature": [], "bases": ["builtins.dict"], "members": {"p": {"kind": "property"}}},
    "pkg.g": {"kind": "function", "same_as": "pkg.f"},
})


def test_diff_lists_added_removed_and_changed_facts():
    changes = {k: [(str(i.category), i.id, text) for i, text in v] for k, v in surface.diff(OLD, NEW).items()}
    assert changes == {
        "added": [
            ("subclass", "pkg.C(builtins.dict)", ""),
            ("member", "pkg.C.p", "property"),
            ("alias", "pkg.g", "function = pkg.f"),
        ],
        "removed": [
            ("member", "pkg.C.m", "method"),
            ("signature", "pkg.C.m", "()"),
            ("name", "pkg.gone", "constant 1"),
        ],
        "changed": [("signature", "pkg.f", "(x) -> (x, *, y=None)")],
    }


def test_the_diff_command_prints_changes_and_can_gate_on_them(tmp_path, capsys):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(OLD))
    new.write_text(json.dumps(NEW))
    assert surface.main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "surface diff: pkg 1.0 -> pkg 2.0"
    assert "  ~ signature pkg.f: (x) -> (x, *, y=None)" in out.splitlines()
    assert "  - name pkg.gone: constant 1" in out.splitlines()
    assert surface.main(["diff", "--exit-code", str(old), str(new)]) == 1
    assert surface.main(["diff", "--exit-code", str(old), str(old)]) == 0
    assert "added: 0" in capsys.readouterr().out


def test_diffing_flask_30_against_31_shows_what_31_changed(capsys):
    old, new = SURFACE_DIR / "flask-3.0.json", SURFACE_DIR / "flask-3.1.json"
    assert surface.main(["diff", str(old), str(new)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "surface diff: flask 3.0.3 -> flask 3.1.3"
    assert "  ~ signature flask.cli.load_dotenv: (path=None) -> (path=None, load_defaults=True)" in lines
    assert "  + member flask.sessions.SessionInterface.get_cookie_partitioned: method" in lines
    assert "  + member flask.wrappers.Request.max_form_parts: property" in lines


# --- coverage ----------------------------------------------------------------


def test_coverage_of_flask_itself_is_complete(capsys):
    assert surface.main(["coverage", "--impl", "flask"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("surface coverage of 'flask' against flask 3.1.3")
    titles = [line.split()[0] for line in lines[1:]]
    assert titles == ["names", "re-exports", "members", "signatures", "call", "subclasses", "deprecated", "total"]
    assert all(line.endswith("100.0 %") for line in lines[1:])


def test_coverage_lists_what_an_implementation_lacks(capsys):
    assert surface.main(["coverage", "--impl", "broken.surface_no_name"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].split()[:4] == ["names", "133", "/", "134"]
    assert "missing or different (4):" in lines
    assert (
        "  names: flask.helpers.get_template_attribute is missing (AttributeError: "
        "module 'broken.surface_no_name.helpers' has no attribute 'get_template_attribute')"
    ) in lines


def test_coverage_reports_unusable_input_in_one_line(tmp_path, capsys):
    assert surface.main(["coverage", "--data", str(tmp_path / "none.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("surface: FileNotFoundError") and err.count("\n") == 1
