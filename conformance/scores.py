"""Scores of one implementation per spec area and not-applicable counts per capability,
as Markdown tables, from a results file (the README's Quart section is made with it)::

    python -m conformance.scores results/quart.json quart

A result counts as passing when it passed (or is a stale expectation: it passed), as
failing when it failed, errored, timed out, crashed or is a known failure; skips and
not-applicable results are left out of the score, as in the HTML report.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

PASSING = frozenset({"passed", "stale"})
FAILING = frozenset({"failed", "error", "known-fail", "timeout", "crashed"})


def tables(results: dict, implementation: str) -> str:
    """The two Markdown tables for ``implementation`` in a loaded results document."""
    passing: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    waived: Counter[str] = Counter()
    by_capability: Counter[str] = Counter()
    for record in results["results"]:
        if record["implementation"] != implementation:
            continue
        area = record["spec"][0].partition(".")[0] if record["spec"] else "(none)"
        outcome = record["outcome"]
        if outcome in PASSING or outcome in FAILING:
            counted[area] += 1
            passing[area] += outcome in PASSING
        elif outcome == "not-applicable":
            waived[area] += 1
            by_capability[record.get("capability") or "(a newer Flask version)"] += 1
    lines = ["| area | score | passing / counted | not applicable |", "| --- | --- | --- | --- |"]
    for area in sorted(counted.keys() | waived.keys()):
        score = f"{100 * passing[area] / counted[area]:.0f}%" if counted[area] else "-"
        lines.append(f"| {area} | {score} | {passing[area]} / {counted[area]} | {waived[area]} |")
    total_pass, total = sum(passing.values()), sum(counted.values())
    lines.append(f"| **all** | **{100 * total_pass / total:.1f}%** | {total_pass} / {total} | {sum(waived.values())} |")
    lines += ["", "| capability | not-applicable results |", "| --- | --- |"]
    lines += [f"| `{name}` | {count} |" for name, count in by_capability.most_common()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m conformance.scores RESULTS.json IMPLEMENTATION", file=sys.stderr)
        return 2
    try:
        results = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"conformance.scores: cannot read {args[0]}: {exc}", file=sys.stderr)
        return 2
    if not any(r.get("implementation") == args[1] for r in results.get("results", [])):
        print(f"conformance.scores: no results for implementation {args[1]!r} in {args[0]}", file=sys.stderr)
        return 2
    print(tables(results, args[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
