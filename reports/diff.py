"""Compare two runs, keyed by implementation and stable test id.

Categories: newly failing (passed in BASE, fails in HEAD: a regression), fixed,
still failing, failure message changed (still failing, other message), newly
applicable and no longer applicable (the implementations declare different Flask
versions; neither is a regression), added and removed. "Failing" includes known
failures: an expectations entry explains a failure, it does not make it pass.

Results are keyed by implementation, transport and test id. Timeouts and
crashes count as failing: a test that passed in BASE and hangs in HEAD is a
regression. Incomplete runs are refused when loaded.

The diff can also list the documented behaviour changes between the Flask
versions the two runs' implementations declare: every spec entry whose ``since``
or ``[[entry.changed]]`` version lies between them, with the outcomes of the
tests citing it. That is what an upgrade changes even where every test passes on
both sides. They need the catalog, so the caller computes them
(``conformance.reporting.documented_changes``) and passes them in.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import FAIL_LIKE, NOT_APPLICABLE, PASS_LIKE, Result, Run, Score, score

CATEGORIES = (
    ("newly_failing", "Newly failing"),
    ("fixed", "Fixed"),
    ("still_failing", "Still failing"),
    ("message_changed", "Failure message changed"),
    ("newly_applicable", "Newly applicable"),
    ("no_longer_applicable", "No longer applicable"),
    ("added", "Added"),
    ("removed", "Removed"),
)


@dataclass(frozen=True)
class Change:
    implementation: str
    transport: str
    test: str
    spec: tuple[str, ...]
    base: Result | None
    head: Result | None

    @property
    def where(self) -> str:
        """The implementation, with the transport when there is one: 'shim (asgi)'."""
        return f"{self.implementation} ({self.transport})" if self.transport else self.implementation

    def to_json(self) -> dict[str, object]:
        return {
            "implementation": self.implementation,
            "transport": self.transport or None,
            "test": self.test,
            "spec": list(self.spec),
            "base": _side(self.base),
            "head": _side(self.head),
        }


def _side(r: Result | None) -> dict[str, object] | None:
    return None if r is None else {"outcome": r.outcome, "message": r.message, "nodeid": r.nodeid}


@dataclass(frozen=True)
class Documented:
    """A spec entry whose behaviour is new or changed between the declared versions."""

    implementation: str
    base_version: str | None
    head_version: str | None
    spec: str
    kind: str  # "new" (since) or "changed" ([[entry.changed]])
    version: str
    summary: str
    before: str | None
    #: (test, outcome in BASE, outcome in HEAD) for each test citing the entry.
    tests: tuple[tuple[str, str | None, str | None], ...]

    @property
    def title(self) -> str:
        return f"{'new' if self.kind == 'new' else 'changed'} in {self.version}"

    def outcomes(self) -> str:
        """The tests' outcome transitions, counted: '3 passed -> passed'."""
        if not self.tests:
            return "no test in these runs"
        counts = Counter(f"{b or 'absent'} -> {h or 'absent'}" for _, b, h in self.tests)
        return ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))

    def to_json(self) -> dict[str, object]:
        return {
            "implementation": self.implementation,
            "base_version": self.base_version,
            "head_version": self.head_version,
            "spec": self.spec,
            "kind": self.kind,
            "version": self.version,
            "summary": self.summary,
            "before": self.before,
            "tests": [{"test": t, "base": b, "head": h} for t, b, h in self.tests],
        }


@dataclass
class Diff:
    base: Run
    head: Run
    newly_failing: list[Change] = field(default_factory=list)
    fixed: list[Change] = field(default_factory=list)
    still_failing: list[Change] = field(default_factory=list)
    message_changed: list[Change] = field(default_factory=list)
    newly_applicable: list[Change] = field(default_factory=list)
    no_longer_applicable: list[Change] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    #: Documented behaviour changes between the declared versions (needs a catalog).
    documented: list[Documented] = field(default_factory=list)

    @property
    def regression(self) -> bool:
        return bool(self.newly_failing)

    def categories(self) -> Iterator[tuple[str, str, list[Change]]]:
        for key, title in CATEGORIES:
            yield key, title, getattr(self, key)

    def scores(self) -> list[tuple[str, Score | None, Score | None]]:
        """Per implementation: score in BASE and in HEAD (None when absent)."""
        names = [i.name for i in self.base.implementations()]
        names += [i.name for i in self.head.implementations() if i.name not in names]
        return [(n, _score_of(self.base, n), _score_of(self.head, n)) for n in names]


def _score_of(run: Run, name: str) -> Score | None:
    results = [r for r in run.results if (r.implementation or "") == name]
    return score(results) if results else None


def diff_runs(base: Run, head: Run, documented: Iterable[Documented] = ()) -> Diff:
    result = Diff(base, head, documented=list(documented))
    before = {r.key: r for r in base.results}
    after = {r.key: r for r in head.results}
    for key in sorted(before.keys() | after.keys()):
        b, h = before.get(key), after.get(key)
        change = Change(key[0], key[1], key[2], (h or b).spec, b, h)  # type: ignore[union-attr]
        if b is None:
            result.added.append(change)
        elif h is None:
            result.removed.append(change)
        elif (b.outcome == NOT_APPLICABLE) != (h.outcome == NOT_APPLICABLE):
            # The declared versions differ: the test's verdict is not comparable.
            (result.newly_applicable if b.outcome == NOT_APPLICABLE else result.no_longer_applicable).append(change)
        elif b.outcome in PASS_LIKE and h.outcome in FAIL_LIKE:
            result.newly_failing.append(change)
        elif b.outcome in FAIL_LIKE and h.outcome in PASS_LIKE:
            result.fixed.append(change)
        elif b.outcome in FAIL_LIKE and h.outcome in FAIL_LIKE:
            result.still_failing.append(change)
            if (b.message or "") != (h.message or ""):
                result.message_changed.append(change)
    return result


# --- formats ----------------------------------------------------------------


def _outcomes(c: Change) -> str:
    if c.base and c.head:
        return f"{c.base.outcome} -> {c.head.outcome}"
    return (c.head or c.base).outcome  # type: ignore[union-attr]


def _score_text(s: Score | None) -> str:
    if s is None:
        return "-"
    extra = f", {s.not_applicable} not applicable" if s.not_applicable else ""
    return f"{s.text} ({s.passed}/{s.counted}{extra})"


def _versions(d: Documented) -> str:
    return f"{d.implementation} {d.base_version or 'newest'} -> {d.head_version or 'newest'}"


def format_text(d: Diff) -> str:
    lines = [f"flask-conformance diff: {d.base.source} -> {d.head.source}"]
    for name, b, h in d.scores():
        lines.append(f"  score {name}: {_score_text(b)} -> {_score_text(h)}")
    for key, title, changes in d.categories():
        lines.append(f"{title}: {len(changes)}")
        for c in changes:
            spec = f" [{', '.join(c.spec)}]" if c.spec else ""
            lines.append(f"  {c.where}  {c.test}{spec}  {_outcomes(c)}")
            if key == "message_changed":
                lines.append(f"      was: {c.base.message if c.base else ''}")
                lines.append(f"      now: {c.head.message if c.head else ''}")
            elif key == "newly_failing" and c.head and c.head.message:
                lines.append(f"      {c.head.message}")
    if d.documented:
        lines.append(f"Documented behaviour changes: {len(d.documented)}")
        for doc in d.documented:
            lines.append(f"  {_versions(doc)}  {doc.spec}  {doc.title}: {doc.summary}")
            if doc.before:
                lines.append(f"      before {doc.version}: {doc.before}")
            lines.append(f"      tests: {doc.outcomes()}")
    lines.append(_verdict(d))
    return "\n".join(lines) + "\n"


def _verdict(d: Diff) -> str:
    if d.regression:
        return f"REGRESSION: {len(d.newly_failing)} newly failing"
    return "OK: no newly failing tests"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_markdown(d: Diff) -> str:
    """For a GitHub job summary ($GITHUB_STEP_SUMMARY)."""
    lines = [
        "## flask-conformance diff",
        "",
        f"**{_verdict(d)}** (`{d.base.source}` → `{d.head.source}`)",
        "",
        "| implementation | base | head |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {_md(n)} | {_score_text(b)} | {_score_text(h)} |" for n, b, h in d.scores()]
    lines += ["", "| change | count |", "| --- | --- |"]
    lines += [f"| {title} | {len(changes)} |" for _, title, changes in d.categories()]
    for key, title, changes in d.categories():
        if not changes:
            continue
        opened = " open" if key == "newly_failing" else ""
        lines += ["", f"<details{opened}><summary>{title} ({len(changes)})</summary>", ""]
        lines += ["| implementation | test | spec | outcome | message |", "| --- | --- | --- | --- | --- |"]
        for c in changes:
            message = (c.head or c.base).message or ""  # type: ignore[union-attr]
            if key == "message_changed" and c.base:
                message = f"was: {c.base.message} / now: {message}"
            cells = (_md(c.where), f"`{_md(c.test)}`", _md(", ".join(c.spec)), _outcomes(c), _md(message))
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", "</details>"]
    if d.documented:
        lines += ["", f"### Documented behaviour changes ({len(d.documented)})", ""]
        lines += ["| versions | spec entry | change | behaviour now | before | tests |", "|" + " --- |" * 6]
        for doc in d.documented:
            cells = (
                _md(_versions(doc)), f"`{doc.spec}`", doc.title, _md(doc.summary), _md(doc.before or ""),
                _md(doc.outcomes()),
            )
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def format_json(d: Diff) -> str:
    document = {
        "base": d.base.source,
        "head": d.head.source,
        "regression": d.regression,
        **{key: [c.to_json() for c in changes] for key, _, changes in d.categories()},
        "documented": [doc.to_json() for doc in d.documented],
    }
    return json.dumps(document, indent=1) + "\n"


FORMATS = {"text": format_text, "markdown": format_markdown, "json": format_json}
