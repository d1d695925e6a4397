"""The expectations file: an implementation's known deviations from Flask.

A TOML file with one array of tables per implementation::

    [[impl.shim]]
    test = "conformance/suite/test_url_for.py::test_anchor_is_quoted[*]"
    status = "fail"            # fail | skip | flaky
    reason = "why it deviates" # mandatory
    issue = "https://..."      # optional

An entry names either ``test`` (a test id as in results files, or a node id) or
``spec`` (a spec id), and may name a ``transport`` (absent: any); ``test`` and ``spec`` accept the wildcards ``*`` (any run of characters)
and ``?`` (one character); every other character, brackets included, is literal.
This module reads and writes the format; conformance/expectations.py applies it
to a pytest run.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .model import EXPECTATION_STATUSES, Run, read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

ENTRY_KEYS = ("test", "spec", "status", "reason", "issue", "transport")
HINT = "see the README section 'Known deviations'"
_HEADER_RE = re.compile(r'^\s*\[\[\s*impl\s*\.\s*(?:"([^"]+)"|\'([^\']+)\'|([A-Za-z0-9_-]+))\s*\]\]')


class ExpectationsError(Exception):
    """A malformed expectations file; ``str()`` is one line naming the problem and the fix."""


@dataclass(frozen=True)
class Entry:
    """One known deviation of one implementation."""

    implementation: str
    index: int  # 1-based among the implementation's entries
    line: int  # where its [[impl.NAME]] header is, 0 if unknown
    kind: str  # "test" or "spec"
    pattern: str
    status: str
    reason: str
    issue: str | None = None
    #: Only results over this transport; None: any transport.
    transport: str | None = None

    @property
    def label(self) -> str:
        at = f"line {self.line}: " if self.line else ""
        return f"{at}[[impl.{self.implementation}]] #{self.index} ({self.kind} {self.pattern!r})"

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in self.pattern)
        return re.compile("".join(parts), re.DOTALL)

    def matches(self, test: str, nodeid: str, spec: Sequence[str], transport: str | None = None) -> bool:
        """Whether the entry covers a test, given its test id, node id, spec ids and transport."""
        if self.transport is not None and self.transport != transport:
            return False
        if self.kind == "spec":
            return any(self._regex.fullmatch(s) for s in spec)
        return bool(self._regex.fullmatch(test) or self._regex.fullmatch(nodeid))

    def to_json(self) -> dict[str, str | None]:
        return {"status": self.status, "reason": self.reason, "issue": self.issue}


def find(
    entries: Iterable[Entry],
    implementation: str,
    test: str,
    nodeid: str,
    spec: Sequence[str],
    transport: str | None = None,
) -> Entry | None:
    """The first entry, in file order, that covers a test of an implementation (over a transport)."""
    for entry in entries:
        if entry.implementation == implementation and entry.matches(test, nodeid, spec, transport):
            return entry
    return None


def load_expectations(path: str | Path) -> list[Entry]:
    path = Path(path)
    text = read_text(path, ExpectationsError, "an existing, readable expectations TOML file")
    return parse_expectations(text, str(path))


def parse_expectations(text: str, source: str) -> list[Entry]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ExpectationsError(f"{source}: invalid TOML: {exc}; fix the syntax") from None
    unknown = sorted(set(data) - {"impl"})
    if unknown:
        raise ExpectationsError(
            f"{source}: unknown top-level key {unknown[0]!r}; entries go in [[impl.NAME]] tables ({HINT})"
        )
    impls = data.get("impl", {})
    if not isinstance(impls, dict):
        raise ExpectationsError(f"{source}: 'impl' must hold [[impl.NAME]] tables ({HINT})")
    lines = _header_lines(text)
    entries = []
    for name, tables in impls.items():
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            raise ExpectationsError(
                f"{source}: impl.{name} must be an array of tables: write [[impl.{name}]] ({HINT})"
            )
        for index, table in enumerate(tables, 1):
            line = lines.get(name, [])[index - 1] if index <= len(lines.get(name, [])) else 0
            entries.append(_entry(table, name, index, line, source))
    return entries


def _header_lines(text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER_RE.match(line)
        if match:
            found.setdefault(next(g for g in match.groups() if g), []).append(number)
    return found


def _entry(table: Mapping[str, Any], name: str, index: int, line: int, source: str) -> Entry:
    at = f"{source}:{line}" if line else source
    what = f"{at}: [[impl.{name}]] #{index}"
    unknown = sorted(set(table) - set(ENTRY_KEYS))
    if unknown:
        raise ExpectationsError(f"{what}: unknown key {unknown[0]!r} (allowed: {', '.join(ENTRY_KEYS)}); {HINT}")
    for key in ENTRY_KEYS:
        if key in table and not (isinstance(table[key], str) and table[key].strip()):
            raise ExpectationsError(f"{what}: {key!r} must be a non-empty string; {HINT}")
    kinds = [k for k in ("test", "spec") if k in table]
    if len(kinds) != 1:
        raise ExpectationsError(
            f"{what}: give exactly one of 'test' (a test id or glob) and 'spec' (a spec id or glob); {HINT}"
        )
    status = table.get("status")
    if status not in EXPECTATION_STATUSES:
        raise ExpectationsError(
            f"{what}: 'status' must be one of {', '.join(EXPECTATION_STATUSES)}, not {status!r}; {HINT}"
        )
    if "reason" not in table:
        raise ExpectationsError(f"{what}: missing 'reason'; every entry says why the implementation deviates")
    return Entry(
        implementation=name,
        index=index,
        line=line,
        kind=kinds[0],
        pattern=table[kinds[0]].strip(),
        status=status,
        reason=table["reason"].strip(),
        issue=table.get("issue"),
        transport=table.get("transport"),
    )


# --- writing a starting file from a run -------------------------------------

#: Outcomes a starting file turns into "fail" entries.
_FAILING = frozenset({"failed", "error", "known-fail", "timeout", "crashed"})


def render_expectations(run: Run, implementations: Sequence[str] | None = None) -> str:
    """A starting expectations file: one entry per failing or known-skipped test.

    Entries that the run already knew keep their status, reason and issue; new
    failures get a TODO reason quoting the failure. Stale entries (expected
    failures that passed) are left out, which is how regenerating removes them.
    """
    names = [i.name for i in run.implementations()]
    chosen = list(implementations) if implementations else names
    lines = [
        "# flask-conformance expectations: known deviations from Flask, per implementation.",
        f"# Generated from {run.source} ({run.header.started}). Replace every TODO reason",
        "# with why the implementation deviates; see the README section 'Known deviations'.",
    ]
    for name in chosen:
        results = sorted(
            (r for r in run.results if (r.implementation or "") == name),
            key=lambda r: (r.test, r.transport or ""),
        )
        # A test run over several transports gets an entry per transport.
        over = Counter(r.test for r in results)
        for r in results:
            known = r.expectation
            if r.outcome in _FAILING:
                status = known.status if known and known.status in ("fail", "flaky") else "fail"
            elif r.outcome == "known-skip":
                status = "skip"
            else:
                continue
            if known:
                reason, issue = known.reason, known.issue
            else:
                reason, issue = f"TODO: explain why; it failed with: {r.message or r.outcome}", None
            lines += ["", f"[[impl.{_key(name)}]]", f"test = {_toml(r.test)}"]
            if r.transport and over[r.test] > 1:
                lines.append(f"transport = {_toml(r.transport)}")
            lines.append(f'status = "{status}"')
            lines.append(f"reason = {_toml(reason)}")
            if issue:
                lines.append(f"issue = {_toml(issue)}")
    return "\n".join(lines) + "\n"


def _toml(text: str) -> str:
    # JSON string escapes (\" \\ \n \t \uXXXX) are all valid in a TOML basic
    # string; ensure_ascii=False avoids surrogate pairs, which TOML forbids.
    return json.dumps(text, ensure_ascii=False)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _toml(name)
