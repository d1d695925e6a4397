"""Ground rules that keep the suite honest, checked on the source itself:
the shim never imports Flask, and conformance tests never import an implementation."""

from __future__ import annotations

import ast
import importlib.util
import re
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


#: How many consecutive lines two sources must share to count as copied.
WINDOW = 6
#: Lines that carry no authorship: blank, comments, imports, lone punctuation.
_TRIVIAL = re.compile(r"^(#.*|(from|import) .*|[()\[\]{},:]*|pass|else:|try:|finally:|return|\"\"\"|\.\.\.)$")
DATA_MARK = "# Data, not code:"


def _meaningful_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, whitespace-folded text) of the lines that carry content,
    leaving out blocks marked as data dictated by the documented API."""
    kept, in_data = [], False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = " ".join(raw.split())
        if text.startswith(DATA_MARK):
            in_data = True
        elif not text:
            in_data = False
        if in_data or _TRIVIAL.match(text):
            continue
        kept.append((number, text))
    return kept


def _windows(path: Path) -> dict[tuple[str, ...], int]:
    lines = _meaningful_lines(path)
    return {tuple(t for _, t in lines[i : i + WINDOW]): lines[i][0] for i in range(len(lines) - WINDOW + 1)}


def shared_runs(ours: list[Path], theirs: list[Path]) -> list[str]:
    """Places in ``ours`` that repeat WINDOW consecutive lines of ``theirs``."""
    seen: dict[tuple[str, ...], str] = {}
    for path in theirs:
        for window, line in _windows(path).items():
            seen.setdefault(window, f"{path.parent.name}/{path.name}:{line}")
    found = []
    for path in ours:
        for window, line in sorted(_windows(path).items(), key=lambda item: item[1]):
            if window in seen:
                where = path.relative_to(REPO) if path.is_relative_to(REPO) else path.name
                found.append(f"{where}:{line} repeats {seen[window]}")
    return found


def test_the_shim_shares_no_code_with_flask():
    spec = importlib.util.find_spec("flask")  # locate Flask's source without importing it
    assert spec is not None and spec.submodule_search_locations
    flask_files = sorted(Path(spec.submodule_search_locations[0]).rglob("*.py"))
    shim_files = sorted((REPO / "shim").rglob("*.py"))
    assert shared_runs(shim_files, flask_files) == []


def test_the_copy_check_finds_a_copied_run_and_skips_marked_data(tmp_path):
    body = "\n".join(f"value_{i} = compute({i}, 'x')" for i in range(WINDOW)) + "\n"
    theirs, ours, data = tmp_path / "theirs.py", tmp_path / "ours.py", tmp_path / "data.py"
    theirs.write_text(body)
    ours.write_text("# ours\n" + body)
    data.write_text(f"{DATA_MARK} the documented defaults\n" + body)
    found = shared_runs([ours, data], [theirs])
    assert len(found) == 1 and "ours.py:2 repeats" in found[0]
