"""Ground rules that keep the suite honest, checked on the source itself:
the shim never imports Flask, and conformance tests never import an implementation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO, SUITE


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _offenders(files: list[Path], banned: set[str]) -> list[str]:
    return [
        f"{path.relative_to(REPO)}:{line}: imports {name}"
        for path in files
        for line, name in _imported_modules(path)
        if name.partition(".")[0] in banned
    ]


def test_the_shim_never_imports_flask():
    files = sorted((REPO / "shim").rglob("*.py"))
    assert files
    assert _offenders(files, {"flask"}) == []


def test_conformance_tests_never_import_an_implementation():
    files = sorted(SUITE.rglob("test_*.py"))
    assert files
    assert _offenders(files, {"flask", "shim"}) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import flask\n", ["flask"]),
        ("from flask.json import provider\n", ["flask.json"]),
        ("import shim.views as v\n", ["shim.views"]),
        ("from . import flask\n", []),
        ("import flask_cors\n", []),
    ],
)
def test_the_import_check_sees_every_spelling(tmp_path, source, expected):
    path = tmp_path / "m.py"
    path.write_text(source)
    names = [name for _, name in _imported_modules(path) if name.partition(".")[0] in {"flask", "shim"}]
    assert names == expected
