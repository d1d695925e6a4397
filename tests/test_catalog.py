"""The behaviour catalog (spec/) and its link to the suite: every entry is tested,
every suite test cites known entries, and malformed files are named with their line."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from conftest import SUITE

from conformance.catalog import CatalogError, default_spec_dir, load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def citations() -> dict[str, list[str]]:
    """Spec id -> suite tests citing it, from a real collection of the suite."""
    items: list[pytest.Item] = []

    class Collector:
        def pytest_collection_finish(self, session: pytest.Session) -> None:
            items.extend(session.items)

    ret = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "--impl=shim", str(SUITE)], plugins=[Collector()])
    assert ret == pytest.ExitCode.OK, "the suite must collect cleanly"
    cited: dict[str, list[str]] = defaultdict(list)
    for item in items:
        marks = [i for m in item.iter_markers("spec") for i in m.args]
        for spec_id in marks or ["<none>"]:
            cited[spec_id].append(item.nodeid)
    return cited


def test_the_shipped_catalog_loads(catalog):
    assert len(catalog) > 0
    assert {d.key for d in catalog.documents.values()} >= {"S0", "S1", "S2", "S3", "S4", "docs"}


def test_every_spec_entry_is_cited_by_a_test(catalog, citations):
    uncited = sorted(e.id for e in catalog if e.id not in citations)
    assert uncited == [], f"spec entries no test cites: {', '.join(uncited)}"


def test_every_suite_test_cites_a_spec_entry(citations):
    assert citations.get("<none>", []) == []


def test_every_cited_id_exists(catalog, citations):
    unknown = sorted(i for i in citations if i != "<none>" and i not in catalog)
    assert unknown == [], f"tests cite unknown spec ids: {', '.join(unknown)}"


def test_seed_documents_name_their_files(catalog):
    for key in ("S0", "S1", "S2", "S3", "S4"):
        assert catalog.documents[key].file.startswith(f"00{key[1]}_")


def test_errata_are_recorded_with_their_source(catalog):
    errata = [(e.id, x) for e in catalog for x in e.errata]
    assert any(spec_id == "redirect.default-code" and x.source.document == "S0" for spec_id, x in errata)


def test_the_default_catalog_is_the_repository_spec_folder():
    assert default_spec_dir() == Path(__file__).resolve().parents[1] / "spec"


DOCUMENTS = '[documents.S0]\ntitle = "Seed"\nfile = "000.txt"\n'
GOOD_ENTRY = '[[entry]]\nid = "a.one"\nsummary = "One."\nsources = [{ doc = "S0", section = "x" }]\n'

MALFORMED = [
    ("bad toml", '[area]\nid = "a"\ntitle = "A"\n\n[[entry]]\nid = \n', "area.toml:6: invalid TOML"),
    ("no area table", GOOD_ENTRY, "area.toml: file: missing the [area] table"),
    ("unknown key", f'[area]\nid = "a"\ntitle = "A"\n\n{GOOD_ENTRY}colour = "red"\n', "area.toml:5: entry 'a.one': unknown key 'colour'"),
    ("missing summary", '[area]\nid = "a"\ntitle = "A"\n\n[[entry]]\nid = "a.one"\nsources = [{ doc = "S0", section = "x" }]\n', "area.toml:5: entry 'a.one': missing 'summary'"),
    ("bad id", '[area]\nid = "a"\ntitle = "A"\n\n[[entry]]\nid = "A One"\nsummary = "x"\nsources = [{ doc = "S0", section = "x" }]\n', "area.toml:5: entry 'A One': an id is dotted lowercase"),
    ("wrong area prefix", '[area]\nid = "a"\ntitle = "A"\n\n[[entry]]\nid = "b.one"\nsummary = "x"\nsources = [{ doc = "S0", section = "x" }]\n', "must start with the area id 'a'"),
    ("unknown document", '[area]\nid = "a"\ntitle = "A"\n\n[[entry]]\nid = "a.one"\nsummary = "x"\nsources = [{ doc = "S9", section = "x" }]\n', "unknown document 'S9'"),
    ("no sources", '[area]\nid = "a"\ntitle = "A"\n\n[[entry]]\nid = "a.one"\nsummary = "x"\n', "area.toml:5: entry 'a.one': needs at least one source"),
    ("bad since", f'[area]\nid = "a"\ntitle = "A"\n\n{GOOD_ENTRY}since = "three"\n', "'since' must be a version"),
    ("duplicate id", f'[area]\nid = "a"\ntitle = "A"\n\n{GOOD_ENTRY}\n{GOOD_ENTRY}', "area.toml:10: duplicate id 'a.one' (first at area.toml:5)"),
    ("no entries", '[area]\nid = "a"\ntitle = "A"\n', "an area needs at least one [[entry]]"),
    ("erratum without claim", f'[area]\nid = "a"\ntitle = "A"\n\n{GOOD_ENTRY}\n[[entry.errata]]\nsource = {{ doc = "S0", section = "y" }}\nactual = "z"\n', "missing 'claim'"),
]


@pytest.mark.parametrize(("case", "content", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_spec_file_is_reported_in_one_line(tmp_path, case, content, message):
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "documents.toml").write_text(DOCUMENTS)
    (spec / "area.toml").write_text(content)
    with pytest.raises(CatalogError) as info:
        load_catalog(spec)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_two_files_with_one_area_id_are_refused(tmp_path):
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "documents.toml").write_text(DOCUMENTS)
    for name in ("one.toml", "two.toml"):
        (spec / name).write_text(f'[area]\nid = "a"\ntitle = "A"\n\n{GOOD_ENTRY.replace("a.one", "a." + name[:3])}')
    with pytest.raises(CatalogError, match="area id 'a' is already used by one.toml"):
        load_catalog(spec)


def test_a_folder_without_documents_is_refused(tmp_path):
    with pytest.raises(CatalogError, match="no documents.toml here"):
        load_catalog(tmp_path)
