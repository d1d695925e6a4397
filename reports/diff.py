"""Compare two runs, keyed by implementation and stable test id.

Categories: newly failing (passed in BASE, fails in HEAD: a regression), fixed,
still failing, failure message changed (still failing, other message), added
and removed. "Failing" includes known failures: an expectations entry explains
a failure, it does not make it pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from .model import FAIL_LIKE, PASS_LIKE, Result, Run, Score, score

CATEGORIES = (
    ("newly_failing", "Newly failing"),
    ("fixed", "Fixed"),
    ("still_failing", "Still failing"),
    ("message_changed", "Failure message changed"),
    ("added", "Added"),
    ("removed", "Removed"),
)


@dataclass(frozen=True)
class Change:
    implementation: str
    test: str
    spec: tuple[str, ...]
    base: Result | None
    head: Result | None

    def to_json(self) -> dict[str, object]:
        return {
            "implementation": self.implementation,
            "test": self.test,
            "spec": list(self.spec),
            "base": _side(self.base),
            "head": _side(self.head),
        }


def _side(r: Result | None) -> dict[str, object] | None:
    return None if r is None else {"outcome": r.outcome, "message": r.message, "nodeid": r.nodeid}


@dataclass
class Diff:
    base: Run
    head: Run
    newly_failing: list[Change] = field(default_factory=list)
    fixed: list[Change] = field(default_factory=list)
    still_failing: list[Change] = field(default_factory=list)
    message_changed: list[Change] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)

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


def diff_runs(base: Run, head: Run) -> Diff:
    result = Diff(base, head)
    before = {r.key: r for r in base.results}
    after = {r.key: r for r in head.results}
    for key in sorted(before.keys() | after.keys()):
        b, h = before.get(key), after.get(key)
        change = Change(key[0], key[1], (h or b).spec, b, h)  # type: ignore[union-attr]
        if b is None:
            result.added.append(change)
        elif h is None:
            result.removed.append(change)
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
    return "-" if s is None else f"{s.text} ({s.passed}/{s.counted})"


def format_text(d: Diff) -> str:
    lines = [f"flask-conformance diff: {d.base.source} -> {d.head.source}"]
    for name, b, h in d.scores():
        lines.append(f"  score {name}: {_score_text(b)} -> {_score_text(h)}")
    for key, title, changes in d.categories():
        lines.append(f"{title}: {len(changes)}")
        for c in changes:
            spec = f" [{', '.join(c.spec)}]" if c.spec else ""
            lines.append(f"  {c.implementation}  {c.test}{spec}  {_outcomes(c)}")
            if key == "message_changed":
                lines.append(f"      was: {c.base.message if c.base else ''}")
                lines.append(f"      now: {c.head.message if c.head else ''}")
            elif key == "newly_failing" and c.head and c.head.message:
                lines.append(f"      {c.head.message}")
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
            cells = (_md(c.implementation), f"`{_md(c.test)}`", _md(", ".join(c.spec)), _outcomes(c), _md(message))
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def format_json(d: Diff) -> str:
    document = {
        "base": d.base.source,
        "head": d.head.source,
        "regression": d.regression,
        **{key: [c.to_json() for c in changes] for key, _, changes in d.categories()},
    }
    return json.dumps(document, indent=1) + "\n"


FORMATS = {"text": format_text, "markdown": format_markdown, "json": format_json}
