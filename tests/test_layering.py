"""One import direction between the packages: conformance/ (the pytest plugin)
may import reports/ (the result model and renderers), never the other way round."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    """Top-level package names a module imports, wherever in the module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.partition(".")[0])
    return found


def test_reports_never_import_conformance():
    offenders = sorted(
        str(path.relative_to(REPO)) for path in (REPO / "reports").rglob("*.py") if "conformance" in _imports(path)
    )
    assert offenders == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from conformance.catalog import Catalog\n    import conformance.versions\n")
    assert _imports(module) == {"conformance"}
