"""Load and check the behaviour catalog in ``spec/``.

The catalog is data: one TOML file per area plus ``documents.toml``, the list of
documents that entries cite. Every problem is reported as a :class:`CatalogError`
whose message is one line starting with ``file:line``. The format is described in
``spec/README.md``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .capabilities import CAPABILITIES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DOCUMENTS_FILE = "documents.toml"
FORMAT_HINT = "see spec/README.md for the format"

#: An entry id: lowercase dotted words, the first word being the area id.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$")
AREA_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VERSION_PATTERN = re.compile(r"^\d+(?:\.\d+){0,2}$")


class CatalogError(Exception):
    """A problem in the catalog; ``str()`` is one line naming file, line and fix."""


@dataclass(frozen=True)
class Document:
    """A document the catalog cites: a seed file or a page set such as Flask's docs."""

    key: str
    title: str
    file: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a behaviour is documented: a document plus a section or an anchor."""

    document: str
    section: str | None = None
    page: str | None = None
    anchor: str | None = None

    def label(self) -> str:
        where = self.section or "/".join(p for p in (self.page, self.anchor) if p)
        return f"{self.document}: {where}" if where else self.document


@dataclass(frozen=True)
class Erratum:
    """A documented claim that real Flask contradicts; tests follow Flask."""

    source: Source
    claim: str
    actual: str


@dataclass(frozen=True)
class Change:
    """Behaviour that changed in ``version``; ``before`` says what older versions did."""

    version: str
    before: str


@dataclass(frozen=True)
class Entry:
    """One documented behaviour, keyed by a stable id."""

    id: str
    area: str
    summary: str
    sources: tuple[Source, ...]
    since: str | None = None
    errata: tuple[Erratum, ...] = ()
    changed: tuple[Change, ...] = ()
    #: Capabilities a test of this entry needs (conformance/capabilities.py).
    needs: tuple[str, ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Area:
    """One spec file: an area of the Flask API and its entries."""

    id: str
    title: str
    file: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Catalog:
    """All areas, with entries indexed by id."""

    root: Path
    documents: Mapping[str, Document]
    areas: tuple[Area, ...]
    entries: Mapping[str, Entry]

    def __contains__(self, spec_id: object) -> bool:
        return spec_id in self.entries

    def __getitem__(self, spec_id: str) -> Entry:
        return self.entries[spec_id]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def default_spec_dir() -> Path:
    """The catalog that ships with the suite.

    A wheel installs ``spec/`` as ``conformance/spec``; a source checkout or an
    editable install reads the repository's ``spec/`` next to this package.
    """
    packaged = Path(str(resources.files("conformance"))) / "spec"
    if (packaged / DOCUMENTS_FILE).is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "spec"


def load_catalog(root: str | Path | None = None) -> Catalog:
    """Load and check every TOML file in ``root`` (default: the shipped catalog)."""
    root = Path(root) if root is not None else default_spec_dir()
    if not (root / DOCUMENTS_FILE).is_file():
        raise CatalogError(
            f"{root}: no {DOCUMENTS_FILE} here; point --spec-dir at a catalog folder"
        )
    documents = _load_documents(root / DOCUMENTS_FILE)
    areas: dict[str, Area] = {}
    entries: dict[str, Entry] = {}
    for path in sorted(root.glob("*.toml")):
        if path.name == DOCUMENTS_FILE:
            continue
        area = _load_area(path, documents)
        if area.id in areas:
            raise CatalogError(
                f"{_where(path, 0)}: area id {area.id!r} is already used by "
                f"{areas[area.id].file}; one file per area"
            )
        for entry in area.entries:
            if entry.id in entries:
                first = entries[entry.id]
                raise CatalogError(
                    f"{_where(path, entry.line)}: duplicate id {entry.id!r} "
                    f"(first at {first.file}:{first.line}); ids must be unique"
                )
            entries[entry.id] = entry
        areas[area.id] = area
    return Catalog(root=root, documents=documents, areas=tuple(areas.values()), entries=entries)


def _where(path: Path, line: int) -> str:
    return f"{path.parent.name}/{path.name}:{line}" if line else f"{path.parent.name}/{path.name}"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        # tomllib reports "(at line L, column C)"; keep the file:line form.
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else 0
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise CatalogError(f"{_where(path, line)}: invalid TOML: {reason}; fix the syntax") from None


class _Table:
    """A TOML table being read, which knows where it is for error messages."""

    def __init__(self, data: Mapping[str, Any], path: Path, line: int, what: str) -> None:
        self.data, self.path, self.line, self.what = data, path, line, what

    def fail(self, problem: str) -> CatalogError:
        return CatalogError(f"{_where(self.path, self.line)}: {self.what}: {problem}; {FORMAT_HINT}")

    def only(self, *allowed: str) -> None:
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.fail(f"unknown key {unknown[0]!r} (allowed: {', '.join(allowed)})")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing {key!r}")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key!r} must be a non-empty string")
        return value.strip()

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{key!r} must be an array of tables")
        return value


def _load_documents(path: Path) -> dict[str, Document]:
    data = _read_toml(path)
    docs = data.get("documents")
    if not isinstance(docs, dict) or not docs:
        raise _Table(data, path, 0, "documents").fail("missing [documents.<key>] tables")
    result = {}
    for key, value in docs.items():
        table = _Table(value, path, _line_of(path, f"[documents.{key}]"), f"document {key!r}")
        table.only("title", "file", "url")
        result[key] = Document(
            key=key,
            title=table.text("title") or "",
            file=table.text("file", required=False),
            url=table.text("url", required=False),
        )
    return result


def _line_of(path: Path, needle: str, occurrence: int = 0) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(needle):
            if seen == occurrence:
                return number
            seen += 1
    return 0


def _load_area(path: Path, documents: Mapping[str, Document]) -> Area:
    data = _read_toml(path)
    top = _Table(data, path, 0, "file")
    top.only("area", "entry")
    area_data = data.get("area")
    if not isinstance(area_data, dict):
        raise top.fail("missing the [area] table")
    area_table = _Table(area_data, path, _line_of(path, "[area]"), "[area]")
    area_table.only("id", "title")
    area_id = area_table.text("id") or ""
    if not AREA_PATTERN.match(area_id):
        raise area_table.fail(f"area id {area_id!r} must be lowercase words joined by '-'")
    entries = []
    for index, raw in enumerate(top.tables("entry")):
        line = _line_of(path, "[[entry]]", index)
        entries.append(_load_entry(_Table(raw, path, line, f"entry #{index + 1}"), area_id, documents))
    if not entries:
        raise top.fail("an area needs at least one [[entry]]")
    return Area(id=area_id, title=area_table.text("title") or "", file=path.name, entries=tuple(entries))


def _load_entry(table: _Table, area_id: str, documents: Mapping[str, Document]) -> Entry:
    spec_id = table.text("id") or ""
    table.what = f"entry {spec_id!r}"
    table.only("id", "summary", "sources", "since", "errata", "changed", "needs")
    if not ID_PATTERN.match(spec_id):
        raise table.fail("an id is dotted lowercase words, e.g. 'redirect.default-code'")
    if spec_id.partition(".")[0] != area_id:
        raise table.fail(f"the id must start with the area id {area_id!r}")
    since = table.text("since", required=False)
    if since is not None and not VERSION_PATTERN.match(since):
        raise table.fail(f"'since' must be a version like '2.2', not {since!r}")
    sources = tuple(_source(s, table, documents) for s in table.tables("sources"))
    if not sources:
        raise table.fail("needs at least one source")
    errata = []
    for raw in table.tables("errata"):
        sub = _Table(raw, table.path, table.line, f"{table.what} erratum")
        sub.only("source", "claim", "actual")
        if not isinstance(raw.get("source"), dict):
            raise sub.fail("'source' must be an inline table like { seed = ..., section = ... }")
        errata.append(
            Erratum(
                source=_source(raw["source"], sub, documents),
                claim=sub.text("claim") or "",
                actual=sub.text("actual") or "",
            )
        )
    changed = []
    for raw in table.tables("changed"):
        sub = _Table(raw, table.path, table.line, f"{table.what} change")
        sub.only("version", "before")
        version = sub.text("version") or ""
        if not VERSION_PATTERN.match(version):
            raise sub.fail(f"'version' must be a version like '3.1', not {version!r}")
        changed.append(Change(version=version, before=sub.text("before") or ""))
    needs = table.data.get("needs", [])
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise table.fail("'needs' must be a list of capability names")
    unknown = sorted(set(needs) - CAPABILITIES.keys())
    if unknown:
        raise table.fail(f"unknown capability {unknown[0]!r} in 'needs' (known: {', '.join(sorted(CAPABILITIES))})")
    return Entry(
        id=spec_id,
        area=area_id,
        summary=table.text("summary") or "",
        sources=sources,
        since=since,
        errata=tuple(errata),
        changed=tuple(changed),
        needs=tuple(needs),
        file=table.path.name,
        line=table.line,
    )


def _source(raw: Mapping[str, Any], owner: _Table, documents: Mapping[str, Document]) -> Source:
    sub = _Table(raw, owner.path, owner.line, f"{owner.what} source")
    sub.only("doc", "section", "page", "anchor")
    key = sub.text("doc") or ""
    if key not in documents:
        raise sub.fail(f"unknown document {key!r} (known: {', '.join(sorted(documents))})")
    source = Source(
        document=key,
        section=sub.text("section", required=False),
        page=sub.text("page", required=False),
        anchor=sub.text("anchor", required=False),
    )
    if not (source.section or source.page):
        raise sub.fail("a source names a 'section' (seed) or a 'page' (documentation)")
    return source
