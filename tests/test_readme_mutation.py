"""The README lists every equivalent mutant of the mutation measure with why
(issue 14): the list there must be the one bench/mutation_equivalents.toml gives."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _mutation_report():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("mutation_report", ROOT / "bench" / "mutation_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_lists_every_equivalent_mutant_with_why():
    report = _mutation_report()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    begin, end = readme.index(report.README_BEGIN), readme.index(report.README_END) + len(report.README_END)
    expected = report.equivalents_markdown(report.load_equivalents())
    assert readme[begin:end] == expected, "README out of date: paste `python bench/mutate_flask.py --equivalents`"


def test_every_equivalent_key_is_listed_once():
    report = _mutation_report()
    data = report.tomllib.loads(report.EQUIVALENTS.read_text(encoding="utf-8"))
    keys = [e["key"] for e in data["equivalent"]]
    assert len(keys) == len(set(keys))
    assert all(e["why"].strip() for e in data["equivalent"])
