"""Typed records of flask-conformance results files: loading, validation, scoring
and combining several runs into one matrix of implementations x tests.

A results file is what ``--conformance-json`` writes (conformance/results.py);
its format is described by ``reports/results.schema.json`` and its constants
live here, with the typed model: conformance/ imports reports/, never the other
way round. Loading checks the structure by hand, so every problem is one line
naming the file and the field, without needing a schema library at run time.

A file comes in one of two forms. A finished (or orderly interrupted) run is one
JSON document. While a run goes on, the same path holds JSON Lines, one object
per line, appended and flushed as each result finishes: ``{"format", "format_version",
"header"}`` first, then ``{"result": ...}``, ``{"started": ...}`` (serial runs: a
test began; one that never finished is recorded ``crashed``), ``{"selection": ...}``
and, when the run is stopped by a signal, ``{"footer": ...}``. A run killed
outright leaves JSON Lines without a footer: it loads as incomplete.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "flask-conformance-results"
#: Version 2 added the outcomes "timeout" and "crashed", the footer's "reason",
#: the header's "selection" and the records' "transport" and "capability".
FORMAT_VERSION = 2
#: Versions this module reads: every field version 2 added is optional.
READABLE_VERSIONS = (1, 2)

#: Outcomes a record may have, worst first when phases disagree (a record is
#: "passed" only when every phase passed). "crashed": the process running the
#: test died (an xdist worker, or pytest itself); "timeout": the test exceeded
#: its time limit. Three come from ``--expectations``: "known-fail" (a failure
#: the expectations file lists: not a failure of the run), "known-skip" (skipped
#: because the file says so) and "stale" (listed as failing but passed: fails
#: the run). "not-applicable" comes from the spec's version facts or a missing
#: capability: never a pass, never a failure.
OUTCOMES = (
    "crashed",
    "timeout",
    "error",
    "failed",
    "stale",
    "xpassed",
    "known-fail",
    "xfailed",
    "known-skip",
    "not-applicable",
    "skipped",
    "passed",
)

#: Outcomes where the implementation did what the test asks ("stale" means an
#: expected failure passed: good for the score, bad for the expectations file).
PASS_LIKE = frozenset({"passed", "xpassed", "stale"})
#: The test never reached a verdict of its own because the implementation hung
#: or took its process down: failing, and shown apart from plain failures.
BROKE = frozenset({"timeout", "crashed"})
#: Outcomes where it did not, whether or not a failure was expected.
FAIL_LIKE = frozenset({"failed", "error", "known-fail", "xfailed"}) | BROKE
#: Outcomes left out of scores: the test did not run to a verdict.
SKIP_LIKE = frozenset({"skipped", "known-skip"})
#: Left out of scores too, and shown apart from skips: the test checks behaviour
#: newer than the Flask version the implementation declares. Never a pass.
NOT_APPLICABLE = "not-applicable"
#: Outcomes that make a run fail (what the CI gate stops on).
RUN_FAILURES = frozenset({"failed", "error", "stale"}) | BROKE
#: Outcomes the report lists with their failure message.
PROBLEMS = FAIL_LIKE | {"stale"}

assert PASS_LIKE | FAIL_LIKE | SKIP_LIKE | {NOT_APPLICABLE} == set(OUTCOMES)

EXPECTATION_STATUSES = ("fail", "skip", "flaky")
NO_AREA = "(no spec)"


class ResultsError(Exception):
    """A results file cannot be used; ``str()`` is one line naming the problem and the fix."""


@dataclass(frozen=True)
class Expectation:
    """The --expectations entry that matched a result."""

    status: str
    reason: str
    issue: str | None = None


@dataclass(frozen=True)
class Result:
    """One test run against one implementation (over one transport)."""

    nodeid: str
    test: str
    implementation: str | None
    spec: tuple[str, ...]
    params: Mapping[str, Any]
    outcome: str
    duration: float
    message: str | None
    expectation: Expectation | None = None
    #: The transport the test ran over (None: the test uses none, or the file predates them).
    transport: str | None = None
    #: For a not-applicable result: the capability the implementation lacks.
    capability: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """The stable key across runs: implementation, transport and implementation-free test id."""
        return (self.implementation or "", self.transport or "", self.test)


@dataclass(frozen=True)
class ImplementationInfo:
    name: str
    module: str | None
    version: str | None
    conforms_to: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


@dataclass(frozen=True)
class Header:
    suite_version: str | None
    implementations: tuple[ImplementationInfo, ...]
    python_version: str
    python_implementation: str
    platform: str
    dependencies: Mapping[str, str | None]
    started: str
    argv: tuple[str, ...]
    workers: int | None
    selection: Selection | None = None


@dataclass(frozen=True)
class Selection:
    """Which of the collected conformance tests the run was asked to run."""

    collected: int
    selected: int
    #: What narrowed the run: "-k", "-m", "--deselect", "files" (some of the suite's
    #: files, or tests named by node id).
    narrowed_by: tuple[str, ...] = ()
    #: (suite files collected, suite files shipped), when the run collected any.
    suite_files: tuple[int, int] | None = None

    @property
    def partial(self) -> bool:
        return bool(self.narrowed_by) or self.selected < self.collected

    @property
    def text(self) -> str:
        """'partial selection: 7 of 51 tests (-k; 1 of 40 suite files)', or '' for a whole run."""
        if not self.partial:
            return ""
        count = f"{self.selected} of {self.collected} tests" if self.selected < self.collected else f"{self.selected} tests"
        why = [flag for flag in self.narrowed_by if flag != "files"]
        if "files" in self.narrowed_by:
            files = self.suite_files
            why.append(f"{files[0]} of {files[1]} suite files" if files and files[0] < files[1] else "tests named by node id")
        return f"partial selection: {count} ({'; '.join(why)})" if why else f"partial selection: {count}"


@dataclass(frozen=True)
class CollectionError:
    nodeid: str
    message: str | None


@dataclass(frozen=True)
class Footer:
    complete: bool
    finished: str | None
    exitstatus: int | None
    collection_errors: tuple[CollectionError, ...]
    totals: Mapping[str, int]
    count: int
    #: Why the run is incomplete ("SIGTERM", "interrupted", ...), None when it finished.
    reason: str | None = None


@dataclass(frozen=True)
class Run:
    """One results file."""

    source: str
    label: str
    header: Header
    results: tuple[Result, ...]
    footer: Footer

    @property
    def complete(self) -> bool:
        return self.footer.complete

    @property
    def partial(self) -> bool:
        return self.header.selection is not None and self.header.selection.partial

    def implementations(self) -> list[ImplementationInfo]:
        """Implementations in header order, plus any that only appear in results."""
        known = {i.name: i for i in self.header.implementations}
        for r in self.results:
            name = r.implementation or ""
            if name not in known:
                known[name] = ImplementationInfo(name=name, module=None, version=None)
        return list(known.values())


@dataclass(frozen=True)
class Score:
    """Passing results over results that ran to a verdict. Skipped, known-skip and
    not-applicable results are left out and counted apart; timeouts and crashes
    count as failing and are counted apart too, so no score hides what it left out."""

    passed: int
    counted: int
    skipped: int = 0
    not_applicable: int = 0
    known_skip: int = 0
    timeout: int = 0
    crashed: int = 0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.passed / self.counted if self.counted else None

    @property
    def text(self) -> str:
        """The score as shown everywhere (report, badge, diff): one decimal, floored
        so that 99.96% never reads as 100.0%."""
        if self.percent is None:
            return "n/a"
        tenths = (1000 * self.passed) // self.counted
        return f"{tenths // 10}.{tenths % 10}%"

    @property
    def left_out(self) -> int:
        return self.skipped + self.known_skip + self.not_applicable

    def notes(self) -> str:
        """What the score leaves out and what failing it holds apart, as one phrase:
        '3 left out (2 skipped, 1 not applicable); 1 timeout counted as failing'."""
        out = [(self.skipped, "skipped"), (self.known_skip, "known-skip"), (self.not_applicable, "not applicable")]
        broke = [(self.timeout, "timeout"), (self.crashed, "crashed")]
        parts = []
        if self.left_out:
            parts.append(f"{self.left_out} left out ({', '.join(f'{n} {w}' for n, w in out if n)})")
        else:
            parts.append("none left out")
        if self.timeout or self.crashed:
            parts.append(", ".join(f"{n} {w}" for n, w in broke if n) + " counted as failing")
        return "; ".join(parts)


_SLOTS = {"skipped": 2, NOT_APPLICABLE: 3, "known-skip": 4, "timeout": 5, "crashed": 6}


def score(results: Iterable[Result]) -> Score:
    counts = [0] * 7
    for r in results:
        _tally(counts, r.outcome)
    return Score(*counts)


def _tally(counts: list[int], outcome: str) -> None:
    """Add one outcome to the counts of a :class:`Score`, in field order."""
    slot = _SLOTS.get(outcome)
    if slot is not None:
        counts[slot] += 1
    if outcome not in SKIP_LIKE and outcome != NOT_APPLICABLE:
        counts[1] += 1
        counts[0] += outcome in PASS_LIKE


def area_of(spec_id: str) -> str:
    """The area of a spec id is its first dotted word (the catalog's rule)."""
    return spec_id.partition(".")[0]


@dataclass(frozen=True)
class Column:
    """One implementation in one run: a column of the matrix."""

    key: str
    label: str
    implementation: ImplementationInfo
    run: Run
    results: Mapping[str, Result] = field(repr=False)

    @property
    def score(self) -> Score:
        return score(self.results.values())

    @property
    def totals(self) -> dict[str, int]:
        return dict(Counter(r.outcome for r in self.results.values()))


@dataclass(frozen=True)
class Combined:
    """Several runs as one matrix: columns (implementation x run) by test ids."""

    runs: tuple[Run, ...]
    columns: tuple[Column, ...]
    tests: tuple[str, ...]
    #: Spec ids cited by each test (the union over columns, in first-seen order).
    specs_of: Mapping[str, tuple[str, ...]]

    @property
    def complete(self) -> bool:
        return all(run.complete for run in self.runs)

    def spec_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for test in self.tests:
            seen.update(dict.fromkeys(self.specs_of[test]))
        return sorted(seen)

    def areas(self) -> list[str]:
        found = {area_of(s) for s in self.spec_ids()}
        if any(not self.specs_of[t] for t in self.tests):
            found.add(NO_AREA)
        return sorted(found)

    def tests_by_spec(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for test in self.tests:
            for spec_id in self.specs_of[test]:
                index.setdefault(spec_id, []).append(test)
        return index

    def area_scores(self, column: Column) -> dict[str, Score]:
        """Score per area; a test citing entries of two areas counts in both."""
        return _grouped(column, lambda r: {area_of(s) for s in r.spec} if r.spec else {NO_AREA})

    def spec_scores(self, column: Column) -> dict[str, Score]:
        """Score per spec entry, over the tests citing it."""
        return _grouped(column, lambda r: set(r.spec))


def _grouped(column: Column, keys: Callable[[Result], set[str]]) -> dict[str, Score]:
    # One pass over the results: the report needs this for every area and entry.
    counts: dict[str, list[int]] = {}
    for r in column.results.values():
        for key in keys(r):
            _tally(counts.setdefault(key, [0] * 7), r.outcome)
    return {key: Score(*c) for key, c in counts.items()}


def combine(runs: Sequence[Run]) -> Combined:
    """Put runs side by side; a column's label says which run it is when names repeat.

    Columns of one implementation stay together, in run order (flask 3.0.3 next to
    flask 3.1.3), implementations in the order they first appear.
    """
    if not runs:
        raise ResultsError("no results files given; pass at least one results JSON file")
    pairs = [(run, info) for run in runs for info in run.implementations()]
    first_seen: dict[str, int] = {}
    for _, info in pairs:
        first_seen.setdefault(info.name, len(first_seen))
    pairs.sort(key=lambda pair: first_seen[pair[1].name])  # stable: run order within a name
    names = Counter(info.name for _, info in pairs)
    labels = Counter(info.label for _, info in pairs)
    columns = []
    specs_of: dict[str, tuple[str, ...]] = {}
    for number, (run, info) in enumerate(pairs):
        label = info.name if names[info.name] == 1 else info.label
        if names[info.name] > 1 and labels[info.label] > 1:
            label = f"{info.label} ({run.label})"
        results = _rows([r for r in run.results if (r.implementation or "") == info.name])
        for row, r in results.items():
            known = specs_of.get(row, ())
            specs_of[row] = known + tuple(s for s in r.spec if s not in known)
        columns.append(Column(f"c{number}", label, info, run, results))
    return Combined(runs=tuple(runs), columns=tuple(columns), tests=tuple(specs_of), specs_of=specs_of)


def _rows(results: list[Result]) -> dict[str, Result]:
    """A column's results by row: the test id, with the transport when the
    implementation ran over several (``test_x[301] [asgi]``)."""
    several = len({r.transport for r in results if r.transport}) > 1
    return {(f"{r.test} [{r.transport}]" if several and r.transport else r.test): r for r in results}


# --- loading ---------------------------------------------------------------


def read_text(path: Path, error: type[Exception], wanted: str) -> str:
    """The file's text, or ``error`` with one line saying what is wrong and what to pass."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file; pass {wanted}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read it ({exc}); pass {wanted}") from None


def load_run(path: str | Path, *, allow_incomplete: bool = False, label: str | None = None) -> Run:
    """Read and check one results file, in either form (see the module docstring)."""
    path = Path(path)
    text = read_text(path, ResultsError, "a file written by --conformance-json")
    return parse_run(decode(text, str(path)), str(path), allow_incomplete=allow_incomplete, label=label or path.stem)


#: The message of a result whose test was running when the run died.
DIED_WHILE_RUNNING = "the run died while this test was running (the process crashed or was killed)"


def decode(text: str, source: str) -> object:
    """A results document from a file's text: the JSON document itself, or the
    document that a JSON Lines file (a run still going, or killed) amounts to."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        error: json.JSONDecodeError | None = exc
    else:
        if not (isinstance(data, dict) and "header" in data and "results" not in data):
            return data
        error = None  # a JSON Lines file that holds its first line only
    lines = text.splitlines()
    try:
        first = json.loads(lines[0]) if lines else None
    except json.JSONDecodeError:
        first = None
    if not (isinstance(first, dict) and "header" in first):
        assert error is not None
        raise ResultsError(
            f"{source}: not JSON ({error.msg} at line {error.lineno}); pass a file written by --conformance-json"
        ) from None
    return _from_lines(first, lines[1:], source)


def _from_lines(first: dict[str, Any], lines: list[str], source: str) -> dict[str, Any]:
    header = dict(first["header"]) if isinstance(first["header"], dict) else first["header"]
    results: dict[str, Any] = {}
    started: dict[str, Any] = {}
    footer = None
    for number, line in enumerate(lines, 2):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines) + 1:
                break  # the last line, cut short by the run's death
            raise ResultsError(
                f"{source}: line {number} is not JSON; the file is not valid flask-conformance results"
            ) from None
        if not isinstance(item, dict):
            raise ResultsError(f"{source}: line {number} is not a JSON object; the file is not valid flask-conformance results")
        if isinstance(item.get("result"), dict):
            record = item["result"]
            results[str(record.get("nodeid"))] = record
        elif isinstance(item.get("started"), dict):
            started[str(item["started"].get("nodeid"))] = item["started"]
        elif "selection" in item and isinstance(header, dict):
            header["selection"] = item["selection"]
        elif "footer" in item:
            footer = item["footer"]
    if footer is None:
        # Killed outright: a test that began and never finished took the run down.
        for nodeid, record in started.items():
            if nodeid not in results:
                results[nodeid] = {**record, "outcome": "crashed", "duration": 0.0, "message": DIED_WHILE_RUNNING}
        footer = {
            "complete": False,
            "finished": None,
            "exitstatus": None,
            "collection_errors": [],
            "reason": "the run died before it finished (no footer: killed or crashed)",
        }
    records = list(results.values())
    if isinstance(footer, dict):
        footer = {
            **footer,
            "totals": dict(sorted(Counter(str(r.get("outcome")) for r in records).items())),
            "count": len(records),
        }
    return {**first, "header": header, "results": records, "footer": footer}


def load_runs(paths: Iterable[str | Path], *, allow_incomplete: bool = False) -> list[Run]:
    """Load several files; runs whose file names repeat are labelled by their path."""
    files = [Path(p) for p in paths]
    stems = Counter(f.stem for f in files)
    return [
        load_run(f, allow_incomplete=allow_incomplete, label=f.stem if stems[f.stem] == 1 else str(f))
        for f in files
    ]


def parse_run(data: object, source: str, *, allow_incomplete: bool = False, label: str = "") -> Run:
    """Check a decoded results document and build a :class:`Run`."""
    doc = _Reader(data, source, "")
    doc.mapping()
    fmt = doc.get("format")
    if fmt.value != FORMAT:
        raise ResultsError(
            f"{source}: 'format' is {fmt.value!r}, not {FORMAT!r}; pass a file written by --conformance-json"
        )
    version = doc.get("format_version").value
    if version not in READABLE_VERSIONS:
        raise ResultsError(
            f"{source}: format_version {version!r} is not supported (this tool reads "
            f"{', '.join(map(str, READABLE_VERSIONS))}); "
            "use the flask-conformance release that wrote the file"
        )
    footer = _footer(doc.get("footer", required=False))
    if not footer.complete and not allow_incomplete:
        why = footer.reason or "its footer does not say complete: interrupted, stopped by -x or crashed"
        raise ResultsError(
            f"{source}: the run is incomplete ({why}); rerun the suite, "
            "or pass --allow-incomplete (report, badge) to show it marked incomplete"
        )
    results = tuple(_result(item) for item in doc.get("results").items())
    seen: dict[tuple[str, str], str] = {}
    for r in results:
        if r.key in seen:
            raise ResultsError(
                f"{source}: test {r.test!r} appears twice for implementation {r.key[0]!r} "
                f"({seen[r.key]} and {r.nodeid}); one result per test and implementation"
            )
        seen[r.key] = r.nodeid
    return Run(source=source, label=label, header=_header(doc.get("header")), results=results, footer=footer)


_INCOMPLETE = Footer(
    complete=False, finished=None, exitstatus=None, collection_errors=(), totals={}, count=0, reason="no footer"
)


class _Reader:
    """A JSON value being checked, which knows its path for error messages."""

    def __init__(self, value: object, source: str, where: str) -> None:
        self.value, self.source, self.where = value, source, where

    def fail(self, expected: str) -> ResultsError:
        where = self.where or "the document"
        return ResultsError(
            f"{self.source}: {where}: expected {expected}, found {type(self.value).__name__} "
            f"{_short(self.value)}; the file is not valid flask-conformance results "
            "(see reports/results.schema.json)"
        )

    def get(self, key: str, *, required: bool = True) -> _Reader:
        mapping = self.mapping()
        where = f"{self.where}.{key}" if self.where else key
        if key not in mapping:
            if required:
                raise ResultsError(
                    f"{self.source}: {where} is missing; the file is not valid flask-conformance "
                    "results (see reports/results.schema.json)"
                )
            return _Reader(None, self.source, where)
        return _Reader(mapping[key], self.source, where)

    def mapping(self) -> Mapping[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail("an object")
        return self.value

    def items(self) -> list[_Reader]:
        if not isinstance(self.value, list):
            raise self.fail("an array")
        return [_Reader(v, self.source, f"{self.where}[{i}]") for i, v in enumerate(self.value)]

    def text(self, *, optional: bool = False) -> str | None:
        if self.value is None and optional:
            return None
        if not isinstance(self.value, str):
            raise self.fail("a string" + (" or null" if optional else ""))
        return self.value

    def number(self, kind: type = float, *, optional: bool = False) -> Any:
        if self.value is None and optional:
            return None
        ok = isinstance(self.value, (int, float)) if kind is float else isinstance(self.value, int)
        if not ok or isinstance(self.value, bool):
            raise self.fail(("a number" if kind is float else "an integer") + (" or null" if optional else ""))
        return self.value

    def texts(self) -> tuple[str, ...]:
        return tuple(item.text() or "" for item in self.items())


def _short(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _result(item: _Reader) -> Result:
    outcome = item.get("outcome").text()
    if outcome not in OUTCOMES:
        raise ResultsError(
            f"{item.source}: {item.where}.outcome is {outcome!r}, not one of {', '.join(OUTCOMES)}; "
            "the file is not valid flask-conformance results (see reports/results.schema.json)"
        )
    expectation = None
    raw = item.get("expectation", required=False)
    if raw.value is not None:
        status = raw.get("status").text()
        if status not in EXPECTATION_STATUSES:
            raise raw.get("status").fail("one of " + ", ".join(EXPECTATION_STATUSES))
        expectation = Expectation(
            status=status or "",
            reason=raw.get("reason").text() or "",
            issue=raw.get("issue", required=False).text(optional=True),
        )
    return Result(
        nodeid=item.get("nodeid").text() or "",
        test=item.get("test").text() or "",
        implementation=item.get("implementation").text(optional=True),
        spec=item.get("spec").texts(),
        params=item.get("params").mapping(),
        outcome=outcome or "",
        duration=float(item.get("duration").number()),
        message=item.get("message").text(optional=True),
        expectation=expectation,
        transport=item.get("transport", required=False).text(optional=True),
        capability=item.get("capability", required=False).text(optional=True),
    )


def _header(head: _Reader) -> Header:
    impls = tuple(
        ImplementationInfo(
            name=i.get("name").text() or "",
            module=i.get("module").text(optional=True),
            version=i.get("version").text(optional=True),
            conforms_to=i.get("conforms_to", required=False).text(optional=True),
        )
        for i in head.get("implementations").items()
    )
    python = head.get("python")
    deps = head.get("dependencies")
    return Header(
        suite_version=head.get("suite").get("version").text(optional=True),
        implementations=impls,
        python_version=python.get("version").text() or "",
        python_implementation=python.get("implementation").text() or "",
        platform=head.get("platform").text() or "",
        dependencies={k: deps.get(k).text(optional=True) for k in deps.mapping()},
        started=head.get("started").text() or "",
        argv=head.get("argv").texts(),
        workers=head.get("workers", required=False).number(int, optional=True),
        selection=_selection(head.get("selection", required=False)),
    )


def _selection(sel: _Reader) -> Selection | None:
    if sel.value is None:
        return None
    return Selection(
        collected=sel.get("collected").number(int),
        selected=sel.get("selected").number(int),
        narrowed_by=sel.get("narrowed_by").texts(),
        suite_files=_pair(sel.get("suite_files", required=False)),
    )


def _pair(value: _Reader) -> tuple[int, int] | None:
    if value.value is None:
        return None
    items = value.items()
    if len(items) != 2:
        raise value.fail("two integers")
    return (items[0].number(int), items[1].number(int))


def _footer(foot: _Reader) -> Footer:
    if foot.value is None:
        return _INCOMPLETE
    complete = foot.get("complete").value
    if not isinstance(complete, bool):
        raise foot.get("complete").fail("true or false")
    totals = foot.get("totals")
    return Footer(
        complete=complete,
        finished=foot.get("finished").text(optional=True),
        exitstatus=foot.get("exitstatus").number(int, optional=True),
        collection_errors=tuple(
            CollectionError(nodeid=e.get("nodeid").text() or "", message=e.get("message").text(optional=True))
            for e in foot.get("collection_errors").items()
        ),
        totals={k: totals.get(k).number(int) for k in totals.mapping()},
        count=foot.get("count").number(int),
        reason=foot.get("reason", required=False).text(optional=True),
    )
