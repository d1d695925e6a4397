"""What a report needs to know about the spec catalog, as plain data.

reports/ never imports conformance/ (the plugin package imports reports, not the
other way round): whoever renders a report turns its catalog into a
:class:`SpecInfo` first (``conformance.reporting.spec_info``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: A cited source as shown: its label and a link, or None when it has no URL.
Source = tuple[str, "str | None"]


@dataclass(frozen=True)
class Erratum:
    """A document's claim that real Flask contradicts."""

    source: Source
    claim: str
    actual: str


@dataclass(frozen=True)
class SpecEntry:
    id: str
    summary: str
    sources: tuple[Source, ...] = ()
    errata: tuple[Erratum, ...] = ()


@dataclass(frozen=True)
class SpecInfo:
    """The catalog's entries (in catalog order) and area titles."""

    entries: Mapping[str, SpecEntry] = field(default_factory=dict)
    areas: Mapping[str, str] = field(default_factory=dict)
